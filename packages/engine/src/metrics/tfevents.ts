import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import type { EpochMetric, MetricPoint } from '@danlu/contracts';

import { maskedCrc32c } from './crc32c.js';
import { mapScalars, mergePoint } from './points.js';

/**
 * TensorBoard event files as accelerate's TensorBoardTracker writes them (torch SummaryWriter):
 * TFRecord framing — u64 length (LE), masked CRC-32C of those 8 bytes, the `Event` protobuf, masked
 * CRC-32C of it — and in each Event: wall_time (1, double), step (2, int64), summary (5) → value (1) →
 * tag (1, string), simple_value (2, float) or tensor (8). kohya logs with step = global step, and the
 * epoch averages with step = epoch number. The writer flushes on every log call, so a file being
 * written ends in a partial record: reading stops before it and says where to continue.
 */

export interface TfScalar {
  tag: string;
  step: number;
  /** ms since the epoch */
  time: number;
  value: number;
}

export interface TfReadResult {
  scalars: TfScalar[];
  /** Byte offset after the last complete record: pass it back to read only what was added. */
  nextOffset: number;
  /** Records whose checksum did not match (skipped). */
  corrupt: number;
}

class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new RangeError('truncated varint');
      const byte = this.bytes[this.pos++] ?? 0;
      // Multiplication keeps precision past 32 bits (steps never come near 2^53).
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new RangeError('bad varint');
    }
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) {
      const length = this.varint(); // read first: `pos += varint()` would add to the old position
      this.pos += length;
    } else if (wireType === 5) this.pos += 4;
    else throw new RangeError(`unsupported wire type ${wireType}`);
    if (this.pos > this.end) throw new RangeError('truncated field');
  }
}

const utf8 = new TextDecoder();

function readTensorValue(bytes: Uint8Array, start: number, end: number): number | null {
  // TensorProto: dtype (1), tensor_content (4), float_val (5, packed), double_val (6, packed)
  const r = new Reader(bytes, start, end);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let dtype = 1;
  let value: number | null = null;
  while (r.pos < end) {
    const key = r.varint();
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 1 && wire === 0) dtype = r.varint();
    else if (field === 5 && wire === 2) {
      const length = r.varint();
      if (length >= 4) value = view.getFloat32(r.pos, true);
      r.pos += length;
    } else if (field === 5 && wire === 5) {
      value = view.getFloat32(r.pos, true);
      r.pos += 4;
    } else if (field === 6 && wire === 2) {
      const length = r.varint();
      if (length >= 8) value = view.getFloat64(r.pos, true);
      r.pos += length;
    } else if (field === 6 && wire === 1) {
      value = view.getFloat64(r.pos, true);
      r.pos += 8;
    } else if (field === 4 && wire === 2) {
      const length = r.varint();
      if (dtype === 1 && length >= 4) value = view.getFloat32(r.pos, true);
      else if (dtype === 2 && length >= 8) value = view.getFloat64(r.pos, true);
      r.pos += length;
    } else r.skip(wire);
  }
  return value;
}

function readEvent(bytes: Uint8Array, start: number, end: number, out: TfScalar[]): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new Reader(bytes, start, end);
  let wallTime = 0;
  let step = 0;
  const values: { tag: string; value: number }[] = [];
  while (r.pos < end) {
    const key = r.varint();
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 1 && wire === 1) {
      wallTime = view.getFloat64(r.pos, true);
      r.pos += 8;
    } else if (field === 2 && wire === 0) {
      step = r.varint();
    } else if (field === 5 && wire === 2) {
      const length = r.varint();
      const summaryEnd = r.pos + length;
      const s = new Reader(bytes, r.pos, summaryEnd);
      while (s.pos < summaryEnd) {
        const skey = s.varint();
        if (skey >>> 3 === 1 && (skey & 7) === 2) {
          const vlength = s.varint();
          const valueEnd = s.pos + vlength;
          const v = new Reader(bytes, s.pos, valueEnd);
          let tag = '';
          let value: number | null = null;
          while (v.pos < valueEnd) {
            const vkey = v.varint();
            const vfield = vkey >>> 3;
            const vwire = vkey & 7;
            if (vfield === 1 && vwire === 2) {
              const tl = v.varint();
              tag = utf8.decode(bytes.subarray(v.pos, v.pos + tl));
              v.pos += tl;
            } else if (vfield === 2 && vwire === 5) {
              value = view.getFloat32(v.pos, true);
              v.pos += 4;
            } else if (vfield === 8 && vwire === 2) {
              const tl = v.varint();
              value = readTensorValue(bytes, v.pos, v.pos + tl);
              v.pos += tl;
            } else v.skip(vwire);
          }
          if (tag !== '' && value !== null) values.push({ tag, value });
          s.pos = valueEnd;
        } else s.skip(skey & 7);
      }
      r.pos = summaryEnd;
    } else r.skip(wire);
  }
  const time = Math.round(wallTime * 1000);
  for (const { tag, value } of values) out.push({ tag, step, time, value });
}

/** Decode TFRecord-framed events from a buffer; a truncated tail is left for the next read. */
export function decodeTfEvents(bytes: Uint8Array, baseOffset = 0): TfReadResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scalars: TfScalar[] = [];
  let pos = 0;
  let corrupt = 0;
  while (pos + 12 <= bytes.length) {
    const low = view.getUint32(pos, true);
    const high = view.getUint32(pos + 4, true);
    if (view.getUint32(pos + 8, true) !== maskedCrc32c(bytes, pos, pos + 8)) {
      corrupt++;
      break; // the framing itself is broken: nothing after this can be trusted
    }
    const length = high * 2 ** 32 + low;
    const dataStart = pos + 12;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > bytes.length) break; // still being written
    if (view.getUint32(dataEnd, true) === maskedCrc32c(bytes, dataStart, dataEnd)) {
      try {
        readEvent(bytes, dataStart, dataEnd, scalars);
      } catch {
        corrupt++;
      }
    } else corrupt++;
    pos = dataEnd + 4;
  }
  return { scalars, nextOffset: baseOffset + pos, corrupt };
}

/** Read an event file from `offset` (default 0) to its last complete record. */
export async function readTfEventFile(file: string, offset = 0): Promise<TfReadResult> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size <= offset) return { scalars: [], nextOffset: offset, corrupt: 0 };
    const bytes = new Uint8Array(size - offset);
    let read = 0;
    while (read < bytes.length) {
      const { bytesRead } = await handle.read(bytes, read, bytes.length - read, offset + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return decodeTfEvents(bytes.subarray(0, read), offset);
  } finally {
    await handle.close();
  }
}

export interface TensorboardMetrics {
  points: MetricPoint[];
  epochs: EpochMetric[];
  nextOffset: number;
  corrupt: number;
}

/** Scalars → one point per step (one event per tag in the file) and one record per epoch average. */
export function scalarsToMetrics(scalars: readonly TfScalar[]): {
  points: MetricPoint[];
  epochs: EpochMetric[];
} {
  const points = new Map<number, MetricPoint>();
  const epochs = new Map<number, EpochMetric>();
  for (const scalar of scalars) {
    const mapped = mapScalars({
      step: scalar.step,
      time: scalar.time,
      values: { [scalar.tag]: scalar.value },
    });
    if (mapped.point) {
      const before = points.get(scalar.step);
      points.set(scalar.step, before ? mergePoint(before, mapped.point) : mapped.point);
    }
    if (mapped.epoch) epochs.set(mapped.epoch.epoch, mapped.epoch);
  }
  return {
    points: [...points.values()].sort((a, b) => a.step - b.step),
    epochs: [...epochs.values()].sort((a, b) => a.epoch - b.epoch),
  };
}

/**
 * The metrics in one event file (fallback for runs not started through the shim). With `offset`, only
 * what was appended since; a step split across two reads comes back twice — merge by step.
 */
export async function readTensorboardEvents(file: string, offset = 0): Promise<TensorboardMetrics> {
  const result = await readTfEventFile(file, offset);
  return { ...scalarsToMetrics(result.scalars), nextOffset: result.nextOffset, corrupt: result.corrupt };
}

/**
 * Event files under kohya's logging_dir: `<logging_dir>/<log_prefix><YYYYmmddHHMMSS>/network_train/
 * events.out.tfevents.*` (`dreambooth`, `finetuning`… for the other scripts). Oldest first.
 */
export async function findTensorboardFiles(loggingDir: string, maxDepth = 4): Promise<string[]> {
  const found: { file: string; mtime: number }[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < maxDepth) await walk(path, depth + 1);
      else if (entry.isFile() && entry.name.startsWith('events.out.tfevents.')) {
        try {
          found.push({ file: path, mtime: (await stat(path)).mtimeMs });
        } catch {
          // vanished meanwhile
        }
      }
    }
  }
  await walk(loggingDir, 0);
  return found.sort((a, b) => a.mtime - b.mtime || a.file.localeCompare(b.file)).map((f) => f.file);
}
