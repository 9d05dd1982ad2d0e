import { spawn } from 'node:child_process';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

import { killTree, probeEnv } from '../probe/runProbe.js';
import { text, type Text } from '../text.js';
import { InstallCancelledError, InstallStepError } from './download.js';

export interface LoggedRunOptions {
  cwd?: string | undefined;
  /** Added on top of the UTF-8 child environment (PIP_INDEX_URL, HF_ENDPOINT…). */
  env?: Record<string, string>;
  /** Every output line is appended here, with the command first. */
  logFile: string;
  signal?: AbortSignal | undefined;
  onLine?: (line: string) => void;
  baseEnv?: NodeJS.ProcessEnv;
}

const tailLines = 60;

/** Appends to the install log; a log that cannot be written never fails the install. */
async function log(file: string, content: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, content);
  } catch {
    // the output still reaches the UI through onLine
  }
}

/**
 * Runs one command of the plan (argv array, no shell), streams its output into the install log and to
 * `onLine`, and resolves with the exit code and the last lines. Cancelling kills the whole tree.
 */
export async function runLogged(
  argv: string[],
  options: LoggedRunOptions,
): Promise<{ exitCode: number | null; tail: string[] }> {
  const [exe, ...args] = argv;
  if (!exe) throw new Error('empty command');
  if (options.signal?.aborted) throw new InstallCancelledError();
  const env = probeEnv(options.baseEnv);
  for (const [key, value] of Object.entries(options.env ?? {})) env[key] = value;
  env['PIP_NO_INPUT'] = '1';
  env['PIP_DISABLE_PIP_VERSION_CHECK'] = '1';
  await log(options.logFile, `\n$ ${argv.join(' ')}${options.cwd ? `   (in ${options.cwd})` : ''}\n`);

  return new Promise((resolvePromise, reject) => {
    const tail: string[] = [];
    let pending = '';
    let writes = Promise.resolve();
    const child = spawn(exe, args, {
      cwd: options.cwd,
      env,
      shell: false,
      windowsHide: true,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onAbort = () => {
      killTree(child.pid);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const take = (chunk: string) => {
      writes = writes.then(() => log(options.logFile, chunk));
      pending += chunk;
      const lines = pending.split(/\r?\n|\r/);
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > tailLines) tail.shift();
        options.onLine?.(line);
      }
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(
        new InstallStepError(
          text(
            `无法启动「${exe}」（${error.code ?? error.message}）：上一步可能没有完成，请重试安装。`,
            `Cannot start "${exe}" (${error.code ?? error.message}): an earlier step may not have finished; retry the install.`,
          ),
          error.message,
        ),
      );
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (pending.trim()) {
        tail.push(pending);
        options.onLine?.(pending);
      }
      void writes.then(() => {
        if (options.signal?.aborted) reject(new InstallCancelledError());
        else resolvePromise({ exitCode: code, tail });
      });
    });
  });
}

interface KnownFailure {
  pattern: RegExp;
  explanation: Text;
}

/** pip's own failure lines, most specific first, turned into what the user should do. */
const pipFailures: KnownFailure[] = [
  {
    pattern: /No space left on device|Errno 28|磁盘空间不足|not enough space on the disk/i,
    explanation: text(
      '磁盘空间不足：torch 等依赖需要约 10 GB。请清理磁盘，或把引擎安装到空间更大的磁盘后重试。',
      'The disk is full: torch and the other packages need about 10 GB. Free some space, or install the engine on a larger disk, then retry.',
    ),
  },
  {
    pattern: /does not have Windows Long Path support enabled|path too long|Filename too long/i,
    explanation: text(
      '路径太长：Windows 没有开启长路径支持。请在「环境」页开启长路径支持，或把引擎安装到更短的路径（如 D:\\Danlu\\engine）后重试。',
      'A path is too long: Windows long-path support is off. Enable long paths (see the Environment page) or install the engine to a shorter path such as D:\\Danlu\\engine, then retry.',
    ),
  },
  {
    pattern: /THESE PACKAGES DO NOT MATCH THE HASHES|hash mismatch/i,
    explanation: text(
      '下载的安装包校验失败（镜像上的文件损坏或不完整）。请重试；多次失败时换一个下载源。',
      'A downloaded package failed its hash check (a damaged or incomplete file on the mirror). Retry; if it keeps failing, switch the download source.',
    ),
  },
  {
    pattern: /No matching distribution found|Could not find a version that satisfies/i,
    explanation: text(
      '下载源上找不到所需的版本：镜像可能还没有同步这个版本，或者当前 Python 版本不受支持。请换用官方源或其他镜像后重试。',
      'The download source does not have the required version: the mirror may not carry it yet, or this Python version is not supported. Retry with the official source or another mirror.',
    ),
  },
  {
    pattern:
      /Read timed out|ConnectTimeout|ConnectionError|Connection reset|Max retries exceeded|Temporary failure in name resolution|Name or service not known|getaddrinfo failed|SSLError|ProxyError|Network is unreachable/i,
    explanation: text(
      '网络连接失败或超时。在中国大陆请在安装向导里选择「国内镜像」；使用代理时请确认代理正在运行。然后重试，已完成的步骤不会重做。',
      'The network connection failed or timed out. In mainland China choose "China mirrors" in the install wizard; with a proxy, check that it is running. Then retry: finished steps are not redone.',
    ),
  },
  {
    pattern: /Permission denied|Access is denied|WinError 5|WinError 32|being used by another process/i,
    explanation: text(
      '文件被占用或没有写入权限：请关闭正在运行的训练或其他 Python 程序，暂时关闭杀毒软件的实时防护，然后重试。',
      "A file is locked or cannot be written: close running trainings and other Python programs, pause the virus scanner's real-time protection, then retry.",
    ),
  },
  {
    pattern:
      /Microsoft Visual C\+\+ 14\.0 or greater is required|Failed building wheel|error: subprocess-exited-with-error/i,
    explanation: text(
      '有一个依赖没有现成的安装包，pip 试图从源码编译但失败了。通常是 Python 版本不对或镜像缺少对应的 wheel：请换用官方源重试。',
      'A package had no ready-made wheel and pip failed to build it from source. Usually the Python version is wrong or the mirror lacks that wheel: retry with the official source.',
    ),
  },
  {
    pattern: /No module named pip/i,
    explanation: text(
      '虚拟环境里没有 pip（创建不完整）。请删除引擎文件夹中的 venv 后重试安装。',
      'The virtual environment has no pip (it was only half created). Delete the venv in the engine folder and retry the install.',
    ),
  },
];

/** The explanation for a failed command's output; a generic one naming the log when nothing matches. */
export function explainCommandFailure(tail: string[], exitCode: number | null, logFile: string): Text {
  const joined = tail.join('\n');
  const known = pipFailures.find((failure) => failure.pattern.test(joined));
  if (known) return known.explanation;
  return text(
    `命令失败（退出码 ${String(exitCode)}）。完整输出在安装日志里：${logFile}。可以直接重试，已完成的步骤不会重做。`,
    `The command failed (exit code ${String(exitCode)}). The full output is in the install log: ${logFile}. You can retry at once; finished steps are not redone.`,
  );
}
