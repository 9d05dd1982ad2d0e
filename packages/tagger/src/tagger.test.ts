import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { planCaptions } from './captionJob.js';
import { tagImages, type ImageTagOutcome } from './pipeline.js';
import { preprocessInto } from './preprocess.js';
import { openTagger, type Tagger } from './session.js';
import { buildTinyWdModel, tinyTagsCsv, tinyTags } from './testing/onnxModel.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let dir: string;
let tagger: Tagger;
const files: Record<string, string> = {};

const solid = (width: number, height: number, background: sharp.Color, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background } });

beforeAll(async () => {
  temp = await makeTempDir();
  dir = join(temp.dir, '图片 images');
  await mkdir(dir);
  const put = async (name: string, data: Buffer | Promise<Buffer>) => {
    files[name] = join(dir, name);
    await writeFile(files[name], await data);
  };
  await put('红 red.jpg', solid(300, 200, { r: 230, g: 10, b: 10 }).jpeg().toBuffer());
  await put('blue.png', solid(500, 500, { r: 10, g: 10, b: 230 }).png().toBuffer());
  await put('clear.png', solid(64, 64, { r: 0, g: 0, b: 0, alpha: 0 }, 4).png().toBuffer());
  await put('tall blue.png', solid(200, 800, { r: 0, g: 0, b: 255 }).png().toBuffer());
  await put(
    'grey16.png',
    solid(100, 100, { r: 128, g: 128, b: 128 }).toColourspace('rgb16').png().toBuffer(),
  );
  await put('broken.jpg', Buffer.from('definitely not a jpeg'));
  await put('dark.png', solid(100, 100, { r: 0, g: 0, b: 0 }).png().toBuffer());
  await writeFile(join(temp.dir, 'model.onnx'), buildTinyWdModel());
  await writeFile(join(temp.dir, 'selected_tags.csv'), tinyTagsCsv());
  tagger = await openTagger({
    modelPath: join(temp.dir, 'model.onnx'),
    tagsPath: join(temp.dir, 'selected_tags.csv'),
  });
});
afterAll(async () => {
  await tagger.close();
  await temp.cleanup();
});

async function tagAll(t: Tagger, names: string[], options = {}): Promise<Map<string, ImageTagOutcome>> {
  const out = new Map<string, ImageTagOutcome>();
  for await (const outcome of tagImages(
    t,
    names.map((n) => files[n] ?? n),
    options,
  ))
    out.set(outcome.file, outcome);
  return out;
}

function tagsOf(outcome: ImageTagOutcome | undefined): string[] {
  if (!outcome?.ok) throw new Error(`not tagged: ${JSON.stringify(outcome)}`);
  return outcome.result.general.map((t) => t.name);
}

describe('WD tagger on a generated model with the real signature', () => {
  it('reads the contract from the model: input name, size, dynamic batch, provider', () => {
    expect(tagger.inputName).toBe('input_1:0');
    expect(tagger.outputName).toBe('predictions_sigmoid');
    expect(tagger.inputSize).toBe(448);
    expect(tagger.fixedBatch).toBeUndefined();
    expect(tagger.provider).toBe('cpu');
    expect(tagger.tags.rating).toEqual([0, 1, 2, 3]);
  });

  it('feeds BGR 0–255, pads with white, flattens alpha on white, decodes 16-bit', async () => {
    const out = await tagAll(
      tagger,
      ['红 red.jpg', 'blue.png', 'clear.png', 'tall blue.png', 'grey16.png', 'dark.png'],
      {
        batchSize: 4,
      },
    );
    expect(tagsOf(out.get(files['红 red.jpg'] ?? ''))).toContain('red_theme');
    expect(tagsOf(out.get(files['红 red.jpg'] ?? ''))).not.toContain('blue_theme');
    expect(tagsOf(out.get(files['blue.png'] ?? ''))).toContain('blue_theme');
    expect(tagsOf(out.get(files['clear.png'] ?? ''))).toContain('white_background');
    expect(tagsOf(out.get(files['dark.png'] ?? ''))).toContain('dark');
    // 200×800 blue padded with white to 800²: a quarter blue, so B mean 1 and G, R means 0.75
    const tall = out.get(files['tall blue.png'] ?? '');
    if (!tall?.ok) throw new Error('tall not tagged');
    const score = (name: string) => tall.result.general.find((t) => t.name === name)?.score ?? 0;
    expect(score('blue_theme')).toBeCloseTo(0.5, 1);
    expect(score('white_background')).toBeCloseTo(0.5, 1);
    const grey = out.get(files['grey16.png'] ?? '');
    expect(grey?.ok).toBe(true);
  });

  it('applies thresholds strictly, splits characters, reports ratings', async () => {
    const out = await tagAll(tagger, ['blue.png']);
    const blue = out.get(files['blue.png'] ?? '');
    if (!blue?.ok) throw new Error('blue not tagged');
    const general = blue.result.general.map((t) => t.name);
    expect(general).toContain('looking_at_viewer'); // 0.36 > 0.35
    expect(general).not.toContain('solo'); // 0.34
    expect(blue.result.character.map((t) => t.name)).toEqual([
      'hatsune_miku',
      'test_character_(test_series)',
    ]);
    expect(blue.result.ratingTop).toBe('general');
    expect(blue.result.rating.general).toBeCloseTo(0.7, 5);
    const strict = await tagAll(tagger, ['blue.png'], { generalThreshold: 0.37, characterThreshold: 0.4 });
    const again = strict.get(files['blue.png'] ?? '');
    if (!again?.ok) throw new Error('blue not tagged');
    expect(again.result.general.map((t) => t.name)).not.toContain('looking_at_viewer');
    expect(again.result.character.map((t) => t.name)).toContain('kagamine_rin');
  });

  it('reports a corrupt image in a batch and tags the rest', async () => {
    const progress: number[] = [];
    const out = await tagAll(tagger, ['blue.png', 'broken.jpg', '红 red.jpg'], {
      batchSize: 3,
      onProgress: (p: { done: number }) => progress.push(p.done),
    });
    const broken = out.get(files['broken.jpg'] ?? '');
    expect(broken?.ok).toBe(false);
    if (broken && !broken.ok) expect(broken.message).toMatch(/不是图片.*Not an image/);
    expect(tagsOf(out.get(files['红 red.jpg'] ?? ''))).toContain('red_theme');
    expect(progress).toEqual([1, 2, 3]);
  });

  it('plans captions: trigger first, modes, exclusions, replacements, formatting', async () => {
    const target = (name: string, existing: string | undefined) => ({
      image: files[name] ?? '',
      relPath: name,
      captionFile: `${files[name] ?? ''}.txt`,
      existing,
    });
    const plan = await planCaptions(
      tagger,
      [
        target('红 red.jpg', 'old tag, red theme'),
        target('blue.png', 'keep me'),
        target('broken.jpg', undefined),
      ],
      {
        mode: 'append',
        alwaysFirst: ['ohwx'],
        exclude: ['white background'],
        replacements: [{ from: 'red_theme', to: 'red' }],
        characterFirst: false,
      },
    );
    const red = plan.planned.find((p) => p.relPath === '红 red.jpg');
    expect(red?.after.split(', ').slice(0, 3)).toEqual(['ohwx', 'old tag', 'red']);
    expect(red?.after).toContain('looking at viewer');
    expect(red?.after).toContain('test character \\(test series\\)');
    expect(red?.after).toContain('^_^');
    expect(red?.after.split(', ').filter((t) => t === 'red')).toHaveLength(1);
    expect(plan.failed.map((f) => f.relPath)).toEqual(['broken.jpg']);
    const skip = await planCaptions(tagger, [target('blue.png', 'keep me'), target('dark.png', '')], {
      mode: 'skip',
    });
    expect(skip.skipped).toEqual(['blue.png']);
    expect(skip.planned.map((p) => p.relPath)).toEqual(['dark.png']);
    const over = await planCaptions(tagger, [target('blue.png', 'keep me')], { mode: 'overwrite' });
    expect(over.planned[0]?.after).not.toContain('keep me');
  });

  it('runs a fixed-batch v2-style model one image at a time, and v3 names', async () => {
    await writeFile(join(temp.dir, 'b1.onnx'), buildTinyWdModel({ batch: 1 }));
    await writeFile(
      join(temp.dir, 'v3.onnx'),
      buildTinyWdModel({ inputName: 'input', outputName: 'output', size: 480 }),
    );
    const b1 = await openTagger({
      modelPath: join(temp.dir, 'b1.onnx'),
      tagsPath: join(temp.dir, 'selected_tags.csv'),
    });
    const v3 = await openTagger({
      modelPath: join(temp.dir, 'v3.onnx'),
      tagsPath: join(temp.dir, 'selected_tags.csv'),
    });
    try {
      expect(b1.fixedBatch).toBe(1);
      const out = await tagAll(b1, ['红 red.jpg', 'blue.png', 'dark.png'], { batchSize: 8 });
      expect(tagsOf(out.get(files['blue.png'] ?? ''))).toContain('blue_theme');
      expect([v3.inputName, v3.outputName, v3.inputSize]).toEqual(['input', 'output', 480]);
      expect(tagsOf((await tagAll(v3, ['红 red.jpg'])).get(files['红 red.jpg'] ?? ''))).toContain(
        'red_theme',
      );
    } finally {
      await b1.close();
      await v3.close();
    }
  });

  it('falls back from an unavailable provider to the CPU and says why', async () => {
    const t = await openTagger({
      modelPath: join(temp.dir, 'model.onnx'),
      tagsPath: join(temp.dir, 'selected_tags.csv'),
      providers: [{ name: 'cuda', options: { name: 'cuda', deviceId: 0 } }, { name: 'cpu' }],
    });
    try {
      expect(t.provider).toBe('cpu');
      expect(t.providerNotes[0]).toMatch(/^cuda: /);
    } finally {
      await t.close();
    }
  });

  it('refuses a file that is not ONNX and a tags file that does not match, in zh and en', async () => {
    await writeFile(join(temp.dir, 'fake.onnx'), 'not a model at all');
    await expect(
      openTagger({ modelPath: join(temp.dir, 'fake.onnx'), tagsPath: join(temp.dir, 'selected_tags.csv') }),
    ).rejects.toMatchObject({
      code: 'bad_model',
      message: expect.stringMatching(/不是 ONNX.*not an ONNX/) as string,
    });
    await writeFile(join(temp.dir, 'short.csv'), tinyTagsCsv(tinyTags.slice(0, 5)));
    await expect(
      openTagger({ modelPath: join(temp.dir, 'model.onnx'), tagsPath: join(temp.dir, 'short.csv') }),
    ).rejects.toMatchObject({ code: 'model_mismatch' });
    await expect(
      openTagger({
        modelPath: join(temp.dir, 'missing.onnx'),
        tagsPath: join(temp.dir, 'selected_tags.csv'),
      }),
    ).rejects.toMatchObject({ code: 'model_missing' });
  });

  it('shrinks big photos on load with a negligible difference from the exact pipeline', async () => {
    const cells = Buffer.from(Array.from({ length: 8 * 6 * 3 }, (_, i) => (i * 97) % 256));
    const big = await sharp(cells, { raw: { width: 8, height: 6, channels: 3 } })
      .resize(2400, 1800, { kernel: 'cubic' })
      .jpeg({ quality: 92 })
      .toBuffer();
    const fast = new Float32Array(448 * 448 * 3);
    const exact = new Float32Array(448 * 448 * 3);
    await preprocessInto(big, 448, fast, 0);
    await preprocessInto(big, 448, exact, 0, { preShrink: false });
    let sum = 0;
    for (let i = 0; i < fast.length; i++) sum += Math.abs((fast[i] ?? 0) - (exact[i] ?? 0));
    expect(sum / fast.length).toBeLessThan(1.5);
    // white padding above and below the 4:3 photo survives both ways
    expect([fast[0], fast[1], fast[2]]).toEqual([255, 255, 255]);
  });
});
