import { createHash } from 'node:crypto';
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join, posix, resolve, win32 } from 'node:path';

import {
  trainingScripts,
  type EngineKind,
  type EngineProfile,
  type PythonLayout,
  type TrainingScript,
} from '../profile.js';
import { text, type Text } from '../text.js';

export type DetectResult =
  | { ok: true; profile: EngineProfile }
  | {
      ok: false;
      /** What was wrong, in both languages, naming what Danlu expected to find. */
      reason: Text;
      /** Relative paths that would have made this folder an engine. */
      expected: string[];
    };

/** Where an sd-scripts copy sits inside the packages we know, best first. */
const sdScriptsPlaces = [
  '.', // a bare checkout
  'sd-scripts', // kohya_ss, newer lora-scripts
  join('scripts', 'stable'), // lora-scripts 1.8+: SD1.5/SDXL trainer
  'scripts', // older lora-scripts
  join('scripts', 'dev'), // lora-scripts 1.8+: sd3-branch copy for FLUX/SD3
] as const;

/** The two files every usable sd-scripts copy has; folder names alone decide nothing. */
const markerFile = join('library', 'train_util.py');

interface PythonCandidate {
  relative: string[];
  layout: PythonLayout;
}

function venvCandidates(dir: string): PythonCandidate[] {
  return [
    { relative: [dir, 'Scripts', 'python.exe'], layout: 'venv-windows' },
    { relative: [dir, 'bin', 'python'], layout: 'venv-posix' },
    { relative: [dir, 'bin', 'python3'], layout: 'venv-posix' },
  ];
}

/** Interpreters in the order the packages' own launch scripts prefer them (venv before bundled python). */
function pythonCandidates(): PythonCandidate[] {
  return [
    ...venvCandidates('venv'),
    ...venvCandidates('.venv'),
    { relative: ['python', 'python.exe'], layout: 'embedded-windows' },
    { relative: ['python', 'bin', 'python3'], layout: 'posix-prefix' },
    { relative: ['python', 'bin', 'python'], layout: 'posix-prefix' },
  ];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A symlink whose target is gone still counts as "there": the probe then reports it as broken. */
async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function isEmptyDir(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length === 0;
  } catch {
    return false;
  }
}

/** Which training scripts a folder has, in catalogue order. */
export async function listTrainingScripts(dir: string): Promise<TrainingScript[]> {
  const found: TrainingScript[] = [];
  for (const script of trainingScripts) if (await isFile(join(dir, script))) found.push(script);
  return found;
}

async function isSdScripts(dir: string): Promise<boolean> {
  if (!(await isFile(join(dir, markerFile)))) return false;
  return (await listTrainingScripts(dir)).length > 0;
}

/** Stable id of a folder: Windows paths compare case-insensitively, so the id does too. */
export function engineIdFor(root: string, platform: NodeJS.Platform = process.platform): string {
  const normal = resolve(root);
  const key = platform === 'win32' ? normal.toLowerCase() : normal;
  return `eng-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

async function findPython(dirs: string[]): Promise<{ exe: string; layout: PythonLayout } | undefined> {
  for (const dir of dirs) {
    for (const candidate of pythonCandidates()) {
      const exe = join(dir, ...candidate.relative);
      if (await exists(exe)) return { exe, layout: candidate.layout };
    }
  }
  return undefined;
}

function kindLabel(kind: EngineKind, name: string): Text {
  switch (kind) {
    case 'lora-scripts':
      return text(`秋叶 lora-scripts（SD-Trainer）· ${name}`, `Qiuye lora-scripts (SD-Trainer) · ${name}`);
    case 'kohya_ss':
      return text(`kohya_ss · ${name}`, `kohya_ss · ${name}`);
    case 'sd-scripts':
      return text(`sd-scripts · ${name}`, `sd-scripts · ${name}`);
  }
}

const expectedFiles = [
  'train_network.py',
  'library/train_util.py',
  'sd-scripts/train_network.py',
  'scripts/stable/train_network.py',
  'scripts/train_network.py',
];

export interface DetectOptions {
  /** Use this interpreter instead of looking for one (a Python on PATH the user picked). */
  pythonExe?: string;
  platform?: NodeJS.Platform;
}

/**
 * Decides whether `folder` is a training engine we can drive, by the files in it. Reads only; never runs
 * anything in it and never writes to it.
 */
export async function detectEngine(folder: string, options: DetectOptions = {}): Promise<DetectResult> {
  const root = resolve(folder);
  if (!(await isDir(root))) {
    return {
      ok: false,
      reason: (await exists(root))
        ? text(`「${root}」不是文件夹。`, `"${root}" is not a folder.`)
        : text(`文件夹「${root}」不存在。`, `The folder "${root}" does not exist.`),
      expected: expectedFiles,
    };
  }

  const found: string[] = [];
  for (const place of sdScriptsPlaces) {
    const dir = place === '.' ? root : join(root, place);
    if (!found.includes(dir) && (await isSdScripts(dir))) found.push(dir);
  }

  const [sdScriptsDir, ...otherSdScriptsDirs] = found;
  if (!sdScriptsDir) {
    if (await isEmptyDir(join(root, 'sd-scripts'))) {
      return {
        ok: false,
        reason: text(
          `「${root}」里的 sd-scripts 文件夹是空的：这通常是 git clone 时没有加 --recursive，子模块没有下载。请在该文件夹运行 git submodule update --init --recursive，或重新下载完整的整合包。`,
          `The sd-scripts folder in "${root}" is empty: usually the repository was cloned without --recursive, so the submodule was never downloaded. Run git submodule update --init --recursive there, or download the complete package again.`,
        ),
        expected: ['sd-scripts/train_network.py', 'sd-scripts/library/train_util.py'],
      };
    }
    return {
      ok: false,
      reason: text(
        `「${root}」不是训练引擎：没有找到 sd-scripts（需要 train_network.py 或 sdxl_train_network.py，以及 library/train_util.py），位置可以是该文件夹本身、sd-scripts/、scripts/ 或 scripts/stable/。请选择秋叶 lora-scripts、kohya_ss 或 sd-scripts 的根目录。`,
        `"${root}" is not a training engine: no sd-scripts copy found (expected train_network.py or sdxl_train_network.py together with library/train_util.py) in the folder itself, in sd-scripts/, scripts/ or scripts/stable/. Choose the root folder of Qiuye's lora-scripts, kohya_ss or sd-scripts.`,
      ),
      expected: expectedFiles,
    };
  }

  let kind: EngineKind;
  if ((await isDir(join(root, 'mikazuki'))) || sdScriptsDir.startsWith(join(root, 'scripts'))) {
    kind = 'lora-scripts';
  } else if ((await isFile(join(root, 'kohya_gui.py'))) || (await isDir(join(root, 'kohya_gui')))) {
    kind = 'kohya_ss';
  } else {
    kind = 'sd-scripts';
  }

  const python = options.pythonExe
    ? { exe: resolve(options.pythonExe), layout: null }
    : await findPython(sdScriptsDir === root ? [root] : [root, sdScriptsDir]);

  return {
    ok: true,
    profile: {
      id: engineIdFor(root, options.platform),
      kind,
      root,
      sdScriptsDir,
      otherSdScriptsDirs,
      pythonExe: python?.exe ?? null,
      pythonLayout: python?.layout ?? null,
      scripts: await listTrainingScripts(sdScriptsDir),
      env: {},
      label: kindLabel(kind, basename(root)),
    },
  };
}

export interface SearchResult {
  found: EngineProfile[];
  /** Candidates that exist but are not engines, with the reason (missing folders are left out). */
  rejected: { root: string; reason: Text }[];
}

/** Looks at each candidate root (the caller decides which places are usual) and keeps the engines. */
export async function findEngines(candidateRoots: string[]): Promise<SearchResult> {
  const result: SearchResult = { found: [], rejected: [] };
  const seen = new Set<string>();
  for (const candidate of candidateRoots) {
    const root = resolve(candidate);
    if (seen.has(root) || !(await isDir(root))) continue;
    seen.add(root);
    const detected = await detectEngine(root);
    if (detected.ok) result.found.push(detected.profile);
    else result.rejected.push({ root, reason: detected.reason });
  }
  return result;
}

/** Places where people usually unpack these packages; a starting list for `findEngines`. */
export function usualEngineRoots(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = env['USERPROFILE'] ?? env['HOME'] ?? '',
): string[] {
  const names = ['lora-scripts', 'SD-Trainer', 'kohya_ss', 'sd-scripts'];
  const paths = platform === 'win32' ? win32 : posix;
  const bases =
    platform === 'win32'
      ? ['C:\\', 'D:\\', 'E:\\', 'F:\\', home && paths.join(home, 'Desktop'), home]
      : [home, '/opt', '/workspace', '/root'];
  const roots: string[] = [];
  for (const base of new Set(bases)) {
    if (!base) continue;
    for (const name of names) roots.push(paths.join(base, name));
  }
  return roots;
}
