import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type {
  DatasetProgress,
  EventName,
  GpuReport,
  MethodInput,
  MethodName,
  MethodOutput,
} from '@danlu/contracts';
import { makeTempDir } from '@danlu/node-utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildMixedFolder } from '../../../dataset/src/testing/fixtures.js';
import { installTinyModel } from '../../../tagger/src/testing/installTinyModel.js';
import { createBackend } from '../backend.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let folder: Awaited<ReturnType<typeof buildMixedFolder>>;
// one generated folder for the file (tests that write captions put them back); a fresh backend each test
beforeAll(async () => {
  temp = await makeTempDir();
  folder = await buildMixedFolder(join(temp.dir, '我的 数据集'));
});
afterAll(() => temp.cleanup());
let run = 0;

const noGpu = (): Promise<GpuReport> =>
  Promise.resolve({ gpus: [], source: 'none', checkedAt: new Date().toISOString() });

async function setup() {
  const dataDir = join(temp.dir, `data ${String(++run)}`);
  const backend = await createBackend({ dataDir, transport: 'server', queryGpus: noGpu });
  const events: { event: EventName; payload: unknown }[] = [];
  backend.events.subscribe((event, payload) => events.push({ event, payload }));
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const result = await backend.dispatch(method, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.data as MethodOutput<M>;
  };
  return { backend, dataDir, events, call };
}

describe('dataset domain', () => {
  it('scans a folder with Chinese and spaces: summary, subsets, paged and filtered rows', async () => {
    const { call } = await setup();
    const page = await call('dataset.scan', { dir: folder.root, limit: 5 });
    expect(page.summary.images).toBe(page.total);
    expect(page.images).toHaveLength(5);
    // a quick scan reads headers only: the truncated JPEG and the bad CRC need a deep scan
    expect(page.summary.problems).toBe(3);
    expect(page.subsets.find((s) => s.relDir === '10_sks dog')).toMatchObject({
      numRepeats: 10,
      classTokens: 'sks dog',
      fromFolderName: true,
    });
    const second = await call('dataset.scan', { dir: folder.root, offset: 5, limit: 5 });
    expect(second.images[0]?.relPath).not.toBe(page.images[0]?.relPath);
    const broken = await call('dataset.scan', { dir: folder.root, deep: true, filter: { problem: true } });
    expect(broken.images.map((i) => i.relPath).sort()).toEqual(Object.keys(folder.bad).sort());
    const tagged = await call('dataset.scan', { dir: folder.root, filter: { tag: 'Red_Shirt' } });
    expect(tagged.images.map((i) => i.relPath).sort()).toEqual([
      '10_sks dog/near 1.jpg',
      '10_sks dog/照片 1 😀.jpg',
    ]);
  });

  it('refuses a missing folder and a file with zh/en messages', async () => {
    const { backend } = await setup();
    const missing = await backend.dispatch('dataset.scan', { dir: join(temp.dir, '不存在 的') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    if (!missing.ok) expect(missing.error.message).toMatch(/文件夹不存在.*Folder not found/);
    const file = await backend.dispatch('dataset.check', { dir: join(folder.train, 'small.png') });
    expect(file).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const relative = await backend.dispatch('dataset.scan', { dir: 'relative/dir' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('checks with severities and one-click fixes', async () => {
    const { call } = await setup();
    const out = await call('dataset.check', { dir: folder.root, triggerWord: 'ohwx', resolution: 512 });
    const ids = out.findings.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['empty_file', 'trigger_missing', 'too_small']));
    expect(new Set(ids).size).toBe(ids.length);
    expect(out.findings[0]?.severity).toBe('error');
    const small = out.findings.find((f) => f.id === 'too_small');
    expect(small?.files).toContain('10_sks dog/small.png');
    expect(small?.details.length).toBe(small?.files.length);
    const deep = await call('dataset.check', { dir: folder.root, deep: true });
    expect(deep.deep).toBe(true);
    expect(deep.findings.find((f) => f.id === 'corrupt')?.files.sort()).toEqual([
      '10_sks dog/bad crc.png',
      '10_sks dog/truncated.jpg',
    ]);
    expect(out.findings.find((f) => f.id === 'trigger_missing')?.fixes[0]?.kind).toBe('add_trigger');
    expect(out.findings.find((f) => f.id === 'cmyk')?.fixes[0]?.kind).toBe('prepare');
    expect(out.counts.error).toBeGreaterThan(0);
  });

  it('simulates buckets with the folder repeats', async () => {
    const { call } = await setup();
    const out = await call('dataset.buckets', {
      dir: folder.root,
      options: { resolution: 512, batchSize: 1 },
    });
    const assigned = new Map(out.assignments.map((a) => [a.relPath, a]));
    expect(assigned.get('10_sks dog/portrait 竖.png')).toMatchObject({
      width: 384,
      height: 640,
      repeats: 10,
    });
    const total = out.buckets.reduce((sum, b) => sum + b.count, 0);
    expect(total).toBe(out.trainImagesWithRepeats + out.regSamplesPerEpoch);
    expect(out.lines.length).toBeGreaterThan(0);
  });

  it('previews a batch tag operation, applies it with a backup, and restores it', async () => {
    const { call } = await setup();
    const captionFile = join(folder.train, '照片 1 😀.txt');
    const before = await readFile(captionFile, 'utf8');
    const preview = await call('captions.preview', {
      dir: folder.root,
      operations: [{ op: 'addFirst', tag: 'ohwx' }],
    });
    const change = preview.changes.find((c) => c.relPath === '10_sks dog/照片 1 😀.jpg');
    expect(change?.after).toBe('ohwx, sks dog, red shirt, outdoors');
    expect(await readFile(captionFile, 'utf8')).toBe(before);
    const applied = await call('captions.apply', { previewId: preview.previewId });
    expect(applied.written).toBe(preview.changes.length);
    expect(await readFile(captionFile, 'utf8')).toBe('ohwx, sks dog, red shirt, outdoors');
    const tags = await call('captions.tags', { dir: folder.root });
    expect(tags.tags[0]).toEqual({ tag: 'ohwx', count: tags.captions });
    const backups = await call('captions.backups', {});
    expect(backups[0]).toMatchObject({ id: applied.backupId, label: 'addFirst ohwx' });
    await call('captions.restore', { backupId: applied.backupId });
    expect(await readFile(captionFile, 'utf8')).toBe(before);
    // images that had no caption got one from addFirst; the restore removed it again
    await expect(stat(join(folder.train, 'cmyk.txt'))).rejects.toThrow();
    await expect(call('captions.apply', { previewId: preview.previewId })).rejects.toThrow(/expired/);
  });

  it('edits one caption atomically, reads GBK, refuses path tricks in backup ids', async () => {
    const { call } = await setup();
    const image = join(folder.train, 'portrait 竖.png');
    expect(await call('captions.get', { image })).toMatchObject({
      exists: true,
      text: 'sks dog, 红色衣服',
      encoding: 'gb18030',
    });
    const set = await call('captions.set', { image, text: 'sks dog, 红色衣服, 微笑' });
    expect(await readFile(join(folder.train, 'portrait 竖.txt'), 'utf8')).toBe('sks dog, 红色衣服, 微笑');
    expect(await readdir(folder.train)).not.toEqual(expect.arrayContaining([expect.stringMatching(/\.tmp/)]));
    await call('captions.restore', { backupId: set.backupId });
    expect((await readFile(join(folder.train, 'portrait 竖.txt'))).equals(Buffer.from([0xba]))).toBe(false);
    expect(await call('captions.get', { image })).toMatchObject({ encoding: 'gb18030' });
    await expect(call('captions.restore', { backupId: '../../etc' })).rejects.toThrow(/bad_request/);
  });

  it('caches thumbnails in the data folder, keyed by mtime', async () => {
    const { call, dataDir } = await setup();
    const image = join(folder.train, 'wide web.webp');
    const first = await call('dataset.thumbnail', { path: image, size: 128 });
    expect(first.dataUrl).toMatch(/^data:image\/webp;base64,/);
    expect([first.width, first.height]).toEqual([128, 85]);
    const thumbs = join(dataDir, 'cache', 'thumbs');
    const shards = await readdir(thumbs);
    expect(shards).toHaveLength(1);
    const again = await call('dataset.thumbnail', { path: image, size: 128 });
    expect(again.dataUrl).toBe(first.dataUrl);
    expect((await readdir(join(thumbs, shards[0] ?? ''))).length).toBe(1);
    // a changed file (new mtime) gets a new thumbnail
    const copy = join(temp.dir, 'copy 副本.webp');
    await writeFile(copy, await readFile(image));
    await call('dataset.thumbnail', { path: copy, size: 128 });
    await utimes(copy, new Date(), new Date(Date.now() + 5000));
    await call('dataset.thumbnail', { path: copy, size: 128 });
    const all = (await Promise.all((await readdir(thumbs)).map((d) => readdir(join(thumbs, d))))).flat();
    expect(all).toHaveLength(3);
    await expect(call('dataset.thumbnail', { path: join(folder.train, 'not really.png') })).rejects.toThrow(
      /缩略图.*thumbnail/,
    );
    expect(await readdir(folder.train)).not.toContain('wide web.webp.thumb');
  });

  it('prepares into a new folder with progress events and leaves the originals alone', async () => {
    const { call, events } = await setup();
    const original = await readFile(join(folder.train, 'cmyk.jpg'));
    const outDir = join(temp.dir, '输出 out');
    const out = await call('dataset.prepare', {
      dir: folder.train,
      outDir,
      crop: 'center',
      size: [256, 256],
      jobId: 'prep1',
    });
    expect(out.written).toBeGreaterThan(10);
    expect(out.skipped.sort()).toEqual(['bomb 30000.png', 'not really.png', 'zero bytes.png']);
    const last = events.filter((e) => e.event === 'dataset.progress').at(-1)?.payload as DatasetProgress;
    expect(last).toMatchObject({ jobId: 'prep1', kind: 'prepare' });
    expect(last.done).toBe(last.total);
    expect((await readFile(join(folder.train, 'cmyk.jpg'))).equals(original)).toBe(true);
    await writeFile(join(outDir, 'x.txt'), 'x');
    await rm(outDir, { recursive: true, force: true }).then(() => mkdir(outDir));
    await writeFile(join(outDir, 'x.txt'), 'x');
    const again = await call('dataset.prepare', {
      dir: folder.train,
      outDir,
      crop: 'center',
      size: [256, 256],
      jobId: 'prep2',
    }).catch((e: unknown) => (e as Error).message);
    expect(again).toMatch(/bad_request: 输出文件夹不是空的/);
  });

  it('auto-tags with a model in the data folder: trigger first, skip mode, backup, progress, dry run', async () => {
    const { backend, call, dataDir, events } = await setup();
    await installTinyModel(dataDir, 'local/tiny-wd');
    const models = await call('tagger.models', {});
    expect(models.providers.at(-1)).toBe('cpu');
    expect(models.models.find((m) => m.id === 'local/tiny-wd')).toMatchObject({
      state: 'installed',
      family: 'local',
    });
    expect(models.models.find((m) => m.id === 'wd-swinv2-v3')).toMatchObject({
      state: 'missing',
      recommended: true,
    });
    const dry = await call('tagger.run', {
      dir: folder.reg,
      model: 'local/tiny-wd',
      mode: 'skip',
      trigger: 'ohwx',
      dryRun: true,
      jobId: 'dry1',
    });
    expect(dry).toMatchObject({ tagged: 2, written: 0, backupId: null, provider: 'cpu' });
    expect(dry.results[0]?.after.startsWith('ohwx, ')).toBe(true);
    await expect(stat(join(folder.reg, 'reg a.txt'))).rejects.toThrow();
    const run = await call('tagger.run', {
      dir: folder.reg,
      model: 'local/tiny-wd',
      mode: 'skip',
      trigger: 'ohwx',
      jobId: 't1',
    });
    expect(run.written).toBe(2);
    const caption = await readFile(join(folder.reg, 'reg a.txt'), 'utf8');
    expect(caption).toMatch(/^ohwx, /);
    expect(caption).toContain('looking at viewer');
    const tagEvents = events.filter(
      (e) => e.event === 'dataset.progress' && (e.payload as DatasetProgress).jobId === 't1',
    );
    expect((tagEvents.at(-1)?.payload as DatasetProgress).done).toBe(2);
    // skip mode leaves existing captions alone; the backup undoes the run
    const again = await call('tagger.run', {
      dir: folder.reg,
      model: 'local/tiny-wd',
      mode: 'skip',
      jobId: 't2',
    });
    expect(again).toMatchObject({ tagged: 0, skipped: 2 });
    await call('captions.restore', { backupId: run.backupId ?? '' });
    await expect(stat(join(folder.reg, 'reg a.txt'))).rejects.toThrow();
    const missing = await backend.dispatch('tagger.run', {
      dir: folder.reg,
      model: 'wd-swinv2-v3',
      mode: 'skip',
      jobId: 't3',
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    if (!missing.ok) expect(missing.error.message).toMatch(/还没有下载.*not downloaded yet/);
  });

  it('cancels a tagging run after the first batch and keeps what was tagged (with a backup)', async () => {
    const { backend, call, dataDir } = await setup();
    await installTinyModel(dataDir, 'local/tiny-wd');
    const many = join(temp.dir, '很多 images');
    await mkdir(many, { recursive: true });
    const source = await readFile(join(folder.reg, 'reg a.png'));
    for (let i = 0; i < 24; i++) await writeFile(join(many, `img ${String(i).padStart(2, '0')}.png`), source);
    let cancelled: Promise<unknown> | undefined;
    backend.events.subscribe((event, payload) => {
      const p = payload as DatasetProgress;
      if (event === 'dataset.progress' && p.jobId === 'c1' && p.done >= 1 && !cancelled)
        cancelled = call('dataset.cancel', { jobId: 'c1' });
    });
    const out = await call('tagger.run', {
      dir: many,
      model: 'local/tiny-wd',
      mode: 'overwrite',
      jobId: 'c1',
    });
    expect(await cancelled).toEqual({ cancelled: true });
    expect(out.cancelled).toBe(true);
    expect(out.written).toBeGreaterThan(0);
    expect(out.written).toBeLessThan(24);
    expect(out.backupId).not.toBeNull();
    expect(await call('dataset.cancel', { jobId: 'c1' })).toEqual({ cancelled: false });
  });
});
