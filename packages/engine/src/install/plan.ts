import { createHash } from 'node:crypto';
import { posix, win32 } from 'node:path';

import { text, type Text } from '../text.js';
import { githubUrls, type MirrorSettings } from './mirrors.js';

export type InstallPlatform = 'win32' | 'linux';
/** rtx40 stands for every pre-Blackwell NVIDIA card (RTX 20/30/40, GTX 16): a cu126 torch runs on all. */
export type InstallGpu = 'rtx50' | 'rtx40' | 'cpu';

/**
 * Python: python-build-standalone (astral-sh), CPython 3.10, the "install_only_stripped" archive.
 * - 3.10 because sd-scripts and Qiuye's lora-scripts are developed and pinned against it (their install
 *   scripts insist on it; 3.12 breaks the pins, lora-scripts#354), and every wheel we need exists for it.
 * - python-build-standalone rather than the Windows embeddable zip: it is a complete interpreter with
 *   `venv` and `ensurepip`, identical on Windows and Linux, relocatable, needs no admin rights or registry
 *   entries. The embeddable zip has no venv/pip, and its `._pth` file puts Python in isolated mode, which
 *   ignores PYTHONUTF8/PYTHONIOENCODING/PYTHONUNBUFFERED (windows-notes §1) — exactly the variables
 *   Danlu relies on for readable logs.
 * The release's SHA256SUMS file is checked at download; the digest is pinned here once verified.
 */
export const pythonPin = {
  version: '3.10.16',
  release: '20250317',
} as const;

/** Torch builds: cu128 is the first CUDA with sm_120 (RTX 50 / Blackwell); cu126 keeps the driver bar lower. */
export const torchPins = {
  rtx50: { flavour: 'cu128', torch: '2.7.0', torchvision: '0.22.0', xformers: '0.0.30' },
  rtx40: { flavour: 'cu126', torch: '2.7.0', torchvision: '0.22.0', xformers: '0.0.30' },
  cpu: { flavour: 'cpu', torch: '2.7.0', torchvision: '0.22.0', xformers: null },
} as const;

/** The sd-scripts release Danlu's config writer is tested against. */
export const sdScriptsPin = {
  tag: 'v0.10.1',
  date: '2026-02-13',
  /** The tag's commit, written as COMMIT_ID into the extracted copy so the probe can name it (no .git). */
  commit: 'ae72efb92babe89ff8e70f057e42db68440e8d61',
} as const;

/** Versions of the extra packages (the ones Qiuye's lora-scripts ships and users rely on). */
export const packagePins = {
  'lycoris-lora': '3.2.0.post2',
  prodigyopt: '1.1.2',
  bitsandbytes: '0.46.0',
} as const;

export type StageId =
  | 'python'
  | 'venv'
  | 'torch'
  | 'sd-scripts'
  | 'requirements'
  | 'lycoris'
  | 'bitsandbytes'
  | 'xformers'
  | 'prodigyopt'
  | 'probe';

export type InstallAction =
  | {
      kind: 'download';
      /** Tried in order; a file that fails its checksum counts as failed and the next URL is tried. */
      urls: string[];
      dest: string;
      sha256: string | null;
      /** Where the release's SHA256SUMS lives (same mirror order) when the digest is not pinned here. */
      sha256SumsUrls?: string[];
      /** The archive format's first bytes: an HTML error page from a mirror fails this check. */
      magic?: 'gzip' | 'zip';
    }
  | { kind: 'extract'; archive: string; dest: string; stripComponents: number }
  | { kind: 'write'; path: string; content: string }
  | { kind: 'run'; argv: string[]; cwd?: string }
  | { kind: 'probe'; pythonExe: string; sdScriptsDir: string };

export interface InstallStage {
  id: StageId;
  title: Text;
  optional: boolean;
  /** Optional stages the user switched off stay in the plan, marked, so the printout shows the choice. */
  enabled: boolean;
  actions: InstallAction[];
  /** Versions this stage installs, recorded in the state file for a later rollback. */
  versions: Record<string, string>;
}

export interface InstallPlan {
  platform: InstallPlatform;
  gpu: InstallGpu;
  targetDir: string;
  mirrors: MirrorSettings;
  pythonExe: string;
  sdScriptsDir: string;
  /** Set for the trainer and for pip while installing. */
  env: Record<string, string>;
  stages: InstallStage[];
  notes: Text[];
}

export interface PlanOptions {
  platform: InstallPlatform;
  gpu: InstallGpu;
  /** The new engine's folder (a short ASCII path such as D:\Danlu\engine works best on Windows). */
  targetDir: string;
  mirrors?: MirrorSettings;
  xformers?: boolean;
  prodigyopt?: boolean;
  bitsandbytes?: boolean;
}

function pythonArchive(platform: InstallPlatform): string {
  const triple = platform === 'win32' ? 'x86_64-pc-windows-msvc' : 'x86_64-unknown-linux-gnu';
  return `cpython-${pythonPin.version}+${pythonPin.release}-${triple}-install_only_stripped.tar.gz`;
}

export function pythonUrl(platform: InstallPlatform): string {
  return `https://github.com/astral-sh/python-build-standalone/releases/download/${pythonPin.release}/${encodeURIComponent(pythonArchive(platform))}`;
}

export function pythonSumsUrl(): string {
  return `https://github.com/astral-sh/python-build-standalone/releases/download/${pythonPin.release}/SHA256SUMS`;
}

export function sdScriptsUrl(): string {
  return `https://github.com/kohya-ss/sd-scripts/archive/refs/tags/${sdScriptsPin.tag}.tar.gz`;
}

function pipIndexArgs(mirrors: MirrorSettings): string[] {
  return mirrors.pypiIndex ? ['--index-url', mirrors.pypiIndex] : [];
}

/** Where torch comes from: the official per-flavour index, or PyPI mirror + a flat wheel mirror. */
function torchSourceArgs(flavour: string, mirrors: MirrorSettings): string[] {
  if (mirrors.torchFindLinks) {
    return [
      ...pipIndexArgs(mirrors),
      '--find-links',
      mirrors.torchFindLinks.replaceAll('{flavour}', flavour),
    ];
  }
  return ['--index-url', `https://download.pytorch.org/whl/${flavour}`];
}

/** Builds the complete plan as data: nothing is downloaded or run here. */
export function buildInstallPlan(options: PlanOptions): InstallPlan {
  const mirrors = options.mirrors ?? {};
  const paths = options.platform === 'win32' ? win32 : posix;
  const root = options.targetDir;
  const downloads = paths.join(root, 'downloads');
  const basePython =
    options.platform === 'win32'
      ? paths.join(root, 'python', 'python.exe')
      : paths.join(root, 'python', 'bin', 'python3');
  const venv = paths.join(root, 'venv');
  const py =
    options.platform === 'win32'
      ? paths.join(venv, 'Scripts', 'python.exe')
      : paths.join(venv, 'bin', 'python');
  const sdScriptsDir = paths.join(root, 'sd-scripts');
  const pins = torchPins[options.gpu];
  const pip = (...args: string[]) => [
    py,
    '-m',
    'pip',
    'install',
    '--no-input',
    '--disable-pip-version-check',
    ...args,
  ];
  const pythonTar = paths.join(downloads, pythonArchive(options.platform));
  const sdTar = paths.join(downloads, `sd-scripts-${sdScriptsPin.tag}.tar.gz`);
  const local = (version: string) =>
    pins.flavour === 'cpu' ? `${version}+cpu` : `${version}+${pins.flavour}`;
  const wantXformers = (options.xformers ?? options.gpu !== 'cpu') && pins.xformers !== null;

  const stages: InstallStage[] = [
    {
      id: 'python',
      title: text(`Python ${pythonPin.version}（独立版）`, `Python ${pythonPin.version} (standalone build)`),
      optional: false,
      enabled: true,
      actions: [
        {
          kind: 'download',
          urls: githubUrls(pythonUrl(options.platform), mirrors),
          dest: pythonTar,
          sha256: null,
          sha256SumsUrls: githubUrls(pythonSumsUrl(), mirrors),
          magic: 'gzip',
        },
        { kind: 'extract', archive: pythonTar, dest: paths.join(root, 'python'), stripComponents: 1 },
      ],
      versions: { python: pythonPin.version, 'python-build-standalone': pythonPin.release },
    },
    {
      id: 'venv',
      title: text('虚拟环境（venv）与 pip', 'Virtual environment (venv) and pip'),
      optional: false,
      enabled: true,
      actions: [
        // --clear: a venv left half-made by an interrupted run is rebuilt instead of trusted.
        { kind: 'run', argv: [basePython, '-m', 'venv', '--clear', venv] },
        { kind: 'run', argv: pip('--upgrade', 'pip', ...pipIndexArgs(mirrors)) },
      ],
      versions: {},
    },
    {
      id: 'torch',
      title:
        pins.flavour === 'cpu'
          ? text(`PyTorch ${pins.torch}（仅 CPU）`, `PyTorch ${pins.torch} (CPU only)`)
          : text(
              `PyTorch ${pins.torch}（CUDA ${pins.flavour}）`,
              `PyTorch ${pins.torch} (CUDA ${pins.flavour})`,
            ),
      optional: false,
      enabled: true,
      actions: [
        {
          kind: 'run',
          argv: pip(
            `torch==${local(pins.torch)}`,
            `torchvision==${local(pins.torchvision)}`,
            ...torchSourceArgs(pins.flavour, mirrors),
          ),
        },
      ],
      versions: { torch: local(pins.torch), torchvision: local(pins.torchvision) },
    },
    {
      id: 'sd-scripts',
      title: text(`kohya sd-scripts ${sdScriptsPin.tag}`, `kohya sd-scripts ${sdScriptsPin.tag}`),
      optional: false,
      enabled: true,
      actions: [
        // GitHub builds source tarballs on demand, so they have no stable digest to pin: the format
        // check, the extraction and the files checked by the final probe stand in for it.
        {
          kind: 'download',
          urls: githubUrls(sdScriptsUrl(), mirrors),
          dest: sdTar,
          sha256: null,
          magic: 'gzip',
        },
        { kind: 'extract', archive: sdTar, dest: sdScriptsDir, stripComponents: 1 },
        { kind: 'write', path: paths.join(sdScriptsDir, 'COMMIT_ID'), content: `${sdScriptsPin.commit}\n` },
      ],
      versions: { 'sd-scripts': sdScriptsPin.tag },
    },
    {
      id: 'requirements',
      title: text('sd-scripts 依赖（requirements.txt）', 'sd-scripts requirements (requirements.txt)'),
      optional: false,
      enabled: true,
      // requirements.txt ends with `-e .` (sd-scripts' own `library` package), so it runs from that folder.
      actions: [
        { kind: 'run', argv: pip('-r', 'requirements.txt', ...pipIndexArgs(mirrors)), cwd: sdScriptsDir },
      ],
      versions: {},
    },
    {
      id: 'lycoris',
      title: text('LyCORIS（LoCon / LoHa / LoKr）', 'LyCORIS (LoCon / LoHa / LoKr)'),
      optional: false,
      enabled: true,
      actions: [
        { kind: 'run', argv: pip(`lycoris-lora==${packagePins['lycoris-lora']}`, ...pipIndexArgs(mirrors)) },
      ],
      versions: { 'lycoris-lora': packagePins['lycoris-lora'] },
    },
    {
      id: 'bitsandbytes',
      title: text('bitsandbytes（8bit 优化器）', 'bitsandbytes (8-bit optimizers)'),
      optional: true,
      enabled: (options.bitsandbytes ?? true) && options.gpu !== 'cpu',
      actions: [
        { kind: 'run', argv: pip(`bitsandbytes==${packagePins.bitsandbytes}`, ...pipIndexArgs(mirrors)) },
      ],
      versions: { bitsandbytes: packagePins.bitsandbytes },
    },
    {
      id: 'xformers',
      title: text('xformers（可选，省显存的注意力）', 'xformers (optional memory-efficient attention)'),
      optional: true,
      enabled: wantXformers,
      // --no-deps: xformers pins an exact torch and would otherwise replace the one installed above.
      // The China wheel mirrors carry torch but not CUDA xformers builds, so this always uses the torch index.
      actions:
        pins.xformers === null
          ? []
          : [
              {
                kind: 'run',
                argv: pip(
                  `xformers==${pins.xformers}`,
                  '--no-deps',
                  '--index-url',
                  `https://download.pytorch.org/whl/${pins.flavour}`,
                ),
              },
            ],
      versions: pins.xformers === null ? {} : { xformers: pins.xformers },
    },
    {
      id: 'prodigyopt',
      title: text('Prodigy 优化器（可选）', 'Prodigy optimizer (optional)'),
      optional: true,
      enabled: options.prodigyopt ?? true,
      actions: [
        { kind: 'run', argv: pip(`prodigyopt==${packagePins.prodigyopt}`, ...pipIndexArgs(mirrors)) },
      ],
      versions: { prodigyopt: packagePins.prodigyopt },
    },
    {
      id: 'probe',
      title: text('最终检测', 'Final probe'),
      optional: false,
      enabled: true,
      actions: [{ kind: 'probe', pythonExe: py, sdScriptsDir }],
      versions: {},
    },
  ];

  const env: Record<string, string> = {};
  if (mirrors.pypiIndex) env['PIP_INDEX_URL'] = mirrors.pypiIndex;
  if (mirrors.hfEndpoint) env['HF_ENDPOINT'] = mirrors.hfEndpoint;
  if (options.platform === 'win32') env['XFORMERS_FORCE_DISABLE_TRITON'] = '1';

  const notes: Text[] = [];
  if (options.gpu === 'rtx50') {
    notes.push(
      text(
        'RTX 50 系列（Blackwell，sm_120）需要 CUDA 12.8 版的 torch 和 570 以上的显卡驱动。',
        'RTX 50-series (Blackwell, sm_120) needs a CUDA 12.8 torch and driver 570 or newer.',
      ),
    );
  } else if (options.gpu === 'rtx40') {
    notes.push(
      text(
        'CUDA 12.6 版 torch 适用于 RTX 20/30/40 系列，需要 560 以上的显卡驱动。',
        'The CUDA 12.6 torch fits RTX 20/30/40-series cards and needs driver 560 or newer.',
      ),
    );
  } else {
    notes.push(
      text(
        '仅 CPU 的 torch 无法实际训练 LoRA，只适合检查配置。',
        'A CPU-only torch cannot really train a LoRA; it is for checking configurations.',
      ),
    );
  }
  if (mirrors.githubProxy) {
    notes.push(
      text(
        'GitHub 下载先走代理，失败后再直连。',
        'GitHub downloads try the proxy first, then the direct URL.',
      ),
    );
  }
  return {
    platform: options.platform,
    gpu: options.gpu,
    targetDir: root,
    mirrors,
    pythonExe: py,
    sdScriptsDir,
    env,
    stages,
    notes,
  };
}

/** pip options that say where packages come from, not what is installed. */
const sourceOptions = new Set(['--index-url', '--extra-index-url', '--find-links', '-i', '-f']);

/** An action reduced to what it produces: the same file or package from another mirror is the same. */
function whatItDoes(action: InstallAction): unknown {
  switch (action.kind) {
    case 'download':
      return { kind: action.kind, dest: action.dest, sha256: action.sha256 };
    case 'run':
      return {
        kind: action.kind,
        cwd: action.cwd,
        argv: action.argv.filter(
          (arg, index) => !sourceOptions.has(arg) && !sourceOptions.has(action.argv[index - 1] ?? ''),
        ),
      };
    default:
      return action;
  }
}

/**
 * A fingerprint of what a stage installs: a changed stage (a new pin, another GPU build) is redone on
 * resume. Download sources are left out on purpose, so switching to a mirror after a failure does not
 * redo the multi-GB stages that already finished.
 */
export function stageFingerprint(stage: InstallStage): string {
  return createHash('sha256')
    .update(JSON.stringify({ actions: stage.actions.map(whatItDoes), versions: stage.versions }))
    .digest('hex')
    .slice(0, 16);
}
