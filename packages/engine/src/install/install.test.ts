import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { formatInstallPlan } from './format.js';
import { chinaMirrors, mirrorPreset } from './mirrors.js';
import {
  buildInstallPlan,
  type InstallAction,
  type InstallGpu,
  type InstallPlan,
  type InstallPlatform,
} from './plan.js';
import { installedVersions, readInstallState, runInstallPlan, type StageEvent } from './state.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir('install');
});
afterEach(() => temp.cleanup());

function runs(plan: InstallPlan, stage: string): string[][] {
  return (plan.stages.find((entry) => entry.id === stage)?.actions ?? [])
    .filter((action): action is Extract<InstallAction, { kind: 'run' }> => action.kind === 'run')
    .map((action) => action.argv);
}

function downloads(plan: InstallPlan, stage: string): string[] {
  return (plan.stages.find((entry) => entry.id === stage)?.actions ?? []).flatMap((action) =>
    action.kind === 'download' ? action.urls : [],
  );
}

const combos: [InstallPlatform, InstallGpu, 'official' | 'cn'][] = [];
for (const platform of ['win32', 'linux'] as const)
  for (const gpu of ['rtx50', 'rtx40', 'cpu'] as const)
    for (const mirror of ['official', 'cn'] as const) combos.push([platform, gpu, mirror]);

describe('buildInstallPlan', () => {
  it.each(combos)('%s + %s + %s: complete, ordered stages with exact commands', (platform, gpu, mirror) => {
    const target = platform === 'win32' ? 'D:\\Danlu\\engine' : '/opt/danlu/engine';
    const plan = buildInstallPlan({ platform, gpu, targetDir: target, mirrors: mirrorPreset(mirror) });
    expect(plan.stages.map((stage) => stage.id)).toEqual([
      'python',
      'venv',
      'torch',
      'sd-scripts',
      'requirements',
      'lycoris',
      'bitsandbytes',
      'xformers',
      'prodigyopt',
      'probe',
    ]);
    const flavour = { rtx50: 'cu128', rtx40: 'cu126', cpu: 'cpu' }[gpu];
    const venvPython =
      platform === 'win32'
        ? 'D:\\Danlu\\engine\\venv\\Scripts\\python.exe'
        : '/opt/danlu/engine/venv/bin/python';
    expect(plan.pythonExe).toBe(venvPython);
    const [torchCommand] = runs(plan, 'torch');
    expect(torchCommand?.slice(0, 4)).toEqual([venvPython, '-m', 'pip', 'install']);
    expect(torchCommand).toContain(`torch==2.7.0+${flavour}`);
    expect(torchCommand).toContain(`torchvision==0.22.0+${flavour}`);
    const pythonUrls = downloads(plan, 'python');
    expect(pythonUrls.at(-1)).toBe(
      `https://github.com/astral-sh/python-build-standalone/releases/download/20250317/cpython-3.10.16%2B20250317-${
        platform === 'win32' ? 'x86_64-pc-windows-msvc' : 'x86_64-unknown-linux-gnu'
      }-install_only_stripped.tar.gz`,
    );
    expect(downloads(plan, 'sd-scripts').at(-1)).toBe(
      'https://github.com/kohya-ss/sd-scripts/archive/refs/tags/v0.10.1.tar.gz',
    );
    expect(runs(plan, 'venv')[0]?.[0]).toBe(
      platform === 'win32' ? 'D:\\Danlu\\engine\\python\\python.exe' : '/opt/danlu/engine/python/bin/python3',
    );
    expect(plan.stages.find((stage) => stage.id === 'requirements')?.actions[0]).toMatchObject({
      cwd: platform === 'win32' ? 'D:\\Danlu\\engine\\sd-scripts' : '/opt/danlu/engine/sd-scripts',
    });
    expect(plan.stages.find((stage) => stage.id === 'xformers')?.enabled).toBe(gpu !== 'cpu');
    if (mirror === 'cn') {
      expect(torchCommand).toEqual(
        expect.arrayContaining([
          '--index-url',
          chinaMirrors.pypiIndex,
          '--find-links',
          `https://mirrors.aliyun.com/pytorch-wheels/${flavour}/`,
        ]),
      );
      expect(pythonUrls[0]?.startsWith('https://ghfast.top/https://github.com/')).toBe(true);
      expect(runs(plan, 'lycoris')[0]).toEqual(
        expect.arrayContaining(['lycoris-lora==3.2.0.post2', '--index-url', chinaMirrors.pypiIndex]),
      );
      expect(plan.env['HF_ENDPOINT']).toBe('https://hf-mirror.com');
    } else {
      expect(torchCommand).toEqual(
        expect.arrayContaining(['--index-url', `https://download.pytorch.org/whl/${flavour}`]),
      );
      expect(pythonUrls).toHaveLength(1);
      expect(plan.env['HF_ENDPOINT']).toBeUndefined();
    }
    const printed = formatInstallPlan(plan, 'en');
    expect(printed).toContain(`torch==2.7.0+${flavour}`);
    expect(printed).toContain('python-build-standalone');
    expect(formatInstallPlan(plan, 'zh-CN')).toContain('安装计划');
  });

  it('says why RTX 50 needs cu128 and uses the cu128 xformers build', () => {
    const plan = buildInstallPlan({ platform: 'win32', gpu: 'rtx50', targetDir: 'D:\\Danlu\\engine' });
    expect(plan.notes[0]?.en).toContain('sm_120');
    expect(runs(plan, 'xformers')[0]).toEqual(
      expect.arrayContaining(['xformers==0.0.30', '--no-deps', 'https://download.pytorch.org/whl/cu128']),
    );
  });
});

describe('runInstallPlan (resumable stages)', () => {
  const plan = () => buildInstallPlan({ platform: 'linux', gpu: 'rtx40', targetDir: '/opt/danlu/engine' });

  it('stops at a failed stage, then resumes there without redoing the others', async () => {
    const stateFile = join(temp.dir, 'install-state.json');
    const calls: string[] = [];
    const failing = (stage: { id: string }) => {
      calls.push(stage.id);
      return stage.id === 'requirements'
        ? Promise.reject(new Error('pip: connection reset'))
        : Promise.resolve();
    };
    const first = await runInstallPlan(plan(), stateFile, failing);
    expect(first).toMatchObject({
      ok: false,
      failed: { stage: 'requirements', message: 'pip: connection reset' },
    });
    expect(first.ran).toEqual(['python', 'venv', 'torch', 'sd-scripts']);
    expect((await readInstallState(stateFile)).lastFailure?.stage).toBe('requirements');

    calls.length = 0;
    const events: StageEvent[] = [];
    const second = await runInstallPlan(
      plan(),
      stateFile,
      (stage) => {
        calls.push(stage.id);
        return Promise.resolve();
      },
      { onEvent: (event) => events.push(event) },
    );
    expect(second.ok).toBe(true);
    expect(second.skipped).toEqual(['python', 'venv', 'torch', 'sd-scripts']);
    expect(calls).toEqual(['requirements', 'lycoris', 'bitsandbytes', 'xformers', 'prodigyopt', 'probe']);
    expect(events.filter((event) => event.type === 'started')).toHaveLength(6);
    const state = await readInstallState(stateFile);
    expect(state.lastFailure).toBeUndefined();
    expect(installedVersions(state)).toMatchObject({
      torch: '2.7.0+cu126',
      'sd-scripts': 'v0.10.1',
      python: '3.10.16',
    });
  });

  it('redoes a stage whose content changed and every stage after it; always re-probes', async () => {
    const stateFile = join(temp.dir, 'state.json');
    await runInstallPlan(plan(), stateFile, () => Promise.resolve());
    const calls: string[] = [];
    const changed = buildInstallPlan({ platform: 'linux', gpu: 'rtx50', targetDir: '/opt/danlu/engine' });
    await runInstallPlan(changed, stateFile, (stage) => {
      calls.push(stage.id);
      return Promise.resolve();
    });
    expect(calls[0]).toBe('torch');
    expect(calls).toContain('requirements');
    calls.length = 0;
    await runInstallPlan(changed, stateFile, (stage) => {
      calls.push(stage.id);
      return Promise.resolve();
    });
    expect(calls).toEqual(['probe']);
  });

  it('keeps finished stages when only the download sources change (official → China mirrors)', async () => {
    const stateFile = join(temp.dir, 'mirror-switch.json');
    const failing = (stage: { id: string }) =>
      stage.id === 'requirements' ? Promise.reject(new Error('Read timed out')) : Promise.resolve();
    await runInstallPlan(plan(), stateFile, failing);
    const calls: string[] = [];
    const mirrored = buildInstallPlan({
      platform: 'linux',
      gpu: 'rtx40',
      targetDir: '/opt/danlu/engine',
      mirrors: mirrorPreset('cn'),
    });
    await runInstallPlan(mirrored, stateFile, (stage) => {
      calls.push(stage.id);
      return Promise.resolve();
    });
    expect(calls[0]).toBe('requirements');
  });

  it('starts over from an unreadable state file', async () => {
    const stateFile = join(temp.dir, 'state.json');
    await writeFile(stateFile, '{"version":1,"completed":');
    const calls: string[] = [];
    await runInstallPlan(plan(), stateFile, (stage) => {
      calls.push(stage.id);
      return Promise.resolve();
    });
    expect(calls[0]).toBe('python');
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toHaveProperty('completed.python');
  });
});
