/**
 * The training bar is `tqdm(total, smoothing=0, desc="steps")` on stderr, redrawn with `\r`:
 *   `steps:  12%|█▏        | 120/1000 [01:23<10:12,  1.44it/s, avr_loss=0.0912]`
 *   `steps: 100%|##########| 40/40 [00:42<00:00,  1.07s/it, avr_loss=0.145]`
 *   `steps:   0%|          | 0/1000 [00:00<?, ?it/s]`
 * A narrow console can drop the bar between the bars; the postfix may carry other keys first
 * (`Average key norm=0.512, Keys Scaled=3, avr_loss=0.121`).
 *
 * It is parsed by hand rather than with one regular expression: a long run redraws it hundreds of
 * thousands of times, and this is the parser's hottest path.
 */
export interface StepsBar {
  step: number;
  total: number;
  elapsedSeconds: number | null;
  etaSeconds: number | null;
  stepsPerSecond: number | null;
  /** `avr_loss`; NaN when tqdm printed `nan`, null when absent. */
  averageLoss: number | null;
}

const SLASH = 47;
const COLON = 58;
const SPACE = 32;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** `01:23`, `1:02:03` (tqdm never prints days) → seconds; `?` or anything else → null. */
export function parseClock(text: string | undefined): number | null {
  if (!text) return null;
  return clockAt(text, 0, text.length);
}

function clockAt(text: string, from: number, to: number): number | null {
  let seconds = 0;
  let part = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (isDigit(code)) {
      part = part * 10 + code - 48;
      digits++;
    } else if (code === COLON && digits > 0) {
      seconds = seconds * 60 + part;
      part = 0;
      digits = 0;
    } else return null;
  }
  return digits > 0 ? seconds * 60 + part : null;
}

function numberAt(text: string, from: number, to: number): number | null {
  const slice = text.slice(from, to).trim();
  if (slice === '' || slice === '?') return null;
  const lower = slice.toLowerCase();
  if (lower === 'nan' || lower === '-nan') return Number.NaN;
  if (lower === 'inf' || lower === '+inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  const value = Number(slice);
  return Number.isNaN(value) ? null : value;
}

/** The `steps:` bar, or null for any other text (other tqdm bars included). */
export function parseStepsBar(text: string): StepsBar | null {
  if (!text.startsWith('steps:')) return null;
  const percent = text.indexOf('%', 6);
  if (percent === -1) return null;
  // n/total: after the bar's closing `|`, or right after the percentage when the bar is dropped
  let at = percent + 1;
  if (text.charCodeAt(at) === 124) {
    const close = text.indexOf('|', at + 1);
    if (close === -1) return null;
    at = close + 1;
  }
  while (text.charCodeAt(at) === SPACE) at++;
  let step = 0;
  let digits = 0;
  for (; isDigit(text.charCodeAt(at)); at++, digits++) step = step * 10 + text.charCodeAt(at) - 48;
  if (digits === 0 || text.charCodeAt(at) !== SLASH) return null;
  at++;
  let total = 0;
  digits = 0;
  for (; isDigit(text.charCodeAt(at)); at++, digits++) total = total * 10 + text.charCodeAt(at) - 48;
  if (digits === 0) return null;

  const bar: StepsBar = {
    step,
    total,
    elapsedSeconds: null,
    etaSeconds: null,
    stepsPerSecond: null,
    averageLoss: null,
  };
  const open = text.indexOf('[', at);
  if (open === -1) return bar;
  const end = text.indexOf(']', open);
  const stop = end === -1 ? text.length : end;
  const lt = text.indexOf('<', open);
  const comma = text.indexOf(',', open);
  if (lt !== -1 && lt < stop) {
    bar.elapsedSeconds = clockAt(text, open + 1, lt);
    bar.etaSeconds = clockAt(text, lt + 1, comma !== -1 && comma < stop ? comma : stop);
  }
  if (comma === -1 || comma > stop) return bar;
  const next = text.indexOf(',', comma + 1);
  const rateEnd = next !== -1 && next < stop ? next : stop;
  const itS = text.lastIndexOf('it/s', rateEnd);
  const sIt = text.lastIndexOf('s/it', rateEnd);
  if (itS > comma) {
    const rate = numberAt(text, comma + 1, itS);
    if (rate !== null && Number.isFinite(rate) && rate > 0) bar.stepsPerSecond = rate;
  } else if (sIt > comma) {
    const rate = numberAt(text, comma + 1, sIt);
    if (rate !== null && Number.isFinite(rate) && rate > 0) bar.stepsPerSecond = 1 / rate;
  }
  if (rateEnd < stop) {
    const key = text.indexOf('avr_loss=', rateEnd);
    if (key !== -1 && key < stop) {
      const valueEnd = text.indexOf(',', key);
      bar.averageLoss = numberAt(text, key + 9, valueEnd !== -1 && valueEnd < stop ? valueEnd : stop);
    }
  }
  return bar;
}
