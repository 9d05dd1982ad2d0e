import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { makeFiles, sdScriptsFiles } from '../testing/layouts.js';
import { detectEngine, findEngines, usualEngineRoots } from './detect.js';
import { attachEngine, detachEngine, enginesFile, loadEngines } from './store.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir('engine');
});
afterEach(() => temp.cleanup());

async function layout(name: string, files: string[]): Promise<string> {
  const root = join(temp.dir, name);
  await makeFiles(root, files);
  return root;
}

async function detected(root: string) {
  const result = await detectEngine(root);
  if (!result.ok) throw new Error(result.reason.en);
  return result.profile;
}

describe('detectEngine', () => {
  it('recognises Qiuye lora-scripts 1.8+ on Windows: scripts/stable + scripts/dev, bundled python\\python.exe', async () => {
    const root = await layout('lora-scripts-v1.10 整合包', [
      'gui.py',
      'mikazuki/app/api.py',
      ...sdScriptsFiles('scripts/stable', ['train_network.py', 'sdxl_train_network.py', 'train_db.py']),
      ...sdScriptsFiles('scripts/dev', ['flux_train_network.py', 'sd3_train_network.py']),
      'python/python.exe',
      'python/python310._pth',
    ]);
    const profile = await detected(root);
    expect(profile).toMatchObject({
      kind: 'lora-scripts',
      sdScriptsDir: join(root, 'scripts', 'stable'),
      otherSdScriptsDirs: [join(root, 'scripts', 'dev')],
      pythonExe: join(root, 'python', 'python.exe'),
      pythonLayout: 'embedded-windows',
      scripts: ['train_network.py', 'sdxl_train_network.py', 'train_db.py'],
    });
    expect(profile.label.zh).toContain('秋叶');
  });

  it('prefers lora-scripts’ venv over the bundled python, as its launch script does', async () => {
    const root = await layout('lora-scripts', [
      'mikazuki/app/api.py',
      ...sdScriptsFiles('scripts/stable'),
      'venv/Scripts/python.exe',
      'python/python.exe',
    ]);
    expect(await detected(root)).toMatchObject({
      pythonExe: join(root, 'venv', 'Scripts', 'python.exe'),
      pythonLayout: 'venv-windows',
    });
  });

  it('recognises an older lora-scripts with scripts/ and a Linux venv', async () => {
    const root = await layout('lora-scripts-old', [
      'gui.py',
      ...sdScriptsFiles('scripts'),
      'venv/bin/python',
    ]);
    expect(await detected(root)).toMatchObject({
      kind: 'lora-scripts',
      sdScriptsDir: join(root, 'scripts'),
      pythonLayout: 'venv-posix',
      pythonExe: join(root, 'venv', 'bin', 'python'),
    });
  });

  it('recognises a newer lora-scripts with sd-scripts/ by its mikazuki folder', async () => {
    const root = await layout('SD-Trainer', [
      'mikazuki/app/api.py',
      ...sdScriptsFiles('sd-scripts'),
      'venv/bin/python3',
    ]);
    expect(await detected(root)).toMatchObject({
      kind: 'lora-scripts',
      sdScriptsDir: join(root, 'sd-scripts'),
    });
  });

  it('recognises kohya_ss on Windows and on Linux', async () => {
    const windows = await layout('kohya_ss win', [
      'kohya_gui.py',
      ...sdScriptsFiles('sd-scripts'),
      'venv/Scripts/python.exe',
    ]);
    expect(await detected(windows)).toMatchObject({
      kind: 'kohya_ss',
      sdScriptsDir: join(windows, 'sd-scripts'),
      pythonLayout: 'venv-windows',
    });
    const linux = await layout('kohya_ss linux', [
      'kohya_gui/common_gui.py',
      ...sdScriptsFiles('sd-scripts'),
      'venv/bin/python',
    ]);
    expect(await detected(linux)).toMatchObject({ kind: 'kohya_ss', pythonLayout: 'venv-posix' });
  });

  it('recognises a bare sd-scripts checkout with venv/ (Windows) or .venv/ (Linux)', async () => {
    const windows = await layout('sd-scripts-win', [...sdScriptsFiles(''), 'venv/Scripts/python.exe']);
    expect(await detected(windows)).toMatchObject({
      kind: 'sd-scripts',
      root: windows,
      sdScriptsDir: windows,
      pythonExe: join(windows, 'venv', 'Scripts', 'python.exe'),
    });
    const linux = await layout('sd-scripts-linux', [...sdScriptsFiles(''), '.venv/bin/python']);
    expect(await detected(linux)).toMatchObject({
      pythonExe: join(linux, '.venv', 'bin', 'python'),
      pythonLayout: 'venv-posix',
    });
  });

  it('finds the venv inside sd-scripts/ when the package root has none', async () => {
    const root = await layout('kohya-inner-venv', [
      'kohya_gui.py',
      ...sdScriptsFiles('sd-scripts'),
      'sd-scripts/venv/bin/python',
    ]);
    expect((await detected(root)).pythonExe).toBe(join(root, 'sd-scripts', 'venv', 'bin', 'python'));
  });

  it('finds an engine without a Python and says so with a null interpreter', async () => {
    const root = await layout('no-python', sdScriptsFiles(''));
    expect(await detected(root)).toMatchObject({ pythonExe: null, pythonLayout: null });
  });

  it('decides by files, not folder names: a folder called sd-scripts without library/ is not an engine', async () => {
    const root = await layout('sd-scripts', ['train_network.py', 'venv/bin/python']);
    const result = await detectEngine(root);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason.en).toContain('library/train_util.py');
      expect(result.expected).toContain('train_network.py');
    }
  });

  it('explains a folder that is not an engine, in both languages', async () => {
    const root = await layout('我的图片', ['a.png', 'b.txt']);
    const result = await detectEngine(root);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason.zh).toContain('不是训练引擎');
      expect(result.reason.en).toContain('is not a training engine');
      expect(result.reason.en).toContain('train_network.py');
    }
  });

  it('explains a missing folder and an empty sd-scripts submodule', async () => {
    const missing = await detectEngine(join(temp.dir, 'nope'));
    expect(!missing.ok && missing.reason.en).toContain('does not exist');
    const root = await layout('kohya_ss-no-submodule', ['kohya_gui.py', 'sd-scripts/.keep']);
    await import('node:fs/promises').then((fs) => fs.rm(join(root, 'sd-scripts', '.keep')));
    const empty = await detectEngine(root);
    expect(!empty.ok && empty.reason.en).toContain('--recursive');
  });

  it('gives one folder one id', async () => {
    const root = await layout('ids', sdScriptsFiles(''));
    expect((await detected(root)).id).toBe((await detected(join(root, '.'))).id);
  });
});

describe('findEngines and usual roots', () => {
  it('keeps engines, explains other folders, skips missing ones', async () => {
    const engine = await layout('kohya_ss', ['kohya_gui.py', ...sdScriptsFiles('sd-scripts')]);
    const other = await layout('photos', ['x.jpg']);
    const result = await findEngines([engine, other, join(temp.dir, 'missing'), engine]);
    expect(result.found.map((profile) => profile.root)).toEqual([engine]);
    expect(result.rejected.map((entry) => entry.root)).toEqual([other]);
  });

  it('lists Windows drive roots and Linux home folders', () => {
    expect(usualEngineRoots({}, 'win32', 'C:\\Users\\张三')).toContain('D:\\lora-scripts');
    expect(usualEngineRoots({}, 'linux', '/home/u')).toContain('/home/u/kohya_ss');
  });
});

describe('attachEngine', () => {
  it('persists the profile in engines.json and never writes into the engine folder', async () => {
    const root = await layout('kohya_ss', [
      'kohya_gui.py',
      ...sdScriptsFiles('sd-scripts'),
      'venv/bin/python',
    ]);
    const before = await readdir(root, { recursive: true });
    const dataDir = join(temp.dir, '数据');
    const first = await attachEngine(dataDir, root, { now: new Date('2026-01-01T00:00:00Z') });
    expect(first).toMatchObject({ ok: true, replaced: false });
    const again = await attachEngine(dataDir, root);
    expect(again).toMatchObject({ ok: true, replaced: true });
    expect(await readdir(root, { recursive: true })).toEqual(before);
    const { engines } = await loadEngines(dataDir);
    expect(engines).toHaveLength(1);
    expect(engines[0]?.kind).toBe('kohya_ss');
    expect(await detachEngine(dataDir, engines[0]!.id)).toBe(true);
    expect((await loadEngines(dataDir)).engines).toEqual([]);
  });

  it('refuses a non-engine without touching engines.json', async () => {
    const dataDir = join(temp.dir, 'data');
    const result = await attachEngine(dataDir, await layout('empty', ['readme.md']));
    expect(result.ok).toBe(false);
    await expect(readFile(enginesFile(dataDir))).rejects.toThrow();
  });

  it('survives a broken engines.json and drops invalid entries', async () => {
    const dataDir = await layout('data', ['.keep']);
    await writeFile(enginesFile(dataDir), '{"version":1,"engines":[{"id":"x"}');
    expect(await loadEngines(dataDir)).toEqual({ engines: [], dropped: 1 });
    await writeFile(enginesFile(dataDir), JSON.stringify({ version: 1, engines: [{ id: 'x' }] }));
    expect(await loadEngines(dataDir)).toEqual({ engines: [], dropped: 1 });
  });
});
