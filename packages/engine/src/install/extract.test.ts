import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { makeTarGz } from '../testing/tar.js';
import { extractTarGz } from './extract.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir('extract');
});
afterEach(() => temp.cleanup());

const posix = process.platform !== 'win32';
const longName = `sd-scripts-0.10.1/${'deep/'.repeat(20)}file.py`;

describe('extractTarGz', () => {
  it('strips the top folder, keeps pax long and Chinese names, modes and links', async () => {
    const archive = join(temp.dir, 'a.tar.gz');
    await writeFile(
      archive,
      makeTarGz([
        { path: 'sd-scripts-0.10.1/', dir: true },
        { path: 'sd-scripts-0.10.1/train_network.py', content: 'print(1)\n' },
        { path: 'sd-scripts-0.10.1/library/train_util.py', content: '# util\n' },
        { path: longName, content: 'long\n' },
        { path: 'sd-scripts-0.10.1/文档/说明 1.md', content: '中文\n' },
        { path: 'sd-scripts-0.10.1/bin/python3.10', content: '#!/bin/sh\n', mode: 0o755 },
        { path: 'sd-scripts-0.10.1/bin/python3', symlink: 'python3.10' },
      ]),
    );
    const dest = join(temp.dir, '引擎 engine', 'sd-scripts');
    const { files } = await extractTarGz(archive, dest, { stripComponents: 1 });
    expect(files).toBe(5);
    expect(await readFile(join(dest, 'train_network.py'), 'utf8')).toBe('print(1)\n');
    expect(await readFile(join(dest, 'library', 'train_util.py'), 'utf8')).toBe('# util\n');
    expect(await readFile(join(dest, ...longName.split('/').slice(1)), 'utf8')).toBe('long\n');
    expect(await readFile(join(dest, '文档', '说明 1.md'), 'utf8')).toBe('中文\n');
    if (posix) {
      expect((await stat(join(dest, 'bin', 'python3.10'))).mode & 0o111).toBeTruthy();
      expect((await lstat(join(dest, 'bin', 'python3'))).isSymbolicLink()).toBe(true);
      expect(await readlink(join(dest, 'bin', 'python3'))).toBe('python3.10');
    }
    expect(existsSync(`${dest}.extracting`)).toBe(false);
  });

  it('replaces an old folder only once the new one is complete; a truncated archive changes nothing', async () => {
    const dest = join(temp.dir, 'python');
    const good = join(temp.dir, 'good.tar.gz');
    await writeFile(good, makeTarGz([{ path: 'python/VERSION', content: 'old' }]));
    await extractTarGz(good, dest, { stripComponents: 1 });

    const full = makeTarGz([{ path: 'python/big.bin', content: Buffer.alloc(200_000, 7) }]);
    const truncated = join(temp.dir, 'cut.tar.gz');
    await writeFile(truncated, full.subarray(0, Math.floor(full.length / 2)));
    await expect(extractTarGz(truncated, dest, { stripComponents: 1 })).rejects.toThrow();
    expect(await readFile(join(dest, 'VERSION'), 'utf8')).toBe('old');
    expect(existsSync(`${dest}.extracting`)).toBe(false);
  });

  it('refuses entries that would land outside the target', async () => {
    const archive = join(temp.dir, 'evil.tar.gz');
    await writeFile(archive, makeTarGz([{ path: 'top/../../evil.txt', content: 'x' }]));
    await expect(extractTarGz(archive, join(temp.dir, 'out'), { stripComponents: 1 })).rejects.toThrow(
      /unsafe path/,
    );
    expect(existsSync(join(temp.dir, 'evil.txt'))).toBe(false);
  });

  it.skipIf(!posix)('reads what Python’s tarfile writes (GNU and pax formats)', async () => {
    const script = [
      'import io, sys, tarfile',
      'for fmt, name in ((tarfile.GNU_FORMAT, "gnu"), (tarfile.PAX_FORMAT, "pax")):',
      '    with tarfile.open(sys.argv[1] + "/" + name + ".tar.gz", "w:gz", format=fmt) as tar:',
      '        for path, data in (("python/" + "x" * 150 + ".txt", b"long"), ("python/中文 名.txt", b"zh")):',
      '            info = tarfile.TarInfo(path); info.size = len(data); tar.addfile(info, io.BytesIO(data))',
      '        link = tarfile.TarInfo("python/bin/python3"); link.type = tarfile.SYMTYPE; link.linkname = "python3.10"',
      '        tar.addfile(link)',
    ].join('\n');
    try {
      execFileSync('python3', ['-c', script, temp.dir]);
    } catch {
      return; // no python3 here: the in-memory archives above cover the format
    }
    for (const name of ['gnu', 'pax']) {
      const dest = join(temp.dir, `out-${name}`);
      await extractTarGz(join(temp.dir, `${name}.tar.gz`), dest, { stripComponents: 1 });
      expect(await readFile(join(dest, `${'x'.repeat(150)}.txt`), 'utf8')).toBe('long');
      expect(await readFile(join(dest, '中文 名.txt'), 'utf8')).toBe('zh');
      expect(await readlink(join(dest, 'bin', 'python3'))).toBe('python3.10');
    }
  });
});
