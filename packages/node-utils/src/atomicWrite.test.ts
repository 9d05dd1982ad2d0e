import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeFileAtomic } from './atomicWrite.js';
import { ensureWritableDir } from './dataDir.js';
import { makeTempDir } from './testing/tempDir.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.cleanup());

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file behind', async () => {
    const file = join(temp.dir, '子文件夹', 'settings 1.json');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, '第二');
    expect(await readFile(file, 'utf8')).toBe('第二');
    expect(await readdir(join(temp.dir, '子文件夹'))).toEqual(['settings 1.json']);
  });

  it('keeps the old content when the target cannot be replaced', async () => {
    const file = join(temp.dir, 'keep.txt');
    await writeFile(file, 'old');
    // A directory where the file's parent should be makes the write fail before anything is renamed.
    await expect(writeFileAtomic(join(file, 'inner.txt'), 'new')).rejects.toThrow();
    expect(await readFile(file, 'utf8')).toBe('old');
  });
});

describe('ensureWritableDir', () => {
  it('creates a missing folder', async () => {
    await ensureWritableDir(join(temp.dir, 'a', 'b'));
    expect(await readdir(join(temp.dir, 'a'))).toEqual(['b']);
  });

  it('names the folder when it cannot be written', async () => {
    const blocker = join(temp.dir, 'a file');
    await writeFile(blocker, '');
    const target = join(blocker, 'data');
    await expect(ensureWritableDir(target)).rejects.toMatchObject({
      code: 'data_dir_unwritable',
      message: expect.stringContaining(target) as string,
    });
  });
});
