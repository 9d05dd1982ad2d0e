import { cellWidth, isWide, leadingSpaces } from './text.js';

/**
 * kohya logs through Rich by default (library/utils.py: `RichHandler(console=Console(stderr=True))` with
 * datefmt `%Y-%m-%d %H:%M:%S`). Rich renders each record as a table row: time (blank when unchanged),
 * level padded to 8, the message, and `file.py:line` flush right. When stderr is not a terminal Rich wraps
 * at 80 columns: words move to continuation rows indented to the message column, and words longer than
 * the column (paths!) are folded mid-word. This module turns those rows back into one message per record.
 * `--console_log_simple` gives bare `%(message)s` lines, which pass through unchanged.
 */

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** One logical message: a Rich record (possibly several rows) or one plain line. */
export interface LogRecord {
  message: string;
  /** null for plain lines (print output, tqdm, tracebacks, simple console records). */
  level: LogLevel | null;
  /** Line number of the record's first row. */
  lineNo: number;
}

// `2026-02-16 10:00:00 INFO     ` or the same with the time blanked out, or Rich's own `[%x %X]` default.
const RICH_HEAD =
  /^(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d|\[\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\]| {8,30}) (DEBUG|INFO|WARNING|ERROR|CRITICAL) +/;
// LyCORIS logs with its own handler: `2026-02-16 10:00:00|[LyCORIS]-INFO: message`.
const LYCORIS_HEAD = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\|\[LyCORIS\]-(DEBUG|INFO|WARNING|ERROR|CRITICAL): ?/;
const RICH_PATH = /^[\w.-]+\.py:\d+$/;

const LEVELS: readonly LogLevel[] = ['INFO', 'WARNING', 'ERROR', 'DEBUG', 'CRITICAL'];

/**
 * The common case without a regular expression: kohya's `%Y-%m-%d %H:%M:%S` time column (19 cells, or
 * blank when unchanged), a space, the level padded to 8, a space — the message starts at column 29.
 */
function kohyaHead(line: string): LogLevel | null {
  if (line.length < 29 || line.charCodeAt(19) !== 32 || line.charCodeAt(28) !== 32) return null;
  const first = line.charCodeAt(0);
  if (first === 32) {
    if (line.charCodeAt(18) !== 32 || leadingSpaces(line) !== 20) return null;
  } else if (!(first >= 48 && first <= 57 && line.charCodeAt(4) === 45 && line.charCodeAt(13) === 58)) {
    return null;
  }
  for (const level of LEVELS) {
    if (line.startsWith(level, 20)) {
      for (let i = 20 + level.length; i < 28; i++) if (line.charCodeAt(i) !== 32) return null;
      return level;
    }
  }
  return null;
}

interface OpenRecord {
  parts: string[];
  size: number;
  level: LogLevel;
  lineNo: number;
  messageColumn: number;
  /** Cells of the first row up to the end of the message column (the row width minus the path). */
  firstRow: string;
  pathLength: number;
  /** The previous row's piece; its width is only measured when a continuation row arrives. */
  lastPiece: string;
}

/**
 * Feed physical lines (already free of `\r` redraws and ANSI codes); get logical records back. A Rich
 * record is only complete when the next row is not its continuation, so `flush()` hands out the one still
 * open (call it at the end of the stream, or when the writer is known to be between records).
 */
export class RecordAssembler {
  private open: OpenRecord | null = null;

  constructor(private readonly maxChars = 16_384) {}

  push(line: string, lineNo: number, out: LogRecord[]): void {
    const first = line.charCodeAt(0);
    // Rich heads start with a digit, a bracket or spaces; everything else is a plain line. Checked first
    // because it is by far the most common case in a long log (progress bars, prints).
    if (first === 32 || (first >= 48 && first <= 57) || first === 91) {
      if (this.open && this.continues(this.open, line)) {
        this.append(this.open, line);
        return;
      }
      const fast = kohyaHead(line);
      if (fast) {
        this.flush(out);
        this.start(line, 29, fast, lineNo);
        return;
      }
      const head = first === 32 || first === 91 || line.charCodeAt(4) === 45 ? RICH_HEAD.exec(line) : null;
      if (head) {
        this.flush(out);
        this.start(line, head[0].length, head[1] as LogLevel, lineNo);
        return;
      }
      if (first !== 32 && first !== 91) {
        const lycoris = LYCORIS_HEAD.exec(line);
        if (lycoris) {
          this.flush(out);
          out.push({ message: line.slice(lycoris[0].length), level: lycoris[1] as LogLevel, lineNo });
          return;
        }
      }
    }
    this.flush(out);
    out.push({ message: line, level: null, lineNo });
  }

  flush(out: LogRecord[]): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    out.push({ message: open.parts.join('').trim(), level: open.level, lineNo: open.lineNo });
  }

  get pending(): boolean {
    return this.open !== null;
  }

  private start(line: string, messageColumn: number, level: LogLevel, lineNo: number): void {
    const row = line.slice(messageColumn).trimEnd();
    let message = row;
    let pathLength = 0;
    // the `file.py:123` column: the last word of the row, after at least one space
    const space = row.lastIndexOf(' ');
    if (space !== -1 && RICH_PATH.test(row.slice(space + 1))) {
      pathLength = row.length - space - 1;
      message = row.slice(0, space).trimEnd();
    }
    this.open = {
      parts: [message.slice(0, this.maxChars)],
      size: Math.min(message.length, this.maxChars),
      level,
      lineNo,
      messageColumn,
      firstRow: pathLength > 0 ? row : '',
      pathLength,
      lastPiece: message,
    };
  }

  private continues(open: OpenRecord, line: string): boolean {
    const indent = leadingSpaces(line);
    // A new record whose time column is blank starts with fewer spaces (its level word sits there).
    return indent >= open.messageColumn;
  }

  private append(open: OpenRecord, line: string): void {
    const indent = leadingSpaces(line);
    const piece = line.slice(open.messageColumn).trimEnd();
    let joiner: string;
    if (indent > open.messageColumn) {
      joiner = '\n'; // the message itself had a new line here (e.g. the `[Dataset 0]` block)
    } else {
      // Rich moves a word that does not fit to the next row and folds it there only when it is longer
      // than the row, so a folded row is one full-width run without spaces.
      const width = open.pathLength > 0 ? cellWidth(open.firstRow) - 1 - open.pathLength : null;
      const last = open.lastPiece;
      let folded = false;
      if (width !== null && !last.trimStart().includes(' ')) {
        const lastWidth = cellWidth(last);
        folded = lastWidth >= width || (lastWidth === width - 1 && isWide(piece.codePointAt(0) ?? 0));
      }
      joiner = folded ? '' : ' ';
    }
    open.lastPiece = piece;
    if (open.size >= this.maxChars) return;
    const text = (joiner + piece).slice(0, this.maxChars - open.size);
    open.parts.push(text);
    open.size += text.length;
  }
}

/** Rich rows → one string per record, for code that holds a tail of lines (the failure catalogue). */
export function joinRecords(lines: readonly string[]): LogRecord[] {
  const assembler = new RecordAssembler();
  const out: LogRecord[] = [];
  lines.forEach((line, index) => {
    assembler.push(line, index, out);
  });
  assembler.flush(out);
  return out;
}
