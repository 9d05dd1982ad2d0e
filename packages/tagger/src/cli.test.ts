import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CaptionTarget, PlannedCaption } from './captionJob.js';
import { createTaggerCommands, type CaptionFolderIo } from './cli.js';
import { installTinyModel } from './testing/installTinyModel.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.cleanup());

function harness(targets: CaptionTarget[]) {
  const writes: PlannedCaption[][] = [];
  const captions: CaptionFolderIo = {
    listTargets: () => Promise.resolve(targets),
    writeCaptions: (planned) => {
      writes.push(planned);
      return Promise.resolve({ written: planned.length, backupDir: '/backup', failed: [] });
    },
  };
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    language: 'en' as const,
    out: (s: string) => out.push(s),
    err: (s: string) => err.push(s),
    dataDir: temp.dir,
  };
  const commands = createTaggerCommands(captions);
  const run = (name: string, positionals: string[], values: Record<string, string | boolean>) => {
    const command = commands.find((c) => c.name === name);
    if (!command) throw new Error(name);
    return command.run({ values, positionals }, io);
  };
  return { run, out, err, writes };
}

describe('danlu tag / models', () => {
  it('tags a folder with a model from the data folder; --dry-run writes nothing', async () => {
    await installTinyModel(temp.dir, 'local/tiny');
    const dir = join(temp.dir, '数据 set');
    await mkdir(dir);
    const image = join(dir, 'a red.png');
    await writeFile(
      image,
      await sharp({ create: { width: 64, height: 64, channels: 3, background: '#e00000' } })
        .png()
        .toBuffer(),
    );
    const targets = [
      { image, relPath: 'a red.png', captionFile: join(dir, 'a red.txt'), existing: undefined },
    ];
    const dry = harness(targets);
    expect(
      await dry.run('tag', [dir], { model: 'local/tiny', trigger: 'ohwx', 'dry-run': true, json: true }),
    ).toBe(0);
    const report = JSON.parse(dry.out.join('\n')) as { provider: string; captions: { after: string }[] };
    expect(report.provider).toBe('cpu');
    expect(report.captions[0]?.after).toMatch(/^ohwx, red theme/);
    expect(dry.writes).toEqual([]);
    const real = harness(targets);
    expect(await real.run('tag', [dir], { model: 'local/tiny', threshold: '0.5' })).toBe(0);
    expect(real.writes[0]?.[0]?.after).toBe('red theme, ^_^, hatsune miku, test character \\(test series\\)');
    expect(real.out.at(-1)).toMatch(/tagged 1, skipped 0, failed 0 \(cpu\); wrote 1 captions/);
  });

  it('explains a missing model and lists the known ones', async () => {
    const h = harness([]);
    expect(await h.run('tag', [temp.dir], { model: 'wd-vit-v3' })).toBe(1);
    expect(h.err.join('\n')).toMatch(/not downloaded yet/);
    expect(await h.run('models', ['list'], { json: true })).toBe(0);
    const listed = JSON.parse(h.out.join('\n')) as { models: { id: string; state: string }[] };
    expect(listed.models.map((m) => m.id)).toEqual(
      expect.arrayContaining(['wd-swinv2-v3', 'wd14-convnextv2-v2']),
    );
    expect(await h.run('tag', [temp.dir], { mode: 'sideways' })).toBe(2);
  });
});
