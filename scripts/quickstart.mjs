#!/usr/bin/env node
// `npm start` / `npm test` on a fresh clone: bring pnpm (the version in package.json's packageManager),
// install the workspace when the lockfile changed, then hand over to the real pnpm script.
// Works the same when called as `pnpm start` / `pnpm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** @type {Record<string, string>} */
const tasks = { start: 'start:app', test: 'test:all' };
const task = process.argv[2] ?? '';
const script = tasks[task];
if (!script) {
  console.error(`usage: node scripts/quickstart.mjs ${Object.keys(tasks).join('|')}`);
  process.exit(2);
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = String(manifest.packageManager ?? 'pnpm@10').replace(/^pnpm@/, '');

/** How to run pnpm here: the pnpm that started us, one on PATH, or a pinned one fetched by npx. */
function pnpmCommand() {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/i.test(process.env.npm_config_user_agent ?? '') && existsSync(execPath)) {
    return { file: process.execPath, args: [execPath] };
  }
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  if (probe.status === 0) return { file: 'pnpm', args: [] };
  return { file: 'npx', args: ['--yes', `pnpm@${pnpmVersion}`] };
}

/** @param {{ file: string, args: string[] }} command @param {string[]} args */
function run(command, args) {
  // Windows resolves pnpm/npx through .cmd shims, which only a shell can start; the arguments are fixed here.
  const result = spawnSync(command.file, [...command.args, ...args], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.error) {
    console.error(result.error.message);
    return 1;
  }
  return result.status ?? 1;
}

function installIsCurrent() {
  const lock = join(root, 'pnpm-lock.yaml');
  const installed = join(root, 'node_modules', '.pnpm', 'lock.yaml');
  if (!existsSync(installed) || !existsSync(lock)) return false;
  // pnpm keeps a copy of the lockfile it installed; any difference means the tree is stale.
  const strip = (/** @type {string} */ text) => text.replace(/\r\n/g, '\n').trim();
  return strip(readFileSync(lock, 'utf8')) === strip(readFileSync(installed, 'utf8'));
}

const pnpm = pnpmCommand();
if (!installIsCurrent()) {
  console.log('Installing dependencies (pnpm install) · 正在安装依赖 …');
  const status = run(pnpm, ['install', '--frozen-lockfile']);
  if (status !== 0) process.exit(status);
}
process.exit(run(pnpm, ['run', script]));
