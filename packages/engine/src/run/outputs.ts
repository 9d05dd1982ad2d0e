import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * kohya's output names (reference §7): `<name>-000002.<ext>` (epoch), `<name>-step00000010.<ext>` (step),
 * `<name>.<ext>` (final), the same with `-state` for Accelerate state folders; without an output name
 * `epoch-000002`, `at-step00000010`, `last`.
 */
export interface ParsedSave {
  kind: 'epoch' | 'step' | 'final' | 'state';
  epoch: number | null;
  step: number | null;
}

const MODEL_EXT = /\.(safetensors|ckpt|pt)$/i;

function parseStem(stem: string, outputName: string | null): Omit<ParsedSave, 'kind'> & { final: boolean } {
  const step = /(?:^at|-step)(\d{8})$/.exec(stem);
  if (step?.[1] !== undefined) return { epoch: null, step: Number(step[1]), final: false };
  const epoch = /(?:^epoch|)-(\d{6})$/.exec(stem);
  if (epoch?.[1] !== undefined) return { epoch: Number(epoch[1]), step: null, final: false };
  return { epoch: null, step: null, final: outputName === null || stem === outputName || stem === 'last' };
}

/** What a file or folder name in output_dir is, or null when it is not one of kohya's saves. */
export function parseSaveName(
  name: string,
  isDirectory: boolean,
  outputName: string | null,
): ParsedSave | null {
  if (isDirectory) {
    if (!name.endsWith('-state')) return null;
    const parsed = parseStem(name.slice(0, -'-state'.length), outputName);
    return { kind: 'state', epoch: parsed.epoch, step: parsed.step };
  }
  if (!MODEL_EXT.test(name)) return null;
  const parsed = parseStem(name.replace(MODEL_EXT, ''), outputName);
  if (parsed.epoch !== null) return { kind: 'epoch', epoch: parsed.epoch, step: null };
  if (parsed.step !== null) return { kind: 'step', epoch: null, step: parsed.step };
  return parsed.final ? { kind: 'final', epoch: null, step: null } : null;
}

export interface ParsedSample {
  promptIndex: number;
  epoch: number | null;
  step: number | null;
  /** `YYYYmmddHHMMSS` from the name (local time of the engine). */
  stamp: string;
  seed: number | null;
}

// `[<name>_]<e000002|000010>_<prompt:02d>_<YYYYmmddHHMMSS>[_<seed>].png`; the name may hold underscores,
// so the pattern is anchored at the end.
const SAMPLE = /(?:^|_)(e?)(\d{6,})_(\d{2,})_(\d{14})(?:_(-?\d+))?\.(png|jpe?g|webp)$/i;

/** Parses a sample image name of train_util's sample_images(); null for anything else. */
export function parseSampleName(name: string): ParsedSample | null {
  const m = SAMPLE.exec(name);
  if (!m) return null;
  const [, e, number, prompt, stamp, seed] = m;
  if (number === undefined || prompt === undefined || stamp === undefined) return null;
  const n = Number(number);
  return {
    promptIndex: Number(prompt),
    epoch: e === 'e' || e === 'E' ? n : null,
    step: e ? null : n,
    stamp,
    seed: seed === undefined ? null : Number(seed),
  };
}

export interface FoundSave extends ParsedSave {
  /** Path relative to the run folder, with forward slashes. */
  file: string;
  name: string;
  sizeBytes: number;
  mtimeMs: number;
}

export interface FoundSample extends ParsedSample {
  file: string;
  name: string;
  mtimeMs: number;
}

async function listDir(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function folderSize(dir: string, depth = 0): Promise<number> {
  if (depth > 3) return 0;
  let total = 0;
  for (const entry of await listDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderSize(path, depth + 1);
    else if (entry.isFile()) total += (await stat(path).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/**
 * Saves in `<runDir>/output` (`relOutput` relative to the run folder). A file whose size still changes is
 * reported anyway; the caller compares sizes between scans (kohya writes in place, not atomically).
 */
export async function scanSaves(
  runDir: string,
  outputName: string | null,
  relOutput = 'output',
): Promise<FoundSave[]> {
  const dir = join(runDir, relOutput);
  const found: FoundSave[] = [];
  for (const entry of await listDir(dir)) {
    const parsed = parseSaveName(entry.name, entry.isDirectory(), outputName);
    if (!parsed) continue;
    const path = join(dir, entry.name);
    const info = await stat(path).catch(() => null);
    if (!info) continue;
    found.push({
      ...parsed,
      file: `${relOutput}/${entry.name}`,
      name: entry.name,
      sizeBytes: entry.isDirectory() ? await folderSize(path) : info.size,
      mtimeMs: info.mtimeMs,
    });
  }
  return found.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
}

/** Sample images in `<runDir>/output/sample`. */
export async function scanSamples(
  runDir: string,
  relOutput = 'output',
  /** Relative paths already known: not stat'ed again (a long run has thousands of samples). */
  skip?: ReadonlySet<string>,
): Promise<FoundSample[]> {
  const dir = join(runDir, relOutput, 'sample');
  const found: FoundSample[] = [];
  for (const entry of await listDir(dir)) {
    if (!entry.isFile()) continue;
    if (skip?.has(`${relOutput}/sample/${entry.name}`)) continue;
    const parsed = parseSampleName(entry.name);
    if (!parsed) continue;
    const info = await stat(join(dir, entry.name)).catch(() => null);
    if (!info || info.size === 0) continue;
    found.push({
      ...parsed,
      file: `${relOutput}/sample/${entry.name}`,
      name: entry.name,
      mtimeMs: info.mtimeMs,
    });
  }
  return found.sort((a, b) => a.stamp.localeCompare(b.stamp) || a.promptIndex - b.promptIndex);
}
