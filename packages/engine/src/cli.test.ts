import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import type { GpuReport } from '@danlu/contracts';
import type { CliIo } from '@danlu/node-utils';
import { makeTempDir } from '@danlu/node-utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEngineCommands } from './cli.js';
import { makeFiles, sdScriptsFiles } from './testing/layouts.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let kohya: string;
beforeAll(async () => {
  temp = await makeTempDir('cli');
  kohya = join(temp.dir, 'kohya_ss');
  await makeFiles(kohya, ['kohya_gui.py', ...sdScriptsFiles('sd-scripts')]);
  await promisify(execFile)('python3', ['-m', 'venv', '--without-pip', join(kohya, 'venv')]);
}, 60_000);
afterAll(() => temp.cleanup());

const noGpus = (): Promise<GpuReport> =>
  Promise.resolve({ gpus: [], source: 'none', checkedAt: new Date().toISOString() });
const commands = createEngineCommands({ queryGpus: noGpus, searchRoots: [] });

function io(dataDir: string, language: CliIo['language'] = 'en') {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const value: CliIo = {
    language,
    dataDir,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
  };
  return { io: value, stdout, stderr };
}

async function run(
  name: string,
  positionals: string[],
  values: Record<string, string | boolean>,
  dataDir: string,
) {
  const command = commands.find((entry) => entry.name === name)!;
  const out = io(dataDir);
  const code = await command.run({ values, positionals }, out.io);
  return { code, ...out, json: () => JSON.parse(out.stdout.join('\n')) as Record<string, unknown> };
}

describe('danlu doctor', () => {
  it('--json without GPU or engine says "no GPU, no engine"', async () => {
    const result = await run('doctor', [], { json: true }, join(temp.dir, 'empty data'));
    expect(result.code).toBe(1);
    const report = result.json() as {
      noGpu: boolean;
      noEngine: boolean;
      summary: { en: string };
      cards: { id: string }[];
    };
    expect(report).toMatchObject({ noGpu: true, noEngine: true });
    expect(report.summary.en).toContain('No GPU, no engine');
    expect(report.cards.map((entry) => entry.id)).toEqual(
      expect.arrayContaining(['engine.found', 'gpu.nvidia']),
    );
  });

  it('--engine DIR probes a kohya_ss layout and reports torch missing', async () => {
    const result = await run('doctor', [], { json: true, engine: kohya }, join(temp.dir, 'data2'));
    const report = result.json() as { noEngine: boolean; cards: { id: string; status: string }[] };
    expect(report.noEngine).toBe(false);
    expect(report.cards.find((entry) => entry.id === 'engine.found')?.status).toBe('ok');
    expect(report.cards.find((entry) => entry.id === 'engine.python')?.status).toBe('ok');
    expect(report.cards.find((entry) => entry.id === 'torch.installed')?.status).toBe('error');
  });

  it('--engine on a non-engine folder explains what was expected', async () => {
    const result = await run('doctor', [], { engine: temp.dir }, join(temp.dir, 'data3'));
    expect(result.stdout.join('\n')).toContain('train_network.py');
  });
});

describe('danlu engine', () => {
  it('attach, list and probe', async () => {
    const dataDir = join(temp.dir, '数据 目录');
    expect((await run('engine', ['attach', kohya], {}, dataDir)).code).toBe(0);
    const list = await run('engine', ['list'], { json: true }, dataDir);
    expect((list.json() as { engines: { kind: string }[] }).engines[0]?.kind).toBe('kohya_ss');
    const probe = await run('engine', ['probe'], {}, dataDir);
    expect(probe.stdout.join('\n')).toMatch(/Python\s+3\./);
  });

  it('attach refuses a non-engine with exit 1', async () => {
    const result = await run('engine', ['attach', temp.dir], {}, join(temp.dir, 'data4'));
    expect(result.code).toBe(1);
    expect(result.stderr.join('\n')).toContain('Expected');
  });

  it('a real install is only for this system (--platform is for --dry-run)', async () => {
    const other = process.platform === 'win32' ? 'linux' : 'win32';
    const result = await run('engine', ['install'], { platform: other, gpu: 'cpu' }, temp.dir);
    expect(result.code).toBe(2);
    expect(result.stderr.join('\n')).toContain('only be installed for this system');
  });

  it('danlu diagnostics writes a folder and a zip with the doctor, engines and settings', async () => {
    const data = join(temp.dir, 'diag data');
    const result = await run('diagnostics', [], { json: true, mask: true }, data);
    expect(result.code).toBe(0);
    const bundle = JSON.parse(result.stdout.join('\n')) as { folder: string; zip: string; files: string[] };
    expect(bundle.files).toEqual(
      expect.arrayContaining(['app.json', 'doctor.json', 'engines.json', 'gpus.json']),
    );
    expect(bundle.zip.endsWith('.zip')).toBe(true);
    expect(bundle.folder.startsWith(join(data, 'logs', 'diagnostics-'))).toBe(true);
    // A real zip reader accepts it, and every file's CRC checks out.
    const { stdout } = await promisify(execFile)('python3', [
      '-c',
      'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip(), len(z.namelist()))',
      bundle.zip,
    ]);
    expect(stdout.trim()).toBe(`None ${String(bundle.files.length)}`);
  });

  it('install --dry-run prints the plan, as text and JSON', async () => {
    const text = await run(
      'engine',
      ['install'],
      { 'dry-run': true, mirror: 'cn', gpu: 'rtx50', platform: 'win32' },
      temp.dir,
    );
    expect(text.code).toBe(0);
    expect(text.stdout.join('\n')).toContain('torch==2.7.0+cu128');
    expect(text.stdout.join('\n')).toContain('D:\\Danlu\\engine');
    const json = await run(
      'engine',
      ['install'],
      { 'dry-run': true, json: true, platform: 'linux' },
      temp.dir,
    );
    const plan = (json.json() as { plan: { gpu: string; stages: unknown[] } }).plan;
    expect(plan.gpu).toBe('cpu');
    expect(plan.stages).toHaveLength(10);
    expect((await run('engine', ['install'], { 'dry-run': true, gpu: 'rtx9000' }, temp.dir)).code).toBe(2);
  });
});
