import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DatasetError } from '../errors.js';
import type { Manifest } from '../manifest.js';
import { scanDataset } from '../scan/scan.js';
import { buildMixedFolder, gbkCaptionText, type MixedFolder } from '../testing/fixtures.js';
import { parseSize, prepareDataset } from './prepare.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let folder: MixedFolder;
let manifest: Manifest;
const before = new Map<string, { bytes: Buffer; mtimeMs: number }>();

async function snapshot(dir: string, into: Map<string, { bytes: Buffer; mtimeMs: number }>) {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    into.set(path, { bytes: await readFile(path), mtimeMs: (await stat(path)).mtimeMs });
  }
}

beforeAll(async () => {
  temp = await makeTempDir('dataset prepare');
  folder = await buildMixedFolder(join(temp.dir, 'source 源'));
  manifest = await scanDataset(folder.root);
  await snapshot(folder.root, before);
}, 60_000);
afterAll(() => temp.cleanup());

describe('prepareDataset', () => {
  it('focus-crops into a new folder, converts colour/depth/alpha/rotation and leaves originals untouched', async () => {
    const out = join(temp.dir, 'out 输出 😀');
    const progress: number[] = [];
    const result = await prepareDataset(manifest, {
      outDir: out,
      size: [512, 768],
      crop: 'focus',
      onProgress: ({ done }) => progress.push(done),
    });
    expect(result.cancelled).toBe(false);
    expect(result.skipped.map((p) => p.split(/[\\/]/).pop()).sort()).toEqual(
      ['bomb 30000.png', 'not really.png', 'zero bytes.png'].sort(),
    );
    expect(result.failed.map((f) => f.source.split(/[\\/]/).pop()).sort()).toEqual([
      'bad crc.png',
      'truncated.jpg',
    ]);
    expect(result.written.length).toBe(manifest.images.length - 5);
    expect(progress.at(-1)).toBe(manifest.images.length - 3);
    for (const file of result.written) {
      const meta = await sharp(file.output).metadata();
      expect([meta.width, meta.height, meta.format, meta.channels, meta.depth], file.output).toEqual([
        512,
        768,
        'png',
        3,
        'uchar',
      ]);
      expect(meta.space).toBe('srgb');
    }
    const emoji = result.written.find((f) => f.source.endsWith('照片 1 😀.jpg'));
    expect(emoji?.output).toMatch(/10_sks dog[\\/]照片 1 😀\.png$/);
    const gbk = result.written.find((f) => f.source.endsWith('portrait 竖.png'));
    expect(await readFile(gbk?.caption ?? '', 'utf8')).toBe(gbkCaptionText);
    const after = new Map<string, { bytes: Buffer; mtimeMs: number }>();
    await snapshot(folder.root, after);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, original] of before) {
      expect(after.get(path)?.bytes.equals(original.bytes), path).toBe(true);
      expect(after.get(path)?.mtimeMs, path).toBe(original.mtimeMs);
    }
  });

  it('keeps the aspect ratio and applies EXIF rotation in keep mode, JPEG output', async () => {
    const out = join(temp.dir, 'keep');
    const result = await prepareDataset(manifest, {
      outDir: out,
      crop: 'keep',
      longSide: 256,
      format: 'jpeg',
    });
    const rotated = result.written.find((f) => f.source.endsWith('rotated.jpg'));
    expect([rotated?.width, rotated?.height]).toEqual([192, 256]);
    const small = result.written.find((f) => f.source.endsWith('small.png'));
    expect([small?.width, small?.height]).toEqual([100, 100]);
    expect((await sharp(small?.output ?? '').metadata()).format).toBe('jpeg');
  });

  it('refuses an unwritable, non-empty or inside-the-source output folder', async () => {
    const file = join(temp.dir, 'a file.txt');
    await writeFile(file, 'x');
    await expect(
      prepareDataset(manifest, { outDir: join(file, 'out'), size: [512, 512], crop: 'center' }),
    ).rejects.toMatchObject({
      code: 'out_unwritable',
    });
    await expect(
      prepareDataset(manifest, { outDir: join(folder.root, 'out'), crop: 'center' }),
    ).rejects.toBeInstanceOf(DatasetError);
    await expect(prepareDataset(manifest, { outDir: temp.dir, crop: 'center' })).rejects.toMatchObject({
      code: 'out_inside_source',
    });
    await expect(
      prepareDataset(manifest, { outDir: join(temp.dir, 'keep'), crop: 'center' }),
    ).rejects.toMatchObject({
      code: 'out_not_empty',
    });
    expect(() => parseSize('500x500')).toThrow(DatasetError);
    expect(parseSize('768×512')).toEqual([768, 512]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const result = await prepareDataset(manifest, {
      outDir: join(temp.dir, 'cancelled'),
      size: [512, 512],
      crop: 'center',
      concurrency: 1,
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 2) controller.abort();
      },
    });
    expect(result.cancelled).toBe(true);
    expect(result.written.length + result.failed.length).toBe(2);
  });
});
