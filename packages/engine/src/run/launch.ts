import { access, constants, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

import type { Text } from '../text.js';

/** Where the launcher shim lives inside Danlu's resources (A's `danlu_train_shim.py`). */
export function shimPath(resourcesDir: string): string {
  return join(resourcesDir, 'python', 'danlu_train_shim.py');
}

export interface EngineLaunchInput {
  python: string;
  sdScriptsDir: string;
  /** `train_network.py`, `sdxl_train_network.py`, … relative to sdScriptsDir. */
  script: string;
  configToml: string;
  datasetToml: string | null;
  /** The JSON-lines file the shim mirrors accelerate's `log()` calls into. */
  metricsFile: string;
  resourcesDir: string;
  /** GPU indices as nvidia-smi numbers them; empty = the engine's default device. */
  gpus?: readonly number[];
  cpuThreadsPerProcess?: number;
  /** The configuration's mixed precision, repeated on the launcher so accelerate prints no defaults warning. */
  mixedPrecision?: string;
  /** The profile's extra environment (PYTHONPATH, HF_ENDPOINT…). */
  profileEnv?: Readonly<Record<string, string>>;
  /** The environment to start from (default process.env). */
  baseEnv?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export interface EngineLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * Sets `key` in `env`, first removing every case variant of it: on Windows `{...process.env}` holds `Path`,
 * and a second `PATH` beside it makes Node pick one of the two at random-looking order (windows-notes §1).
 */
export function setEnv(env: Record<string, string>, key: string, value: string | undefined): void {
  for (const existing of Object.keys(env)) {
    if (existing.toLowerCase() === key.toLowerCase()) Reflect.deleteProperty(env, existing);
  }
  if (value !== undefined) env[key] = value;
}

/**
 * The engine command as an argument array (never a shell string):
 *
 *   <python> -X utf8 -u -m accelerate.commands.launch --num_cpu_threads_per_process N
 *     [--multi_gpu] --num_processes P --num_machines 1 --mixed_precision M --dynamo_backend no
 *     <shim> <sdScriptsDir>/<script> --config_file <run>/config.toml [--dataset_config <run>/dataset.toml]
 *
 * `python -m accelerate.commands.launch` instead of `accelerate(.exe)`: console-script launchers embed the
 * interpreter path of install time and break when a venv moves (windows-notes §1). The shim runs the real
 * script in-process and mirrors accelerate's `log()` calls to DANLU_METRICS_FILE as JSON lines.
 *
 * GPUs: CUDA_VISIBLE_DEVICES is set to the chosen indices, so inside the engine they are renumbered 0..P-1;
 * with more than one, `--multi_gpu --num_processes P` makes accelerate start one process per visible GPU
 * (batch size is per device, kohya divides the steps by P).
 */
export function buildEngineLaunch(input: EngineLaunchInput): EngineLaunch {
  const gpus = [...new Set(input.gpus ?? [])];
  const processes = Math.max(1, gpus.length);
  const threads = Math.max(1, Math.round(input.cpuThreadsPerProcess ?? 2));
  const args = [
    '-X',
    'utf8',
    '-u',
    '-m',
    'accelerate.commands.launch',
    '--num_cpu_threads_per_process',
    String(threads),
    ...(processes > 1 ? ['--multi_gpu'] : []),
    '--num_processes',
    String(processes),
    '--num_machines',
    '1',
    '--mixed_precision',
    input.mixedPrecision && ['no', 'fp16', 'bf16'].includes(input.mixedPrecision)
      ? input.mixedPrecision
      : 'no',
    '--dynamo_backend',
    'no',
    shimPath(input.resourcesDir),
    join(input.sdScriptsDir, input.script),
    '--config_file',
    input.configToml,
    ...(input.datasetToml !== null ? ['--dataset_config', input.datasetToml] : []),
  ];

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.baseEnv ?? process.env)) {
    if (value !== undefined) env[key] = value;
  }
  // Set by Electron for our own Node helpers; a Python child must not see it.
  setEnv(env, 'ELECTRON_RUN_AS_NODE', undefined);
  for (const [key, value] of Object.entries(input.profileEnv ?? {})) setEnv(env, key, value);
  // What Danlu's parser relies on comes last, so a profile cannot switch it off by accident.
  setEnv(env, 'PYTHONUNBUFFERED', '1');
  setEnv(env, 'PYTHONIOENCODING', 'utf-8');
  setEnv(env, 'PYTHONUTF8', '1');
  setEnv(env, 'DANLU_METRICS_FILE', input.metricsFile);
  if (gpus.length > 0) setEnv(env, 'CUDA_VISIBLE_DEVICES', gpus.join(','));
  return { command: input.python, args, env, cwd: input.sdScriptsDir };
}

export type EngineCheck = { ok: true } | { ok: false; code: 'engine_missing'; message: Text };

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Checks made before a run is queued: the interpreter exists (and is executable on POSIX), the
 * sd-scripts folder holds the script, the shim is there. Cheap file checks only — the engine doctor
 * (issue 5) does the deep probe.
 */
export async function checkEngine(
  input: Pick<EngineLaunchInput, 'python' | 'sdScriptsDir' | 'script' | 'resourcesDir' | 'platform'>,
): Promise<EngineCheck> {
  const fail = (zh: string, en: string): EngineCheck => ({
    ok: false,
    code: 'engine_missing',
    message: { zh, en },
  });
  if (!input.python || !isAbsolute(input.python))
    return fail(
      `Python 路径必须是完整路径（当前：${input.python || '空'}）。`,
      `The Python path must be absolute (got: ${input.python || 'empty'}).`,
    );
  if (!(await isFile(input.python)))
    return fail(`找不到 Python：${input.python}`, `Python not found: ${input.python}`);
  if ((input.platform ?? process.platform) !== 'win32') {
    try {
      await access(input.python, constants.X_OK);
    } catch {
      return fail(`Python 不可执行：${input.python}`, `Python is not executable: ${input.python}`);
    }
  }
  const script = join(input.sdScriptsDir, input.script);
  if (!(await isFile(script)))
    return fail(
      `sd-scripts 文件夹里没有训练脚本 ${input.script}：${input.sdScriptsDir}`,
      `The sd-scripts folder has no ${input.script}: ${input.sdScriptsDir}`,
    );
  const shim = shimPath(input.resourcesDir);
  if (!(await isFile(shim)))
    return fail(`丹炉的启动脚本缺失：${shim}`, `Danlu's launcher shim is missing: ${shim}`);
  return { ok: true };
}
