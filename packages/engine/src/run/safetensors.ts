import { open } from 'node:fs/promises';

import type { Text } from '../text.js';

/** Headers above this are refused: real LoRA headers are kilobytes, a full SDXL checkpoint a few MB. */
export const MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024;

export type SafetensorsHeader =
  | { ok: true; sizeBytes: number; metadata: Record<string, string>; tensorCount: number }
  | { ok: false; message: Text };

/**
 * Reads the JSON header of a .safetensors file without loading the tensors: 8 bytes little-endian
 * header length, then that many bytes of JSON whose `__metadata__` holds kohya's ss_* keys (strings).
 */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsHeader> {
  const fail = (zh: string, en: string): SafetensorsHeader => ({ ok: false, message: { zh, en } });
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return fail(`无法打开文件：${file}`, `Cannot open the file: ${file}`);
  }
  try {
    const { size } = await handle.stat();
    if (size < 8) return fail('文件太短，不是 safetensors。', 'The file is too short to be safetensors.');
    const lengthBytes = Buffer.alloc(8);
    await handle.read(lengthBytes, 0, 8, 0);
    const length = lengthBytes.readBigUInt64LE(0);
    if (length === 0n || length > BigInt(Math.min(MAX_SAFETENSORS_HEADER, size - 8)))
      return fail(
        'safetensors 文件头长度不合理，文件可能已损坏。',
        'The safetensors header length is implausible; the file may be damaged.',
      );
    const header = Buffer.alloc(Number(length));
    await handle.read(header, 0, header.length, 8);
    let json: unknown;
    try {
      json = JSON.parse(header.toString('utf8'));
    } catch {
      return fail('safetensors 文件头不是有效的 JSON。', 'The safetensors header is not valid JSON.');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      return fail('safetensors 文件头格式不对。', 'The safetensors header has the wrong shape.');
    const metadata: Record<string, string> = {};
    let tensorCount = 0;
    for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
      if (key !== '__metadata__') {
        tensorCount++;
        continue;
      }
      if (typeof value === 'object' && value !== null) {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          metadata[k] = typeof v === 'string' ? v : JSON.stringify(v);
        }
      }
    }
    return { ok: true, sizeBytes: size, metadata, tensorCount };
  } finally {
    await handle.close();
  }
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
