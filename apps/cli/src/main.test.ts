import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { main, type MainIo } from './main.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.cleanup());

function capture(env: NodeJS.ProcessEnv = {}): MainIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    env: { DANLU_DATA_DIR: temp.dir, ...env },
  };
}

describe('danlu CLI', () => {
  it('info --json prints versions and folders', async () => {
    const io = capture();
    expect(await main(['info', '--json'], io)).toBe(0);
    const info = JSON.parse(io.stdout.join('\n')) as Record<string, unknown>;
    expect(info).toMatchObject({
      name: 'Danlu',
      transport: 'cli',
      versions: { node: process.versions.node },
      paths: { data: temp.dir, settingsFile: join(temp.dir, 'settings.json') },
      folders: { models: join(temp.dir, 'models') },
      gpus: { gpus: expect.any(Array) as unknown[] },
    });
  });

  it('speaks Chinese or English as asked', async () => {
    const zh = capture({ LANG: 'zh_CN.UTF-8' });
    expect(await main(['--help'], zh)).toBe(0);
    expect(zh.stdout.join('\n')).toContain('用法: danlu <命令>');
    expect(zh.stdout.join('\n')).toMatch(/serve\s+以浏览器模式启动丹炉/);

    const en = capture({ LANG: 'zh_CN.UTF-8' });
    expect(await main(['serve', '--help', '--lang', 'en'], en)).toBe(0);
    expect(en.stdout.join('\n')).toContain('Usage: danlu serve');
    expect(en.stdout.join('\n')).toContain('--host <host>');
    expect(en.stdout.join('\n')).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('follows the language saved in the app settings', async () => {
    await writeFile(join(temp.dir, 'settings.json'), JSON.stringify({ language: 'en' }));
    const io = capture({ LANG: 'zh_CN.UTF-8' });
    await main(['--help'], io);
    expect(io.stdout.join('\n')).toContain('Usage: danlu');
  });

  it('rejects unknown commands and options with exit code 2', async () => {
    const unknown = capture({ LANG: 'en_US.UTF-8' });
    expect(await main(['frobnicate'], unknown)).toBe(2);
    expect(unknown.stderr[0]).toBe('Unknown command: frobnicate');
    const badOption = capture({ LANG: 'en_US.UTF-8' });
    expect(await main(['info', '--nope'], badOption)).toBe(2);
    expect(badOption.stderr.join('\n')).toContain('--nope');
    const badPort = capture({ LANG: 'en_US.UTF-8' });
    expect(await main(['serve', '--port', '99999'], badPort)).toBe(2);
    expect(badPort.stderr.join('\n')).toContain('Invalid port');
  });

  it('says which data folder it cannot write, and exits 1', async () => {
    const blocker = join(temp.dir, 'file');
    await writeFile(blocker, '');
    const io = capture({ LANG: 'en_US.UTF-8' });
    expect(await main(['info', '--data-dir', join(blocker, 'data')], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain(join(blocker, 'data'));
  });
});
