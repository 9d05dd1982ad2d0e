import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

import type { ModelFile } from '@danlu/contracts';

import { inspectModelPath, modelExtensions } from './inspectModel.js';

/** Enough for a WebUI models tree without walking a whole disk. */
const MAX_DEPTH = 2;
const MAX_FILES = 500;
/** Header reads are cheap, but a folder of hundreds of checkpoints is not inspected on every list. */
const MAX_INSPECT = 200;

async function exists(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Model files (.safetensors, .ckpt, .pt, .pth) and diffusers folders (with model_index.json) in the given
 * folders, two levels deep, newest first. With `inspect` each gets its kind and family from its header.
 */
export async function listModels(
  folders: readonly string[],
  options: { inspect?: boolean } = {},
): Promise<{ folders: Array<{ path: string; exists: boolean }>; models: ModelFile[] }> {
  const seen = new Set<string>();
  const models: ModelFile[] = [];
  const report: Array<{ path: string; exists: boolean }> = [];
  const walk = async (root: string, dir: string, depth: number) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name === 'model_index.json')) {
      const s = await stat(dir);
      models.push({
        path: dir,
        name: dir.slice(root.length + 1) || dir,
        folder: root,
        sizeBytes: 0,
        mtimeMs: s.mtimeMs,
        format: 'diffusers',
        kind: null,
        family: null,
      });
      return;
    }
    for (const e of entries) {
      if (models.length >= MAX_FILES) return;
      const full = join(dir, e.name);
      if (e.isDirectory() && depth < MAX_DEPTH && !e.name.startsWith('.')) await walk(root, full, depth + 1);
      else if (e.isFile() && (modelExtensions as readonly string[]).includes(extname(e.name).toLowerCase())) {
        if (seen.has(full)) continue;
        seen.add(full);
        const s = await stat(full);
        models.push({
          path: full,
          name: full.slice(root.length + 1),
          folder: root,
          sizeBytes: s.size,
          mtimeMs: s.mtimeMs,
          format: extname(e.name).toLowerCase() === '.safetensors' ? 'safetensors' : 'ckpt',
          kind: null,
          family: null,
        });
      }
    }
  };
  for (const folder of [...new Set(folders)]) {
    const ok = await exists(folder);
    report.push({ path: folder, exists: ok });
    if (ok) await walk(folder, folder, 0);
  }
  models.sort((a, b) => b.mtimeMs - a.mtimeMs);
  if (options.inspect)
    for (const m of models.slice(0, MAX_INSPECT)) {
      try {
        const r = await inspectModelPath(m.path);
        m.kind = r.kind;
        m.family = r.family;
      } catch {
        m.kind = 'unknown';
        m.family = 'unknown';
      }
    }
  return { folders: report, models };
}
