import { open, stat, type FileHandle } from 'node:fs/promises';

import { stripAnsi } from '@danlu/engine';

/** Longest line kept; a 100 MB single line (a flood without newlines) is cut here, with a marker. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Splits engine output into complete lines the way a console shows them: `\n` (or `\r\n`) ends a line, a
 * lone `\r` (tqdm redrawing its bar) replaces the line, so a bar redrawn a thousand times is one line in its
 * final state. Memory stays bounded by MAX_LINE_CHARS whatever arrives.
 */
export class LineSplitter {
  #current = '';
  #lastSegment = '';
  #truncated = false;

  push(text: string, onLine: (line: string) => void): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#append(text.slice(start, i));
      start = i + 1;
      if (c === 13) {
        if (this.#current !== '') this.#lastSegment = this.#current;
        this.#current = '';
        this.#truncated = false;
      } else {
        onLine(this.#take());
      }
    }
    this.#append(text.slice(start));
  }

  /** The line still being written (no newline yet), as it would show now. */
  pending(): string {
    return this.#current !== '' ? this.#current : this.#lastSegment;
  }

  /** Ends the stream: a last line without newline counts. */
  end(onLine: (line: string) => void): void {
    if (this.#current !== '' || this.#lastSegment !== '') onLine(this.#take());
  }

  #take(): string {
    const line = this.#current !== '' ? this.#current : this.#lastSegment;
    this.#current = '';
    this.#lastSegment = '';
    this.#truncated = false;
    return line;
  }

  #append(part: string): void {
    if (part === '' || this.#truncated) return;
    if (this.#current.length + part.length > MAX_LINE_CHARS) {
      this.#current = `${this.#current}${part}`.slice(0, MAX_LINE_CHARS) + ' …[cut]';
      this.#truncated = true;
      return;
    }
    this.#current += part;
  }
}

/**
 * Reads a growing file incrementally from an open descriptor (opened once: on Windows another process's
 * appends often fire no watch event, and an open libuv handle does not block the writer — windows-notes §6).
 * A file that got shorter was replaced: reading starts again from 0.
 */
export class FileTail {
  #handle: FileHandle | null = null;
  offset = 0;

  constructor(
    readonly path: string,
    readonly chunkBytes = 1024 * 1024,
  ) {}

  /** Up to chunkBytes new bytes (empty when nothing new); `reset` when the file was truncated. */
  async read(): Promise<{ bytes: Buffer; reset: boolean }> {
    if (!this.#handle) {
      try {
        this.#handle = await open(this.path, 'r');
      } catch {
        return { bytes: Buffer.alloc(0), reset: false };
      }
    }
    const { size } = await this.#handle.stat();
    let reset = false;
    if (size < this.offset) {
      this.offset = 0;
      reset = true;
    }
    if (size === this.offset) return { bytes: Buffer.alloc(0), reset };
    const length = Math.min(this.chunkBytes, size - this.offset);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.#handle.read(buffer, 0, length, this.offset);
    this.offset += bytesRead;
    return { bytes: buffer.subarray(0, bytesRead), reset };
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close();
  }
}

/** Lines between checkpoints of the line index: memory is totalLines / this numbers. */
const CHECKPOINT_EVERY = 1024;

/**
 * A sparse index of engine.log: the byte offset of every 1024th line start, kept up to date incrementally,
 * so any page of a million-line log is read from disk without holding the log in memory.
 */
export class LogIndex {
  /** checkpoints[k] = byte offset where line k*CHECKPOINT_EVERY starts. */
  #checkpoints: number[] = [0];
  #lines = 0;
  #scanned = 0;
  #lastByte = 10;
  #pendingNonEmpty = false;

  constructor(readonly path: string) {}

  /** Complete lines (ending in `\n`) indexed so far. */
  get completeLines(): number {
    return this.#lines;
  }

  /** Scans bytes appended since the last call. */
  async update(): Promise<number> {
    let size: number;
    try {
      size = (await stat(this.path)).size;
    } catch {
      return this.#lines;
    }
    if (size < this.#scanned) {
      this.#checkpoints = [0];
      this.#lines = 0;
      this.#scanned = 0;
      this.#pendingNonEmpty = false;
    }
    if (size === this.#scanned) return this.#lines;
    const handle = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(1024 * 1024);
      while (this.#scanned < size) {
        const { bytesRead } = await handle.read(
          buffer,
          0,
          Math.min(buffer.length, size - this.#scanned),
          this.#scanned,
        );
        if (bytesRead === 0) break;
        for (let i = 0; i < bytesRead; i++) {
          const b = buffer[i];
          if (b === 10) {
            this.#lines++;
            this.#pendingNonEmpty = false;
            if (this.#lines % CHECKPOINT_EVERY === 0) this.#checkpoints.push(this.#scanned + i + 1);
          } else if (b !== 13) {
            this.#pendingNonEmpty = true;
          }
        }
        this.#lastByte = buffer[bytesRead - 1] ?? this.#lastByte;
        this.#scanned += bytesRead;
      }
    } finally {
      await handle.close();
    }
    return this.#lines;
  }

  /** Lines including a last one without newline (a finished run's final bar). */
  totalLines(includePartial: boolean): number {
    return this.#lines + (includePartial && this.#pendingNonEmpty ? 1 : 0);
  }

  /**
   * Lines [from, from+limit) as LineSplitter shows them. `from` < 0 counts from the end.
   */
  async page(
    from: number,
    limit: number,
    includePartial: boolean,
  ): Promise<{ lines: string[]; first: number; total: number }> {
    await this.update();
    const total = this.totalLines(includePartial);
    let first = from < 0 ? Math.max(0, total + from) : Math.min(from, total);
    const wanted = Math.max(0, Math.min(limit, total - first));
    if (wanted === 0) return { lines: [], first, total };
    const checkpoint = Math.min(Math.floor(first / CHECKPOINT_EVERY), this.#checkpoints.length - 1);
    let lineNo = checkpoint * CHECKPOINT_EVERY;
    const lines: string[] = [];
    await this.#scan(this.#checkpoints[checkpoint] ?? 0, includePartial, (line) => {
      if (lineNo >= first && lines.length < wanted) lines.push(line);
      lineNo++;
      return lines.length < wanted;
    });
    first = Math.min(first, total);
    return { lines, first, total };
  }

  /** Lines containing `query` (case-insensitive): the last `limit` matches, with their line numbers. */
  async search(
    query: string,
    limit: number,
    includePartial: boolean,
  ): Promise<{ lines: string[]; lineNumbers: number[]; total: number }> {
    await this.update();
    const needle = query.toLowerCase();
    const lines: string[] = [];
    const lineNumbers: number[] = [];
    let lineNo = 0;
    await this.#scan(0, includePartial, (line) => {
      if (line.toLowerCase().includes(needle)) {
        lines.push(line);
        lineNumbers.push(lineNo);
        if (lines.length > limit) {
          lines.shift();
          lineNumbers.shift();
        }
      }
      lineNo++;
      return true;
    });
    return { lines, lineNumbers, total: this.totalLines(includePartial) };
  }

  async #scan(offset: number, includePartial: boolean, onLine: (line: string) => boolean): Promise<void> {
    const handle = await open(this.path, 'r');
    const decoder = new TextDecoder('utf-8');
    const splitter = new LineSplitter();
    const state = { go: true };
    // The same text the live updates carry: terminal escapes (colours, tqdm's cursor-up) removed.
    const emit = (line: string) => {
      if (state.go) state.go = onLine(stripAnsi(line));
    };
    try {
      const buffer = Buffer.alloc(256 * 1024);
      let position = offset;
      while (state.go) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        splitter.push(decoder.decode(buffer.subarray(0, bytesRead), { stream: true }), emit);
      }
      if (state.go) {
        splitter.push(decoder.decode(), emit);
        if (includePartial) splitter.end(emit);
      }
    } finally {
      await handle.close();
    }
  }
}
