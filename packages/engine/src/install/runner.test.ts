import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { defaultProbeScript } from '../probe/runProbe.js';
import { deadUrl, startFileServer, type FileServer } from '../testing/fileServer.js';
import { makeTarGz } from '../testing/tar.js';
import { buildInstallPlan, type InstallPlan } from './plan.js';
import { explainCommandFailure } from './process.js';
import { executeInstallPlan, installStateFile, type InstallEvent } from './runner.js';
import { readInstallState } from './state.js';

/**
 * The whole runner against local stand-ins: a 127.0.0.1 file server for GitHub and its mirror, and a
 * shell script posing as Python (it records each command, makes a "venv" by copying itself, answers
 * pip like pip does, and hands the probe to the real python3 with a tiny stand-in torch module).
 */
const fakePythonScript = `#!/bin/sh
echo "$*" >> "$FAKE_PY_LOG"
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  dir="$4"; mkdir -p "$dir/bin"; cp "$0" "$dir/bin/python"; chmod +x "$dir/bin/python"
  printf 'home = %s\\n' "$(dirname "$0")" > "$dir/pyvenv.cfg"
  exit 0
fi
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
  if [ -n "$FAKE_PIP_FAIL" ] && echo "$*" | grep -q -- "$FAKE_PIP_FAIL"; then
    echo "ERROR: Could not find a version that satisfies the requirement (from versions: none)" >&2
    echo "ERROR: No matching distribution found" >&2
    exit 1
  fi
  echo "Collecting packages"
  echo "Successfully installed"
  exit 0
fi
if [ "$1" = "-X" ]; then
  shift 3
  PYTHONPATH="$FAKE_SITE" exec python3 -X utf8 -u "$@"
fi
exit 3
`;

const posix = process.platform !== 'win32';
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let server: FileServer;

beforeEach(async () => {
  temp = await makeTempDir('runner');
  server = await startFileServer();
});
afterEach(async () => {
  await server.close();
  await temp.cleanup();
});

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The real plan, with every download pointed at a dead mirror first and the local server second. */
async function localPlan(target: string): Promise<InstallPlan> {
  const plan = buildInstallPlan({ platform: 'linux', gpu: 'rtx40', targetDir: target });
  const dead = await deadUrl('/gh');
  for (const stage of plan.stages)
    for (const action of stage.actions) {
      if (action.kind !== 'download') continue;
      const name = action.urls.at(-1)?.split('/').at(-1) ?? '';
      action.urls = [`${dead}/${name}`, server.url(`/gh/${decodeURIComponent(name)}`)];
      if (action.sha256SumsUrls) action.sha256SumsUrls = [server.url('/gh/SHA256SUMS')];
    }
  return plan;
}

function serveReleases(): { pythonName: string } {
  const pythonName = 'cpython-3.10.16+20250317-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz';
  const python = makeTarGz([
    { path: 'python/bin/python3', content: fakePythonScript, mode: 0o755 },
    { path: 'python/lib/libpython.so', content: randomBytes(200_000) },
  ]);
  const sdScripts = makeTarGz([
    { path: 'sd-scripts-0.10.1/train_network.py', content: '' },
    { path: 'sd-scripts-0.10.1/sdxl_train_network.py', content: '' },
    { path: 'sd-scripts-0.10.1/library/train_util.py', content: '' },
    { path: 'sd-scripts-0.10.1/requirements.txt', content: 'accelerate==1.6.0\n-e .\n' },
  ]);
  server.routes.set(`/gh/${pythonName}`, { body: python, cut: 80_000 });
  server.routes.set('/gh/SHA256SUMS', {
    body: Buffer.from(`${'0'.repeat(64)}  other.tar.gz\n${sha(python)}  ${pythonName}\n`),
  });
  server.routes.set('/gh/v0.10.1.tar.gz', { body: sdScripts });
  return { pythonName };
}

async function fakeEnv(): Promise<{ env: NodeJS.ProcessEnv; log: string }> {
  const site = join(temp.dir, 'fake site');
  await mkdir(join(site, 'torch'), { recursive: true });
  await writeFile(
    join(site, 'torch', '__init__.py'),
    '__version__ = "2.7.0+cu126"\nclass version:\n    cuda = "12.6"\nclass cuda:\n    @staticmethod\n    def is_available():\n        return False\n',
  );
  const log = join(temp.dir, 'commands.log');
  return { env: { ...process.env, FAKE_PY_LOG: log, FAKE_SITE: site }, log };
}

const options = (logFile: string, env: NodeJS.ProcessEnv, onEvent?: (event: InstallEvent) => void) => ({
  logFile,
  baseEnv: env,
  probeScript: defaultProbeScript(),
  download: { backoffMs: 1, attemptsPerUrl: 2, idleTimeoutMs: 5000 },
  ...(onEvent ? { onEvent } : {}),
});

describe.skipIf(!posix)('executeInstallPlan', () => {
  it('installs stage by stage, stops at a failed pip stage with an explanation, then resumes there', async () => {
    const { pythonName } = serveReleases();
    const target = join(temp.dir, '引擎 engine');
    const logFile = join(temp.dir, 'logs', 'install.log');
    const { env, log } = await fakeEnv();

    const events: InstallEvent[] = [];
    const first = await executeInstallPlan(
      await localPlan(target),
      options(logFile, { ...env, FAKE_PIP_FAIL: 'requirements.txt' }, (event) => events.push(event)),
    );
    expect(first.ok).toBe(false);
    expect(first.cancelled).toBe(false);
    expect(first.failed?.stage).toBe('requirements');
    expect(first.explanation?.en).toMatch(/does not have the required version/);
    expect(first.ran).toEqual(['python', 'venv', 'torch', 'sd-scripts']);
    // The python archive came through the cut transfer (resumed) and was checked against SHA256SUMS.
    const pythonGets = server.requests.filter((request) => request.path === `/gh/${pythonName}`);
    expect(pythonGets.map((request) => request.range)).toEqual([undefined, expect.stringMatching(/^bytes=/)]);
    expect(existsSync(join(target, 'python', 'bin', 'python3'))).toBe(true);
    expect(await readFile(join(target, 'sd-scripts', 'COMMIT_ID'), 'utf8')).toMatch(/^ae72efb/);
    expect(await readFile(logFile, 'utf8')).toContain('No matching distribution found');
    expect(events.some((event) => event.type === 'download' && event.event.type === 'mirror_failed')).toBe(
      true,
    );
    const state = await readInstallState(installStateFile(target));
    expect(Object.keys(state.completed)).toEqual(['python', 'venv', 'torch', 'sd-scripts']);
    expect(state.lastFailure?.stage).toBe('requirements');

    // Second run, as after a restart of the app: nothing before requirements is downloaded or run again.
    const requestsBefore = server.requests.length;
    await writeFile(log, '');
    const second = await executeInstallPlan(await localPlan(target), options(logFile, env));
    expect(server.requests.length).toBe(requestsBefore);
    const commands = (await readFile(log, 'utf8')).trim().split('\n');
    expect(commands[0]).toContain('-r requirements.txt');
    expect(commands.some((line) => line.includes('venv'))).toBe(false);
    expect(commands.some((line) => line.includes('lycoris-lora==3.2.0.post2'))).toBe(true);
    expect(commands.some((line) => line.includes('xformers==0.0.30'))).toBe(true);
    // The final probe ran the real probe script in the new engine's interpreter.
    expect(commands.at(-1)).toMatch(/danlu_probe\.py/);
    expect(second.ok).toBe(true);
    expect(second.skipped).toEqual(['python', 'venv', 'torch', 'sd-scripts']);
  });

  it('a cancelled install keeps its downloads and continues after a "crash"', async () => {
    const pythonName = 'cpython-3.10.16+20250317-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz';
    const python = makeTarGz([
      { path: 'python/bin/python3', content: fakePythonScript, mode: 0o755 },
      { path: 'python/lib/blob.bin', content: Buffer.alloc(400_000, 1) },
    ]);
    server.routes.set(`/gh/${pythonName}`, { body: python, drip: { bytesPerTick: 256, tickMs: 5 } });
    server.routes.set('/gh/SHA256SUMS', { body: Buffer.from(`${sha(python)}  ${pythonName}\n`) });
    const target = join(temp.dir, 'engine');
    const { env } = await fakeEnv();
    const controller = new AbortController();
    const run = executeInstallPlan(await localPlan(target), {
      ...options(join(temp.dir, 'install.log'), env),
      signal: controller.signal,
      onEvent: (event) => {
        if (
          event.type === 'download' &&
          event.event.type === 'progress' &&
          event.event.url.includes('cpython') &&
          event.event.received > 0
        )
          controller.abort();
      },
    });
    const result = await run;
    expect(result).toMatchObject({ ok: false, cancelled: true, failed: { stage: 'python' } });
    const part = join(target, 'downloads', `${pythonName}.part`);
    expect(existsSync(part)).toBe(true);

    // "Crash" = a fresh call with a fresh plan object; the part file is the only memory, and it is used.
    server.routes.set(`/gh/${pythonName}`, { body: python });
    const again = await executeInstallPlan(await localPlan(target), {
      ...options(join(temp.dir, 'install.log'), env),
      onEvent: (event) => {
        if (event.type === 'started' && event.stage === 'venv') controller.abort();
      },
    });
    expect(again.ran[0]).toBe('python');
    expect(server.requests.filter((request) => request.path === `/gh/${pythonName}`).at(-1)?.range).toMatch(
      /^bytes=[1-9]\d*-$/,
    );
  });
});

describe('explainCommandFailure', () => {
  it('maps pip’s own lines to what the user should do, and names the log otherwise', () => {
    expect(explainCommandFailure(['ERROR: [Errno 28] No space left on device'], 1, 'x.log').en).toMatch(
      /disk is full/,
    );
    expect(
      explainCommandFailure(
        ['  Could not fetch URL https://pypi.org/simple/torch/: ... Read timed out. (read timeout=15)'],
        1,
        'x.log',
      ).zh,
    ).toMatch(/国内镜像/);
    expect(
      explainCommandFailure(
        [
          'HINT: This error might have occurred since this system does not have Windows Long Path support enabled.',
        ],
        1,
        'x.log',
      ).en,
    ).toMatch(/long-path/);
    expect(explainCommandFailure(['something odd'], 2, '/logs/install.log').en).toContain(
      '/logs/install.log',
    );
  });
});
