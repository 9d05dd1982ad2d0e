import { execFile } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runDoctor } from '../doctor/checks.js';
import { detectEngine } from '../discovery/detect.js';
import { fakePython, makeFiles, sdScriptsFiles } from '../testing/layouts.js';
import { cachedProbe, readCachedProbe } from './cache.js';
import { parseProbeOutput, probeEnv, runProbe } from './runProbe.js';
import type { ProbeOutcome } from './schema.js';

const posix = process.platform !== 'win32';
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let engineRoot: string;

beforeAll(async () => {
  temp = await makeTempDir('probe');
  // A real sd-scripts-shaped folder with a real venv (no pip: fast, and no torch, which is the point).
  engineRoot = join(temp.dir, 'sd-scripts 引擎');
  await makeFiles(engineRoot, [
    ...sdScriptsFiles(''),
    ['.git/HEAD', 'ref: refs/heads/main\n'],
    ['.git/refs/heads/main', `${'a'.repeat(40)}\n`],
    [
      '.git/packed-refs',
      `# pack-refs with: peeled\n${'b'.repeat(40)} refs/tags/v0.10.1\n^${'a'.repeat(40)}\n`,
    ],
  ]);
  await promisify(execFile)('python3', ['-m', 'venv', '--without-pip', join(engineRoot, 'venv')]);
}, 60_000);
afterAll(() => temp.cleanup());

describe('runProbe against a real venv', () => {
  it('reports Python, no torch, and the sd-scripts tag; the doctor says torch is missing', async () => {
    const detected = await detectEngine(engineRoot);
    expect(detected.ok).toBe(true);
    if (!detected.ok) return;
    const profile = detected.profile;
    const outcome = await runProbe({
      pythonExe: profile.pythonExe,
      sdScriptsDir: profile.sdScriptsDir,
      timeoutMs: 20_000,
    });
    expect(outcome.status, outcome.message.en).toBe('ok');
    const report = outcome.report!;
    expect(report.python.version).toMatch(/^3\./);
    expect(report.python.utf8Mode).toBe(true);
    expect(report.torch.importable).toBe(false);
    expect(report.packages.find((pkg) => pkg.name === 'lycoris-lora')).toMatchObject({
      version: null,
      importable: false,
    });
    expect(report.sdScripts).toMatchObject({
      branch: 'main',
      commit: 'a'.repeat(40),
      tags: ['v0.10.1'],
      scripts: ['train_network.py', 'sdxl_train_network.py'],
    });
    const cards = runDoctor({ platform: 'linux', engine: profile, probe: outcome, gpus: null });
    expect(cards.find((card) => card.id === 'engine.python')?.status).toBe('ok');
    expect(cards.find((card) => card.id === 'torch.installed')).toMatchObject({
      status: 'error',
      title: { en: 'torch is not installed' },
    });
    expect(cards.find((card) => card.id === 'sdscripts.version')?.status).toBe('ok');
  });
});

describe.skipIf(!posix)('runProbe failure kinds', () => {
  it('tells a missing interpreter from a broken one', async () => {
    expect((await runProbe({ pythonExe: null })).status).toBe('python_missing');
    expect((await runProbe({ pythonExe: join(temp.dir, 'nope', 'python') })).status).toBe('python_missing');
    const link = join(temp.dir, 'dangling', 'bin', 'python');
    await mkdir(join(temp.dir, 'dangling', 'bin'), { recursive: true });
    await symlink(join(temp.dir, 'gone', 'python3'), link);
    expect((await runProbe({ pythonExe: link })).status).toBe('python_broken');
  });

  it('calls a venv whose pyvenv.cfg home is gone half-created', async () => {
    const venv = join(temp.dir, 'half venv');
    const exe = await fakePython(join(venv, 'bin', 'python'), 'echo should-not-run');
    await writeFile(join(venv, 'pyvenv.cfg'), 'home = C:\\Users\\old\\Python310\nversion = 3.10.11\n');
    const outcome = await runProbe({ pythonExe: exe });
    expect(outcome.status).toBe('python_broken');
    expect(outcome.message.en).toContain('home = C:\\Users\\old\\Python310');
  });

  it('calls a python that exits non-zero broken, with its stderr', async () => {
    const exe = await fakePython(
      join(temp.dir, 'crash', 'python'),
      'echo "Fatal Python error: init_fs_encoding: failed to get the Python codec" >&2\nexit 1',
    );
    const outcome = await runProbe({ pythonExe: exe });
    expect(outcome).toMatchObject({ status: 'python_broken', exitCode: 1 });
    expect(outcome.outputTail).toContain('init_fs_encoding');
  });

  it('kills a probe that hangs at its limit, child processes included', async () => {
    const exe = await fakePython(join(temp.dir, 'hang', 'python'), 'sleep 30 &\nsleep 30');
    const started = Date.now();
    const outcome = await runProbe({ pythonExe: exe, timeoutMs: 400 });
    expect(outcome.status).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome.message.en).toContain('killed');
  });

  it('calls unreadable output garbage', async () => {
    const exe = await fakePython(
      join(temp.dir, 'garbage', 'python'),
      'echo "Hello from not-python"\necho "{broken json"',
    );
    const outcome = await runProbe({ pythonExe: exe });
    expect(outcome.status).toBe('garbage');
    expect(outcome.outputTail).toContain('not-python');
    const wrongShape = await fakePython(
      join(temp.dir, 'shape', 'python'),
      `echo '{"danluProbe":1,"python":{}}'`,
    );
    expect((await runProbe({ pythonExe: wrongShape })).status).toBe('garbage');
  });
});

describe('probe helpers', () => {
  it('takes the JSON line even after a stray banner', () => {
    const line = JSON.stringify({
      danluProbe: 1,
      python: {
        version: '3.10.11',
        executable: 'x',
        prefix: 'p',
        basePrefix: 'b',
        implementation: 'CPython',
        bits: 64,
        utf8Mode: true,
      },
      platform: { system: 'Windows', release: '10', machine: 'AMD64', sysPlatform: 'win32' },
      packages: [],
      torch: { importable: false },
    });
    const parsed = parseProbeOutput(
      `bin C:\\venv\\lib\\bitsandbytes\\libbitsandbytes_cuda121.dll\r\n${line}\r\n`,
    );
    expect('report' in parsed && parsed.report.python.version).toBe('3.10.11');
    expect(parseProbeOutput('nothing')).toEqual({ problem: 'no JSON line on stdout' });
  });

  it('sets UTF-8 variables and drops PYTHONHOME/PYTHONPATH in every spelling', () => {
    const env = probeEnv({ PythonHome: 'x', PYTHONPATH: 'y', pythonutf8: '0', Path: 'p' });
    expect(env).toEqual({ Path: 'p', PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8', PYTHONUNBUFFERED: '1' });
  });

  it('caches finished probes per engine and refreshes on demand; timeouts are not cached', async () => {
    const dataDir = join(temp.dir, 'cache 数据');
    let runs = 0;
    const outcome = (status: ProbeOutcome['status']): ProbeOutcome => ({
      status,
      pythonExe: null,
      message: { zh: '测', en: 't' },
      durationMs: 1,
      probedAt: new Date().toISOString(),
    });
    const probe = () => {
      runs++;
      return Promise.resolve(outcome('python_missing'));
    };
    expect((await cachedProbe(dataDir, 'eng-1', probe)).fromCache).toBe(false);
    expect((await cachedProbe(dataDir, 'eng-1', probe)).fromCache).toBe(true);
    expect((await cachedProbe(dataDir, 'eng-1', probe, { refresh: true })).fromCache).toBe(false);
    expect(runs).toBe(2);
    await cachedProbe(dataDir, 'eng-2', () => Promise.resolve(outcome('timeout')));
    expect(await readCachedProbe(dataDir, 'eng-2')).toBeUndefined();
  });
});
