import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { CliIo } from '@danlu/node-utils';
import { makeTempDir } from '@danlu/node-utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { benchDataset } from './bench.js';
import { datasetCommands } from './cli.js';
import { buildMixedFolder } from './testing/fixtures.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  temp = await makeTempDir('dataset cli');
  await buildMixedFolder(join(temp.dir, 'src'));
}, 60_000);
afterAll(() => temp.cleanup());

function capture(language: 'zh-CN' | 'en' = 'en') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { language, out: (t) => out.push(t), err: (t) => err.push(t), dataDir: temp.dir };
  return { io, out, err };
}

const command = datasetCommands[0];
if (!command) throw new Error('no dataset command');

describe('danlu dataset', () => {
  it('scan --json prints the manifest, findings and buckets; errors give exit code 1', async () => {
    const { io, out } = capture();
    const code = await command.run(
      { values: { json: true, trigger: 'sks' }, positionals: ['scan', join(temp.dir, 'src')] },
      io,
    );
    expect(code).toBe(1);
    const parsed = JSON.parse(out.join('\n')) as {
      ok: boolean;
      findings: { id: string }[];
      buckets: { lines: string[] };
    };
    expect(parsed.ok).toBe(true);
    expect(parsed.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['corrupt', 'pixel_limit', 'duplicate']),
    );
    expect(parsed.buckets.lines.some((line) => line.startsWith('bucket 0: resolution ('))).toBe(true);
  });

  it('scan prints a Chinese summary', async () => {
    const { io, out } = capture('zh-CN');
    await command.run({ values: { resolution: '512' }, positionals: ['scan', join(temp.dir, 'src')] }, io);
    expect(out[0]).toMatch(/^扫描 /);
    expect(out.join('\n')).toContain('分桶预览');
  });

  it('prepare writes into --out and reports failures; bad usage is exit code 2', async () => {
    const { io, out } = capture();
    const outDir = join(temp.dir, 'prepared 😀');
    const code = await command.run(
      {
        values: { out: outDir, size: '512x768', crop: 'center', json: true },
        positionals: ['prepare', join(temp.dir, 'src')],
      },
      io,
    );
    expect(code).toBe(1);
    const parsed = JSON.parse(out.join('\n')) as { written: unknown[]; failed: unknown[] };
    expect(parsed.failed).toHaveLength(2);
    expect((await readdir(join(outDir, '10_sks dog'))).length).toBeGreaterThan(10);
    expect(
      await command.run({ values: {}, positionals: ['prepare', join(temp.dir, 'src')] }, capture().io),
    ).toBe(2);
    expect(await command.run({ values: {}, positionals: ['oops'] }, capture().io)).toBe(2);
    const missing = capture();
    expect(await command.run({ values: {}, positionals: ['scan', join(temp.dir, 'none')] }, missing.io)).toBe(
      1,
    );
    expect(missing.err[0]).toContain('not_a_folder');
  });
});

describe('benchDataset', () => {
  it('returns BenchResult rows', async () => {
    const rows = await benchDataset({ scanImages: 50, prepareImages: 1 });
    expect(rows.map((r) => r.unit)).toEqual(['images/s', 'images/s']);
    expect(rows.every((r) => r.value > 0)).toBe(true);
  });
});
