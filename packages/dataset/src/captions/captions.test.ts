import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, describe, expect, it } from 'vitest';

import { gbkCaption, gbkCaptionText } from '../testing/fixtures.js';
import { applyCaptionChanges, previewTagOperations, restoreCaptionBackup } from './batch.js';
import { decodeCaption, readCaptionFile, writeCaptionFile } from './encoding.js';
import { applyTagOperations, splitTags, tagFrequencies } from './tags.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('caption encodings', () => {
  it('decodes UTF-8, UTF-8 BOM, UTF-16 and GBK, normalising CRLF', () => {
    expect(decodeCaption(Buffer.from('1girl, 微笑'))).toMatchObject({
      encoding: 'utf-8',
      text: '1girl, 微笑',
    });
    expect(decodeCaption(Buffer.from('\ufeffa, b\r\nc', 'utf8'))).toEqual({
      encoding: 'utf-8-bom',
      text: 'a, b\nc',
      crlf: true,
    });
    expect(
      decodeCaption(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('猫, cat', 'utf16le')])),
    ).toMatchObject({
      encoding: 'utf-16le',
      text: '猫, cat',
    });
    expect(decodeCaption(gbkCaption)).toMatchObject({ encoding: 'gb18030', text: gbkCaptionText });
  });

  it('writes back UTF-8 without BOM and reads the same text', async () => {
    const temp = await makeTempDir('captions');
    cleanup = temp.cleanup;
    const file = join(temp.dir, '图 😀.txt');
    await writeFile(file, gbkCaption);
    const read = await readCaptionFile(file);
    await writeCaptionFile(file, read.text);
    const bytes = await readFile(file);
    expect(bytes.equals(Buffer.from(gbkCaptionText, 'utf8'))).toBe(true);
    expect((await readCaptionFile(file)).encoding).toBe('utf-8');
  });
});

describe('tag operations', () => {
  const tags = splitTags(' 1girl,  long_hair , smile,,Long Hair, sks ');
  it('splits, removes, adds the trigger first, replaces, de-duplicates and sorts', () => {
    expect(tags).toEqual(['1girl', 'long_hair', 'smile', 'Long Hair', 'sks']);
    expect(applyTagOperations(tags, [{ op: 'dedupe' }])).toEqual(['1girl', 'long_hair', 'smile', 'sks']);
    expect(applyTagOperations(tags, [{ op: 'remove', tags: ['long hair'] }])).toEqual([
      '1girl',
      'smile',
      'sks',
    ]);
    expect(applyTagOperations(tags, [{ op: 'addFirst', tag: 'sks' }])[0]).toBe('sks');
    expect(applyTagOperations(tags, [{ op: 'replace', from: 'smile', to: 'grin' }])).toContain('grin');
    expect(applyTagOperations(['b', 'sks', 'a'], [{ op: 'sort', by: 'alpha', keep: 1 }])).toEqual([
      'b',
      'a',
      'sks',
    ]);
  });
  it('counts each tag once per caption', () => {
    expect(tagFrequencies([['a', 'b', 'a'], ['a']])).toEqual([
      { tag: 'a', count: 2 },
      { tag: 'b', count: 1 },
    ]);
  });
});

describe('preview, apply and backup', () => {
  it('previews per file, applies atomically with a backup, detects conflicts and restores', async () => {
    const temp = await makeTempDir('caption batch');
    cleanup = temp.cleanup;
    const a = join(temp.dir, 'a 图.txt');
    const b = join(temp.dir, 'b.txt');
    const c = join(temp.dir, 'c.txt');
    const none = join(temp.dir, 'new.txt');
    const gbkReversed = Buffer.concat([gbkCaption.subarray(9), Buffer.from(', sks dog', 'latin1')]);
    await writeFile(a, gbkReversed);
    await writeFile(b, 'sks dog, red shirt');
    await writeFile(c, 'blurry, cat');
    const sources = await Promise.all(
      [a, b, c].map(async (file) => ({ file, text: (await readCaptionFile(file)).text })),
    );
    sources.push({ file: none, text: undefined as unknown as string });
    const preview = previewTagOperations(sources, [
      { op: 'remove', tags: ['blurry'] },
      { op: 'addFirst', tag: 'sks dog' },
    ]);
    expect(preview.unchanged).toBe(1);
    expect(preview.changes.map((change) => [change.file, change.after])).toEqual([
      [a, 'sks dog, 红色衣服'],
      [c, 'sks dog, cat'],
      [none, 'sks dog'],
    ]);
    // nothing written by the preview
    expect(await readFile(c, 'utf8')).toBe('blurry, cat');

    await writeFile(c, 'edited meanwhile');
    const dataDir = join(temp.dir, 'data 数据');
    const applied = await applyCaptionChanges(preview, dataDir);
    expect(applied.conflicts).toEqual([c]);
    expect(applied.written).toEqual([a, none]);
    expect(await readFile(a, 'utf8')).toBe('sks dog, 红色衣服');
    expect(await readdir(join(dataDir, 'caption-backups'))).toHaveLength(1);

    await restoreCaptionBackup(applied.backupDir);
    expect((await readFile(a)).equals(gbkReversed)).toBe(true);
    await expect(readFile(none)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(c, 'utf8')).toBe('edited meanwhile');
  });
});
