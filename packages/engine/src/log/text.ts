/**
 * Small string helpers for console output: ANSI escapes, terminal cell widths. They sit on the hot path of
 * the log parser, so they avoid regular expressions where a character scan is enough.
 */

// CSI sequences (colours, cursor moves), OSC sequences (links, titles) and lone two-byte escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;

/** The text without terminal escape sequences (LyCORIS colours its level names even into files). */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}

/** Whether a code point takes two terminal cells (CJK, full-width forms, most emoji), as Rich counts it. */
export function isWide(code: number): boolean {
  if (code < 0x1100) return false;
  return (
    code <= 0x115f ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Terminal cells the text occupies. */
export function cellWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) ?? 0;
    if (code > 0xffff) i++;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

/** Number of leading spaces. */
export function leadingSpaces(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i;
}

/** A number as kohya/tqdm print it: `0.0912`, `1.5e-5`, `nan`, `inf`. NaN stays NaN. */
export function parseLooseNumber(text: string): number | null {
  const lower = text.trim().toLowerCase();
  if (lower === 'nan' || lower === '-nan') return Number.NaN;
  if (lower === 'inf' || lower === '+inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  if (lower === '') return null;
  const value = Number(lower);
  return Number.isNaN(value) ? null : value;
}
