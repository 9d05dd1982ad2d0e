import { open } from 'node:fs/promises';

import type { TensorInfo } from '@danlu/params';

import type { Text } from '../text.js';

/** A full SDXL checkpoint's header is ~1–2 MB; anything above this is not a header we will parse. */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;

export type HeaderRead =
  | {
      ok: true;
      sizeBytes: number;
      tensors: TensorInfo[];
      metadata: Record<string, string>;
      /** Bytes the tensors need beyond the header, from their data_offsets. */
      dataBytes: number;
    }
  | { ok: false; message: Text };

const fail = (zh: string, en: string): HeaderRead => ({ ok: false, message: { zh, en } });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Read a .safetensors header without touching the tensors: 8 bytes little-endian length (capped), then
 * that much UTF-8 JSON of `{ name: { dtype, shape, data_offsets }, __metadata__ }`. A file shorter than
 * its tensors claim is reported as truncated (an interrupted download is the usual cause).
 */
export async function readSafetensorsTensors(file: string): Promise<HeaderRead> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return fail(`无法打开文件：${file}`, `Cannot open the file: ${file}`);
  }
  try {
    const { size } = await handle.stat();
    if (size < 10) return fail('文件太短，不是 safetensors。', 'The file is too short to be safetensors.');
    const lengthBytes = Buffer.alloc(8);
    await handle.read(lengthBytes, 0, 8, 0);
    const length = lengthBytes.readBigUInt64LE(0);
    if (length < 2n || length > BigInt(Math.min(MAX_HEADER_BYTES, size - 8)))
      return fail(
        'safetensors 文件头长度不合理：文件已损坏、下载不完整，或根本不是 safetensors。',
        'The safetensors header length is implausible: the file is damaged, incompletely downloaded, or not safetensors at all.',
      );
    const header = Buffer.alloc(Number(length));
    const { bytesRead } = await handle.read(header, 0, header.length, 8);
    if (bytesRead !== header.length)
      return fail('文件头读取不完整。', 'The header could not be read completely.');
    let json: unknown;
    try {
      json = JSON.parse(header.toString('utf8'));
    } catch {
      return fail(
        'safetensors 文件头不是有效的 JSON，文件可能已损坏。',
        'The safetensors header is not valid JSON; the file may be damaged.',
      );
    }
    if (!isRecord(json))
      return fail('safetensors 文件头格式不对。', 'The safetensors header has the wrong shape.');
    const tensors: TensorInfo[] = [];
    const metadata: Record<string, string> = {};
    let dataBytes = 0;
    for (const [name, value] of Object.entries(json)) {
      if (name === '__metadata__') {
        if (isRecord(value))
          for (const [k, v] of Object.entries(value))
            metadata[k] = typeof v === 'string' ? v : JSON.stringify(v);
        continue;
      }
      if (!isRecord(value)) continue;
      const shape = Array.isArray(value.shape)
        ? value.shape.filter((n): n is number => typeof n === 'number')
        : [];
      const offsets = value.data_offsets;
      if (Array.isArray(offsets) && typeof offsets[1] === 'number')
        dataBytes = Math.max(dataBytes, offsets[1]);
      tensors.push({ name, shape });
    }
    if (8 + Number(length) + dataBytes > size)
      return fail(
        `文件不完整：张量需要 ${String(8 + Number(length) + dataBytes)} 字节，文件只有 ${String(size)} 字节（下载中断？）。`,
        `The file is truncated: its tensors need ${String(8 + Number(length) + dataBytes)} bytes but it has ${String(size)} (an interrupted download?).`,
      );
    return { ok: true, sizeBytes: size, tensors, metadata, dataBytes };
  } finally {
    await handle.close();
  }
}

export type SafetensorsHeader =
  | { ok: true; sizeBytes: number; metadata: Record<string, string>; tensorCount: number }
  | { ok: false; message: Text };

/** The header's `__metadata__` (kohya's ss_* keys) and tensor count, for the outputs page. */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsHeader> {
  const read = await readSafetensorsTensors(file);
  if (!read.ok) return read;
  return { ok: true, sizeBytes: read.sizeBytes, metadata: read.metadata, tensorCount: read.tensors.length };
}

/**
 * `ss_tag_frequency` is `{"<folder>": {"<tag>": n}}` as a JSON string; summed over folders, most frequent
 * first (ties by name). Broken JSON gives an empty list.
 */
export function tagFrequency(metadata: Record<string, string>): Array<{ tag: string; count: number }> {
  const raw = metadata['ss_tag_frequency'];
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  const totals = new Map<string, number>();
  if (typeof parsed !== 'object' || parsed === null) return [];
  for (const folder of Object.values(parsed as Record<string, unknown>)) {
    if (typeof folder !== 'object' || folder === null) continue;
    for (const [tag, count] of Object.entries(folder as Record<string, unknown>)) {
      if (typeof count !== 'number' || !Number.isFinite(count)) continue;
      const key = tag.trim();
      if (key === '') continue;
      totals.set(key, (totals.get(key) ?? 0) + Math.round(count));
    }
  }
  return [...totals.entries()]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}
