import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { CliIo } from '@danlu/node-utils';
import { makeTempDir } from '@danlu/node-utils/testing';
import { describe, expect, it } from 'vitest';

import { logParseCommand } from './cli.js';

const fixtures = join(import.meta.dirname, 'fixtures');

function io(language: CliIo['language']) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    language,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    dataDir: '/nonexistent',
  };
  return { value, out, err };
}

describe('danlu log parse', () => {
  it('prints the summary of a real log as JSON, with the losses of metrics.jsonl next to it', async () => {
    const { dir, cleanup } = await makeTempDir('日志 cli');
    const log = join(dir, 'engine.log');
    await copyFile(join(fixtures, 'real-sd15-cpu.log'), log);
    await writeFile(
      join(dir, 'metrics.jsonl'),
      [
        '{"step": 1, "time": 1, "values": {"loss/current": 0.2, "loss/average": 0.2, "lr/unet": 0.0001}}',
        '{"step": 2, "time": 2, "values": {"loss/current": 0.1, "loss/average": 0.15, "lr/unet": 0.0001}}',
        '{"step": 1, "time": 3, "values": {"loss/epoch_average": 0.15}}',
        '{"step": 3, "time"',
      ].join('\n'),
    );
    const { value, out } = io('en');
    expect(
      await logParseCommand.run(
        { values: { json: true, 'exit-code': '0' }, positionals: ['parse', log] },
        value,
      ),
    ).toBe(0);
    const summary = JSON.parse(out.join('\n')) as Record<string, unknown>;
    expect(summary).toMatchObject({
      status: 'completed',
      finished: true,
      lines: 223,
      startup: { images: 8, totalSteps: 20, epochs: 3 },
      progress: { step: 20, totalSteps: 20 },
      lastAverageLoss: 1.08,
      diagnosis: null,
      losses: {
        points: 2,
        lastLoss: 0.1,
        lastAverageLoss: 0.15,
        minAverageLoss: 0.15,
        epochs: [{ epoch: 1, averageLoss: 0.15 }],
      },
    });
    expect((summary.saves as unknown[]).length).toBe(3);
    await cleanup();
  });

  it('explains a failure in the chosen language', async () => {
    const file = join(fixtures, 'real-no-data.log');
    const zh = io('zh-CN');
    await logParseCommand.run({ values: { 'exit-code': '0' }, positionals: ['parse', file] }, zh.value);
    expect(zh.out.join('\n')).toContain('状态：失败');
    expect(zh.out.join('\n')).toContain('诊断: 没有找到训练图片 [no_data]');
    const en = io('en');
    await logParseCommand.run({ values: {}, positionals: ['parse', file] }, en.value);
    expect(en.out.join('\n')).toContain('Diagnosis: No training images found [no_data]');
    expect(en.out.join('\n')).not.toMatch(/状态|诊断/);
  });

  it('refuses bad input with a clear message', async () => {
    const missing = io('en');
    expect(
      await logParseCommand.run({ values: {}, positionals: ['parse', '/no/such/engine.log'] }, missing.value),
    ).toBe(1);
    expect(missing.err[0]).toContain('Log file not found');
    const usage = io('zh-CN');
    expect(await logParseCommand.run({ values: {}, positionals: ['show'] }, usage.value)).toBe(2);
    const badExit = io('en');
    const log = join(fixtures, 'real-no-data.log');
    expect(
      await logParseCommand.run({ values: { 'exit-code': 'x' }, positionals: ['parse', log] }, badExit.value),
    ).toBe(2);
  });
});
