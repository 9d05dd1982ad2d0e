import { readdir } from 'node:fs/promises';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runChecks } from '../checks/runChecks.js';
import { DatasetError } from '../errors.js';
import type { Manifest } from '../manifest.js';
import { ManifestSchema } from '../manifest.js';
import { buildMixedFolder, gbkCaptionText, type MixedFolder } from '../testing/fixtures.js';
import { parseKohyaFolderName } from './folderName.js';
import { scanDataset } from './scan.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let folder: MixedFolder;
let manifest: Manifest;

beforeAll(async () => {
  temp = await makeTempDir('dataset scan');
  folder = await buildMixedFolder(temp.dir);
  manifest = await scanDataset(temp.dir, { deep: true });
}, 60_000);
afterAll(() => temp.cleanup());

const byName = (rel: string) => {
  const entry = manifest.images.find((image) => image.relPath === rel);
  if (!entry) throw new Error(`missing ${rel}`);
  return entry;
};

describe('scanDataset', () => {
  it('returns a manifest that matches its schema and never writes beside the images', async () => {
    expect(ManifestSchema.safeParse(manifest).success).toBe(true);
    const files = await readdir(folder.train);
    expect(files.filter((f) => !/\.(jpe?g|png|webp|gif|txt)$/.test(f))).toEqual([]);
  });

  it('reports every bad file with its problem and still reads the rest', () => {
    for (const [rel, code] of Object.entries(folder.bad)) expect(byName(rel).problem?.code, rel).toBe(code);
    const good = manifest.images.filter((image) => !image.problem);
    expect(good.length).toBe(manifest.images.length - Object.keys(folder.bad).length);
    expect(byName('10_sks dog/bomb 30000.png')).toMatchObject({ width: 30000, height: 30000 });
  });

  it('reads size, format, alpha, colour space, depth, frames and EXIF orientation', () => {
    expect(byName('10_sks dog/照片 1 😀.jpg')).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
    expect(byName('10_sks dog/rotated.jpg')).toMatchObject({
      width: 400,
      height: 300,
      orientation: 6,
      orientedWidth: 300,
      orientedHeight: 400,
    });
    expect(byName('10_sks dog/cmyk.jpg').space).toBe('cmyk');
    expect(byName('10_sks dog/deep 16.png').bitDepth).toBe(16);
    expect(byName('10_sks dog/rgba.png').hasAlpha).toBe(true);
    expect(byName('10_sks dog/动图.gif')).toMatchObject({ pages: 3, width: 320, height: 320 });
    expect(byName('10_sks dog/anim.webp').pages).toBe(2);
    expect(byName('10_sks dog/grey.png').channels).toBe(1);
  });

  it('pairs captions in any encoding and lists captions without images', () => {
    expect(byName('10_sks dog/portrait 竖.png').caption).toMatchObject({
      encoding: 'gb18030',
      text: gbkCaptionText,
    });
    expect(byName('10_sks dog/wide web.webp').caption).toMatchObject({
      encoding: 'utf-8-bom',
      crlf: true,
      text: 'sks dog, sitting\nsecond line\n',
    });
    expect(byName('10_sks dog/rgba.png').caption).toBeUndefined();
    expect(manifest.orphanCaptions.map((p) => p.replace(/\\/g, '/'))).toEqual([
      expect.stringMatching(/10_sks dog\/orphan\.txt$/),
    ]);
  });

  it('understands N_name folders as subsets and reg folders', () => {
    const train = manifest.subsets.find((s) => s.relDir === '10_sks dog');
    expect(train).toMatchObject({
      numRepeats: 10,
      classTokens: 'sks dog',
      fromFolderName: true,
      isReg: false,
    });
    expect(manifest.subsets.find((s) => s.relDir === 'reg/1_dog')).toMatchObject({
      numRepeats: 1,
      isReg: true,
    });
    expect(parseKohyaFolderName('5_my_style')).toEqual({ numRepeats: 5, classTokens: 'my_style' });
    expect(parseKohyaFolderName('style')).toBeUndefined();
  });

  it('header-only scans skip hashing; a missing folder is a clear error', async () => {
    const quick = await scanDataset(folder.reg);
    expect(quick.images.every((i) => i.sha1 === undefined)).toBe(true);
    await expect(scanDataset(`${temp.dir}/nope`)).rejects.toBeInstanceOf(DatasetError);
  });
});

describe('runChecks', () => {
  const ids = (rel: string) =>
    runChecks(manifest, { resolution: [512, 512], triggerWord: 'sks', kind: 'character' })
      .filter((f) => f.files.includes(rel))
      .map((f) => f.id);

  it('raises the right check for each bad file', () => {
    for (const [rel, code] of Object.entries(folder.bad)) expect(ids(rel), rel).toContain(code);
  });

  it('flags conversions, small, wide, animation, captions and the trigger word', () => {
    expect(ids('10_sks dog/cmyk.jpg')).toContain('cmyk');
    expect(ids('10_sks dog/deep 16.png')).toContain('high_bit_depth');
    expect(ids('10_sks dog/rgba.png')).toEqual(expect.arrayContaining(['alpha', 'missing_caption']));
    expect(ids('10_sks dog/grey.png')).toContain('grayscale');
    expect(ids('10_sks dog/rotated.jpg')).toContain('exif_rotated');
    expect(ids('10_sks dog/动图.gif')).toEqual(expect.arrayContaining(['animated', 'not_loaded_by_kohya']));
    expect(ids('10_sks dog/anim.webp')).toContain('animated');
    expect(ids('10_sks dog/small.png')).toContain('too_small');
    expect(ids('10_sks dog/very wide.png')).toContain('extreme_aspect');
    expect(ids('10_sks dog/portrait 竖.png')).toContain('caption_encoding');
    expect(ids('10_sks dog/wide web.webp')).toEqual(
      expect.arrayContaining(['caption_encoding', 'caption_multiline']),
    );
    expect(ids('10_sks dog/near 1.jpg')).toContain('trigger_missing');
    expect(ids('10_sks dog/照片 1 😀.jpg')).not.toContain('trigger_missing');
    expect(ids('10_sks dog/orphan.txt')).toEqual(['orphan_caption']);
  });

  it('finds exact and near duplicates without mixing them up', () => {
    const findings = runChecks(manifest);
    const exact = findings.filter((f) => f.id === 'duplicate');
    expect(exact.map((f) => [...f.files].sort())).toEqual([
      ['10_sks dog/copy of portrait.png', '10_sks dog/portrait 竖.png'],
    ]);
    const near = findings.filter((f) => f.id === 'near_duplicate');
    expect(near.map((f) => [...f.files].sort())).toEqual([
      ['10_sks dog/near 1.jpg', '10_sks dog/照片 1 😀.jpg'],
    ]);
  });

  it('counts usable training images against the kind, excluding reg folders', () => {
    const few = runChecks(manifest, { kind: 'character' }).find((f) => f.id === 'too_few_images');
    expect(few?.message.en).toMatch(/^Only 1[0-9] usable training images/);
    expect(runChecks({ ...manifest, images: [] }).map((f) => f.id)).toContain('no_images');
  });
});
