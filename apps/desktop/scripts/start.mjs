#!/usr/bin/env node
// `pnpm start` for the desktop app: find (or fetch) the Electron binary, bundle, and run it. Whenever
// Electron cannot run here (no binary and no download, no display, running as root, DANLU_NO_ELECTRON=1),
// say why in Chinese and English and start the browser UI instead (`danlu serve --open`).
// Never `require('electron')` to find the binary: its index.js downloads synchronously, without a time limit.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { constants } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { bundle, desktopDir, webDistDir } from './bundle.mjs';

export const repoRoot = path.resolve(desktopDir, '..', '..');
export const cliPath = path.join(repoRoot, 'apps', 'cli', 'bin', 'danlu.mjs');
export const defaultFetchTimeoutS = 120;
const defaultMirror = 'https://github.com/electron/electron/releases/download/';

/** @typedef {{ zh: string, en: string }} Bilingual */

/** @param {string} text */
const say = (text) => console.log(`[danlu] ${text}`);

/** The folder of the electron npm package (its install.js, path.txt and dist/). */
export function electronPackageDir() {
  const require = createRequire(path.join(desktopDir, 'package.json'));
  return path.dirname(require.resolve('electron/package.json'));
}

/** @param {NodeJS.Platform} platform */
function executableName(platform) {
  if (platform === 'win32') return 'electron.exe';
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return 'electron';
}

/**
 * The Electron executable if it is installed, else undefined. The same lookup as electron's index.js
 * (path.txt names the file inside dist/, ELECTRON_OVERRIDE_DIST_PATH replaces dist/), minus its download.
 * @param {string} packageDir
 * @param {NodeJS.ProcessEnv} [env]
 * @param {NodeJS.Platform} [platform]
 * @returns {string | undefined}
 */
export function findElectronBinary(packageDir, env = process.env, platform = process.platform) {
  let relative;
  try {
    relative = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    relative = undefined;
  }
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (!override && !relative) return undefined;
  const binary = path.join(override || path.join(packageDir, 'dist'), relative || executableName(platform));
  return existsSync(binary) ? binary : undefined;
}

/**
 * Why Electron should not even be tried here, or undefined to go ahead.
 * @param {NodeJS.ProcessEnv} env
 * @param {NodeJS.Platform} platform
 * @param {number | undefined} uid
 * @returns {Bilingual | undefined}
 */
export function reasonToSkipElectron(env, platform, uid) {
  if (env['DANLU_NO_ELECTRON'] === '1') {
    return { zh: '已设置 DANLU_NO_ELECTRON=1', en: 'DANLU_NO_ELECTRON=1 is set' };
  }
  if (platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) {
    return { zh: '没有图形界面，未设置 DISPLAY', en: 'there is no display: DISPLAY is not set' };
  }
  if (platform === 'linux' && uid === 0) {
    return {
      zh: '以 root 身份运行时 Chromium 的沙箱拒绝启动',
      en: "Chromium's sandbox refuses to run as root",
    };
  }
  return undefined;
}

/**
 * Seconds allowed for fetching Electron: DANLU_ELECTRON_FETCH_TIMEOUT (seconds), default 120.
 * @param {NodeJS.ProcessEnv} env
 */
export function fetchTimeoutSeconds(env) {
  const value = Number(env['DANLU_ELECTRON_FETCH_TIMEOUT']);
  return Number.isFinite(value) && value > 0 ? value : defaultFetchTimeoutS;
}

/**
 * Where @electron/get downloads from, honouring the variables it reads.
 * @param {NodeJS.ProcessEnv} env
 */
export function downloadHost(env) {
  const mirror = env['ELECTRON_MIRROR'] || env['npm_config_electron_mirror'] || defaultMirror;
  try {
    return new URL(mirror);
  } catch {
    return new URL(defaultMirror);
  }
}

/**
 * Turns what we learned about a failed fetch into a short reason for the user.
 * @param {{ timedOut: boolean, timeoutS: number, exitCode: number | null, output: string, host: string, probe: string | undefined }} facts
 * @returns {Bilingual}
 */
export function describeFetchFailure(facts) {
  const { host, probe } = facts;
  if (probe === 'ENOTFOUND' || probe === 'EAI_AGAIN') {
    return { zh: `无法解析 ${host}`, en: `${host} could not be resolved` };
  }
  if (probe !== undefined && probe !== 'connected') {
    return { zh: `${host} 不可达，${probe}`, en: `${host} is unreachable, ${probe}` };
  }
  if (facts.timedOut) {
    return { zh: `${facts.timeoutS} 秒内未完成`, en: `it did not finish within ${facts.timeoutS} s` };
  }
  if (/checksum/i.test(facts.output)) {
    return { zh: '校验和不匹配', en: 'the checksum did not match' };
  }
  const status = /\b(?:HTTPError|Response code|status(?: code)?)\D{0,3}(\d{3})\b/i.exec(facts.output)?.[1];
  if (status) return { zh: `${host} 返回 HTTP ${status}`, en: `${host} answered HTTP ${status}` };
  return {
    zh: `安装脚本退出，代码 ${String(facts.exitCode)}`,
    en: `the install script exited with code ${String(facts.exitCode)}`,
  };
}

/**
 * Tries a TCP connection, to tell "unreachable" from other failures. Resolves 'connected' or an error code.
 * @param {URL} url
 * @param {number} timeoutMs
 * @returns {Promise<string>}
 */
export function probeHost(url, timeoutMs = 5000) {
  const port = Number(url.port) || (url.protocol === 'http:' ? 80 : 443);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port });
    const finish = (/** @type {string} */ result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish('ETIMEDOUT'));
    socket.once('connect', () => finish('connected'));
    socket.once('error', (/** @type {NodeJS.ErrnoException} */ error) => finish(error.code ?? 'error'));
  });
}

/**
 * Runs electron's own install.js (which honours ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR and
 * electron_config_cache) with a time limit, echoing its output.
 * @param {string} packageDir
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ ok: true } | { ok: false, reason: Bilingual }>}
 */
export async function fetchElectron(packageDir, env) {
  const timeoutS = fetchTimeoutSeconds(env);
  const host = downloadHost(env);
  say(
    `正在下载 Electron（来自 ${host.host}，最多 ${timeoutS} 秒）… / Downloading Electron from ${host.host} (up to ${timeoutS} s)…`,
  );
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(packageDir, 'install.js')], {
    cwd: packageDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let output = '';
  const collect = (/** @type {Buffer} */ chunk) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-8000);
    // Stack frames of a failed download say nothing to the user; the reason is worked out below.
    const shown = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !/^\s+at /.test(line));
    for (const line of shown) process.stderr.write(`  electron> ${line}\n`);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutS * 1000);
  const ticker = setInterval(() => {
    const elapsed = Math.round((Date.now() - started) / 1000);
    say(`仍在下载 Electron，已用 ${elapsed} 秒… / Still downloading Electron, ${elapsed} s so far…`);
  }, 10_000);

  /** @type {number | null} */
  const exitCode = await new Promise((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', (code) => resolve(code));
  });
  clearTimeout(timer);
  clearInterval(ticker);
  if (exitCode === 0 && !timedOut) return { ok: true };

  const probe = timedOut ? undefined : await probeHost(host);
  return {
    ok: false,
    reason: describeFetchFailure({ timedOut, timeoutS, exitCode, output, host: host.host, probe }),
  };
}

/**
 * Spawns a child with the terminal, forwards Ctrl+C / SIGTERM to it and resolves its exit code.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 * @returns {Promise<number>}
 */
export function runForwardingSignals(command, args, options) {
  const child = spawn(command, args, { stdio: 'inherit', ...options, shell: false });
  /** @type {NodeJS.Signals[]} */
  const signals = ['SIGINT', 'SIGTERM'];
  const forward = (/** @type {NodeJS.Signals} */ signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      console.error(`[danlu] could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      for (const name of signals) process.off(name, forward);
      resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
    });
  });
}

/** The browser UI: the same backend behind a local HTTP server, opened in the default browser. */
export function startBrowserMode() {
  if (!existsSync(cliPath)) {
    console.error(
      `[danlu] 找不到 ${cliPath}，无法启动浏览器模式。/ ${cliPath} is missing; cannot start the browser UI.`,
    );
    return Promise.resolve(1);
  }
  return runForwardingSignals(process.execPath, [cliPath, 'serve', '--open'], { cwd: repoRoot });
}

/**
 * @param {Bilingual} why
 */
function announceFallback(why) {
  say(`无法使用 Electron（${why.zh}），改用浏览器模式。`);
  say(`Electron cannot be used (${why.en}); starting the browser UI instead.`);
}

/** @returns {Promise<number>} the exit code */
export async function start() {
  const env = process.env;
  const skip = reasonToSkipElectron(env, process.platform, process.getuid?.());
  if (skip) {
    announceFallback(skip);
    return startBrowserMode();
  }

  const packageDir = electronPackageDir();
  let binary = findElectronBinary(packageDir, env);
  if (!binary) {
    const fetched = await fetchElectron(packageDir, env);
    binary = fetched.ok ? findElectronBinary(packageDir, env) : undefined;
    if (!binary) {
      const why = fetched.ok
        ? { zh: '安装后仍找不到可执行文件', en: 'no executable after installing' }
        : fetched.reason;
      say(`无法下载 Electron（${why.zh}），改用浏览器模式。`);
      say(`Could not download Electron (${why.en}); starting the browser UI instead.`);
      say('可设置 ELECTRON_MIRROR（例如 https://npmmirror.com/mirrors/electron/）后重试。');
      say('Set ELECTRON_MIRROR (for example https://npmmirror.com/mirrors/electron/) to try again.');
      return startBrowserMode();
    }
  }

  await bundle();
  if (!existsSync(path.join(webDistDir, 'index.html'))) {
    say(
      '界面尚未构建：请运行 pnpm --filter @danlu/web build。/ The UI is not built: run pnpm --filter @danlu/web build.',
    );
  }
  /** @type {NodeJS.ProcessEnv} */
  const childEnv = { ...env };
  // Set by some tools (VS Code tasks, Electron-hosted terminals); it would make Electron act as plain Node.
  delete childEnv['ELECTRON_RUN_AS_NODE'];
  return runForwardingSignals(binary, [desktopDir, ...process.argv.slice(2)], {
    cwd: repoRoot,
    env: childEnv,
  });
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  start().then(
    (code) => process.exit(code),
    (/** @type {unknown} */ error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
