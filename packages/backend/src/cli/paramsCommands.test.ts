import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { CliIo } from '@danlu/node-utils';
import { makeTempDir } from '@danlu/node-utils/testing';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { paramsCommands } from './paramsCommands.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.cleanup());

function io(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    language: 'en',
    dataDir: temp.dir,
    stdout,
    stderr,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
  };
}

function command(name: string) {
  const found = paramsCommands.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}

describe('danlu params / presets / config', () => {
  it('params --json prints the whole catalogue with both languages', async () => {
    const out = io();
    expect(await command('params').run({ values: { json: true }, positionals: [] }, out)).toBe(0);
    const entries = JSON.parse(out.stdout.join('\n')) as { id: string; label: { zh: string; en: string } }[];
    expect(entries.length).toBeGreaterThanOrEqual(120);
    expect(entries.find((entry) => entry.id === 'network_dim')?.label.zh).toBeTruthy();
  });

  it('presets lists the built-in presets', async () => {
    const out = io();
    expect(await command('presets').run({ values: { json: true }, positionals: [] }, out)).toBe(0);
    const { presets, broken } = JSON.parse(out.stdout.join('\n')) as {
      presets: { meta: { id: string } }[];
      broken: unknown[];
    };
    expect(broken).toEqual([]);
    expect(presets.map((preset) => preset.meta.id)).toEqual(
      expect.arrayContaining(['sd15-anime-character', 'sdxl-style']),
    );
  });

  it('config check exits 1 and lists the blocking errors of an incomplete file', async () => {
    const file = join(temp.dir, 'incomplete.toml');
    await writeFile(file, 'network_dim = 16\nnetwork_alpha = 32\n');
    const out = io();
    expect(await command('config').run({ values: { json: true }, positionals: ['check', file] }, out)).toBe(
      1,
    );
    const report = JSON.parse(out.stdout.join('\n')) as {
      ok: boolean;
      results: { severity: string; id: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.results.some((result) => result.severity === 'error')).toBe(true);
  });

  it('config check names the line of a half-written TOML and applies nothing', async () => {
    const file = join(temp.dir, 'half.toml');
    await writeFile(file, 'network_dim = 16\nlearning_rate = \n');
    const out = io();
    expect(await command('config').run({ values: {}, positionals: ['check', file] }, out)).toBe(1);
    expect(out.stderr.join('\n')).toMatch(/half\.toml:2/);
  });

  it('config export writes TOML that parses back, into a folder with spaces and Chinese characters', async () => {
    const source = join(temp.dir, 'kohya.toml');
    await writeFile(
      source,
      'pretrained_model_name_or_path = "D:\\\\模型\\\\any lora.safetensors"\nnetwork_dim = 32\nnetwork_alpha = 16\n',
    );
    const outDir = join(temp.dir, '导出 结果');
    const out = io();
    expect(
      await command('config').run({ values: { out: outDir }, positionals: ['export', source] }, out),
    ).toBe(0);
    const written = parse(await readFile(join(outDir, 'config.toml'), 'utf8'));
    const flat = Object.assign(
      {},
      ...Object.values(written).filter((value) => typeof value === 'object'),
    ) as Record<string, unknown>;
    expect(flat).toMatchObject({
      pretrained_model_name_or_path: 'D:\\模型\\any lora.safetensors',
      network_dim: 32,
      network_alpha: 16,
    });
  });

  it('refuses a missing file clearly', async () => {
    const out = io();
    expect(
      await command('config').run({ values: {}, positionals: ['check', join(temp.dir, 'nope.toml')] }, out),
    ).toBe(1);
    expect(out.stderr.join('\n')).toContain('Cannot read');
  });
});

describe('danlu model', () => {
  it('names the family of a checkpoint and refuses a LoRA with exit code 1', async () => {
    const { writeModelFixture } = await import('../models/fixtures.js');
    const xl = join(temp.dir, '底模 xl.safetensors');
    const lora = join(temp.dir, 'lora.safetensors');
    await writeModelFixture(xl, 'sdxl');
    await writeModelFixture(lora, 'sd1-lora');
    const ok = io();
    expect(await command('model').run({ values: {}, positionals: [xl] }, ok)).toBe(0);
    expect(ok.stdout[0]).toBe('SDXL · checkpoint · safetensors');
    const wrong = io();
    expect(
      await command('model').run({ values: { family: 'sd1', json: true }, positionals: [xl] }, wrong),
    ).toBe(1);
    expect(JSON.parse(wrong.stdout.join('\n'))).toMatchObject({ switchTo: 'sdxl' });
    const refused = io();
    expect(await command('model').run({ values: {}, positionals: [lora] }, refused)).toBe(1);
    expect(refused.stderr.join('\n')).toContain('not a base model');
    expect(await command('model').run({ values: {}, positionals: [join(temp.dir, 'none.ckpt')] }, io())).toBe(
      1,
    );
  });
});
