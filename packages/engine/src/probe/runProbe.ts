import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { text, type Text } from '../text.js';
import { ProbeReportSchema, type ProbeOutcome, type ProbeReport } from './schema.js';

/** `resources/python/danlu_probe.py` when running from source; the desktop app passes its own folder. */
export function defaultProbeScript(resourcesDir?: string): string {
  if (resourcesDir) return join(resourcesDir, 'python', 'danlu_probe.py');
  const here = dirname(fileURLToPath(import.meta.url));
  const fromSource = resolve(here, '..', '..', '..', '..', 'resources', 'python', 'danlu_probe.py');
  return existsSync(fromSource) ? fromSource : join(process.cwd(), 'resources', 'python', 'danlu_probe.py');
}

/**
 * The child's environment: UTF-8 everywhere (an embedded `._pth` Python ignores these, hence also the
 * `-X utf8 -u` flags), and without PYTHONHOME/PYTHONPATH, which point a venv at someone else's packages.
 * On Windows keys are case-insensitive, so every spelling of a key is removed before it is set.
 */
export function probeEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  const set = (key: string, value: string | undefined) => {
    for (const existing of Object.keys(env))
      if (existing.toUpperCase() === key) Reflect.deleteProperty(env, existing);
    if (value !== undefined) env[key] = value;
  };
  set('PYTHONHOME', undefined);
  set('PYTHONPATH', undefined);
  set('PYTHONUTF8', '1');
  set('PYTHONIOENCODING', 'utf-8');
  set('PYTHONUNBUFFERED', '1');
  return env;
}

/** `home = …` from a venv's pyvenv.cfg, if the interpreter sits in a venv. */
export async function venvHome(
  pythonExe: string,
): Promise<{ cfg: string; home: string | undefined } | undefined> {
  const cfg = join(dirname(dirname(pythonExe)), 'pyvenv.cfg');
  let content: string;
  try {
    content = await readFile(cfg, 'utf8');
  } catch {
    return undefined;
  }
  const home = /^\s*home\s*=\s*(.+?)\s*$/im.exec(content)?.[1];
  return { cfg, home };
}

export interface ProbeOptions {
  pythonExe: string | null;
  sdScriptsDir?: string;
  /** Killed (whole process tree) after this long. Importing torch on a cold Windows disk can take 20 s. */
  timeoutMs?: number;
  probeScript?: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

const maxStdout = 1024 * 1024;
const tailLength = 4000;

function tail(value: string): string {
  return value.length > tailLength ? value.slice(-tailLength) : value;
}

/** Kills a process and everything it started (taskkill /T on Windows, the process group elsewhere). */
export function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    const taskkill = join(process.env['SystemRoot'] ?? 'C:\\Windows', 'System32', 'taskkill.exe');
    execFile(taskkill, ['/PID', String(pid), '/T', '/F'], { windowsHide: true }, () => undefined);
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL'); // the probe runs in its own process group (detached on POSIX)
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

interface Finished {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  timedOut: boolean;
  spawnError?: NodeJS.ErrnoException;
}

function runPython(
  exe: string,
  args: string[],
  cwd: string | undefined,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
) {
  return new Promise<Finished>((resolvePromise) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const child = spawn(exe, args, {
      cwd,
      env,
      shell: false,
      windowsHide: true,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const finish = (result: Omit<Finished, 'stdout' | 'stderr'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      resolvePromise({ stdout, stderr, ...result });
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < maxStdout) stdout += chunk;
    });
    child.stderr.on('data', (chunk: string) => {
      stderr = tail(stderr + chunk);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid);
      // A grandchild may keep the pipes open; do not wait for them longer than a moment.
      setTimeout(() => {
        finish({ exitCode: null, timedOut });
      }, 1500).unref();
    }, timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({ exitCode: null, timedOut, spawnError: error });
    });
    child.on('exit', (code) => {
      if (timedOut) finish({ exitCode: code, timedOut });
    });
    child.on('close', (code) => {
      finish({ exitCode: code, timedOut });
    });
  });
}

/** The probe's JSON line: the last stdout line that parses, so a stray banner before it does no harm. */
export function parseProbeOutput(stdout: string): { report: ProbeReport } | { problem: string } {
  const lines = stdout.split(/\r?\n/).filter((line) => line.trim().startsWith('{'));
  let lastProblem = 'no JSON line on stdout';
  for (const line of lines.reverse()) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      lastProblem = 'a line starting with { is not valid JSON';
      continue;
    }
    const parsed = ProbeReportSchema.safeParse(value);
    if (parsed.success) return { report: parsed.data };
    lastProblem = `JSON does not match the probe format: ${parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ')}`;
  }
  return { problem: lastProblem };
}

/**
 * Runs `danlu_probe.py` in the engine's interpreter and says what happened. Never throws for anything
 * the user's environment can do; the message names the likely fix.
 */
export async function runProbe(options: ProbeOptions): Promise<ProbeOutcome> {
  const now = options.now ?? (() => new Date());
  const started = Date.now();
  const base = (
    status: ProbeOutcome['status'],
    message: Text,
    extra: Partial<ProbeOutcome> = {},
  ): ProbeOutcome => ({
    status,
    pythonExe: options.pythonExe,
    message,
    durationMs: Date.now() - started,
    probedAt: now().toISOString(),
    ...extra,
  });

  const exe = options.pythonExe;
  if (!exe) {
    return base(
      'python_missing',
      text(
        '没有找到这个引擎的 Python（venv、.venv 或自带的 python 文件夹都不存在）。请先运行该整合包自带的安装脚本，或让丹炉安装新的引擎。',
        "No Python found for this engine (no venv, .venv or bundled python folder). Run the package's own install script first, or let Danlu install a new engine.",
      ),
    );
  }
  try {
    await lstat(exe);
  } catch {
    return base('python_missing', text(`Python 不存在：${exe}`, `Python does not exist: ${exe}`));
  }
  try {
    await stat(exe);
  } catch {
    return base(
      'python_broken',
      text(
        `Python「${exe}」是一个指向不存在文件的链接：虚拟环境所依赖的基础 Python 已被移动或卸载。请删除 venv 后重新安装环境。`,
        `Python "${exe}" is a link to a file that no longer exists: the base Python this venv was made from was moved or uninstalled. Delete the venv and install the environment again.`,
      ),
    );
  }
  const venv = await venvHome(exe);
  if (venv?.home !== undefined && !existsSync(venv.home)) {
    return base(
      'python_broken',
      text(
        `虚拟环境不完整或已损坏：${venv.cfg} 中的 home = ${venv.home} 不存在（创建虚拟环境的 Python 被移动或卸载了）。请删除该 venv 文件夹后重新运行安装脚本。`,
        `The virtual environment is half-made or broken: home = ${venv.home} in ${venv.cfg} does not exist (the Python it was created from was moved or uninstalled). Delete that venv folder and run the install script again.`,
      ),
    );
  }

  const script = options.probeScript ?? defaultProbeScript();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const args = ['-X', 'utf8', '-u', script, ...(options.sdScriptsDir ? [options.sdScriptsDir] : [])];
  const cwd = options.sdScriptsDir && existsSync(options.sdScriptsDir) ? options.sdScriptsDir : undefined;
  const finished = await runPython(exe, args, cwd, probeEnv(options.env), timeoutMs);

  if (finished.spawnError) {
    const code = finished.spawnError.code ?? '';
    return base(
      code === 'ENOENT' ? 'python_missing' : 'python_broken',
      text(
        `无法启动 Python「${exe}」（${code || finished.spawnError.message}）。`,
        `Cannot start Python "${exe}" (${code || finished.spawnError.message}).`,
      ),
      { outputTail: finished.spawnError.message },
    );
  }
  if (finished.timedOut) {
    return base(
      'timeout',
      text(
        `检测脚本在 ${Math.round(timeoutMs / 1000)} 秒内没有结束，已被终止。常见原因：杀毒软件在扫描、硬盘很慢、torch 第一次加载。可以稍后重试；多次超时请检查该 Python 能否正常启动。`,
        `The probe did not finish within ${Math.round(timeoutMs / 1000)} s and was killed. Usual causes: a virus scanner, a slow disk, torch loading for the first time. Try again; if it keeps timing out, check that this Python starts at all.`,
      ),
      { exitCode: null, outputTail: tail(finished.stderr || finished.stdout) },
    );
  }
  const parsed = parseProbeOutput(finished.stdout);
  if ('report' in parsed) {
    return base(
      'ok',
      text(
        `检测完成：Python ${parsed.report.python.version}`,
        `Probe finished: Python ${parsed.report.python.version}`,
      ),
      {
        report: parsed.report,
        exitCode: finished.exitCode,
        ...(finished.stderr ? { outputTail: tail(finished.stderr) } : {}),
      },
    );
  }
  if (finished.exitCode !== 0) {
    return base(
      'python_broken',
      text(
        `Python 启动后立即出错退出（退出码 ${String(finished.exitCode)}）：环境可能只创建了一半，或基础 Python 已损坏。请删除 venv 后重新安装。详情见输出。`,
        `Python started but failed at once (exit code ${String(finished.exitCode)}): the environment may be half-created or its base Python damaged. Delete the venv and install again. See the output for details.`,
      ),
      { exitCode: finished.exitCode, outputTail: tail(finished.stderr || finished.stdout) },
    );
  }
  return base(
    'garbage',
    text(
      `检测脚本的输出无法识别（${parsed.problem}）。这个程序可能不是 Python，或被其他程序替换了。`,
      `The probe printed something Danlu cannot read (${parsed.problem}). This program may not be Python, or something replaced it.`,
    ),
    { exitCode: finished.exitCode, outputTail: tail(finished.stdout + finished.stderr) },
  );
}
