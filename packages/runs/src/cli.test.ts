import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CliIo } from '@danlu/node-utils';
import { makeTempDir } from '@danlu/node-utils/testing';

import { createRunCommands } from './cli.js';
import type { RunEngine } from './record.js';
import { makeMiniEngine } from './testing/miniEngine.js';

let dir: string;
let cleanup: () => Promise<void>;
let engine: RunEngine;
let resourcesDir: string;
let configFile: string;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('runs-cli'));
  ({ engine, resourcesDir } = await makeMiniEngine(dir));
  const images = join(dir, 'img', '5_角色 名');
  await mkdir(images, { recursive: true });
  await writeFile(join(images, 'a.png'), 'x');
  await writeFile(join(dir, 'model.safetensors'), 'x');
  configFile = join(dir, '配置 文件.toml');
  // A kohya config file as users have them (folder mode: train_data_dir is the parent of N_name folders).
  await writeFile(
    configFile,
    [
      `pretrained_model_name_or_path = ${JSON.stringify(join(dir, 'model.safetensors'))}`,
      `train_data_dir = ${JSON.stringify(join(dir, 'img'))}`,
      'output_name = "cli"',
      'resolution = "512,512"',
      'network_module = "networks.lora"',
      'network_dim = 8',
      '',
    ].join('\n'),
  );
});
afterEach(() => cleanup());

function io(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    language: 'en',
    dataDir: join(dir, 'data'),
    out: (t) => lines.push(t),
    err: (t) => errors.push(t),
    lines,
    errors,
  };
}

describe('danlu run', () => {
  it('runs a kohya config in the foreground and prints JSON lines of events', async () => {
    const [run, runs] = createRunCommands({ resourcesDir, pollMs: 30 });
    const out = io();
    const envFile = join(dir, 'engine.env');
    await writeFile(envFile, `PYTHONPATH=${engine.env['PYTHONPATH'] ?? ''}\n# comment\nMINI_STEPS=4\n`);
    const code = await run?.run(
      {
        values: {
          python: engine.python,
          'sd-scripts': engine.sdScriptsDir,
          'env-file': envFile,
          env: 'MINI_STEP_SECONDS=0.01',
          json: true,
        },
        positionals: [configFile],
      },
      out,
    );
    expect(out.errors).toEqual([]);
    expect(code).toBe(0);
    const events = out.lines.map(
      (l) => JSON.parse(l) as { event: string; run?: { state: string }; newPoints?: unknown[] },
    );
    expect(events[0]?.event).toBe('created');
    expect(events.at(-1)).toMatchObject({ event: 'finished', run: { state: 'completed' } });
    expect(events.filter((e) => e.event === 'runs.update').flatMap((e) => e.newPoints ?? [])).toHaveLength(4);

    const list = io();
    expect(await runs?.run({ values: { json: true }, positionals: ['list'] }, list)).toBe(0);
    expect((JSON.parse(list.lines.join('\n')) as unknown[]).length).toBe(1);
  });

  it('stops cleanly on Ctrl-C and exits non-zero', async () => {
    let interrupt: (() => void) | undefined;
    const [run] = createRunCommands({
      resourcesDir,
      pollMs: 30,
      stopGraceMs: 2000,
      onInterrupt: (stop) => {
        interrupt = stop;
        return () => undefined;
      },
    });
    const out = io();
    const envFile = join(dir, 'engine.env');
    await writeFile(envFile, `PYTHONPATH=${engine.env['PYTHONPATH'] ?? ''}\nMINI_STEPS=300\n`);
    const pending = run?.run(
      {
        values: { python: engine.python, 'sd-scripts': engine.sdScriptsDir, 'env-file': envFile },
        positionals: [configFile],
      },
      {
        ...out,
        out: (t) => {
          out.lines.push(t);
          if (t.startsWith('step ')) interrupt?.();
        },
      },
    );
    const code = await pending;
    expect(code).toBe(130);
    expect(out.lines).toContain('Result: stopped (exit code -)');
  });

  it('takes a Danlu TrainingConfig as JSON too (what the UI holds)', async () => {
    const [run] = createRunCommands({ resourcesDir, pollMs: 30 });
    const file = join(dir, 'config.json');
    const images = join(dir, '数据');
    await mkdir(images, { recursive: true });
    await writeFile(join(images, 'a.png'), 'x');
    await writeFile(
      file,
      JSON.stringify({
        family: 'sdxl',
        trainingType: 'lora',
        values: { pretrained_model_name_or_path: join(dir, 'model.safetensors'), output_name: 'json' },
        subsets: [{ imageDir: images, numRepeats: 1 }],
      }),
    );
    const out = io();
    const envFile = join(dir, 'engine.env');
    await writeFile(envFile, `PYTHONPATH=${engine.env['PYTHONPATH'] ?? ''}\nMINI_STEP_SECONDS=0.01\n`);
    const code = await run?.run(
      {
        values: { python: engine.python, 'sd-scripts': engine.sdScriptsDir, 'env-file': envFile },
        positionals: [file],
      },
      out,
    );
    expect(code).toBe(0);
    expect(out.lines).toContain('Result: completed (exit code 0)');
    expect(out.lines.some((l) => l.includes('output/json.safetensors'))).toBe(true);
  });

  it('says clearly when the python does not exist, and queues nothing', async () => {
    const [run, runs] = createRunCommands({ resourcesDir });
    const out = io();
    const code = await run?.run(
      {
        values: { python: join(dir, 'no', 'python'), 'sd-scripts': engine.sdScriptsDir },
        positionals: [configFile],
      },
      out,
    );
    expect(code).toBe(2);
    expect(out.errors.join('\n')).toMatch(/Python not found/);
    const list = io();
    await runs?.run({ values: {}, positionals: ['list'] }, list);
    expect(list.lines).toEqual(['No runs yet.']);
  });
});
