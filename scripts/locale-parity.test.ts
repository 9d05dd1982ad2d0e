import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { checkLocaleParity } from './lib/locale-parity.mjs';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.cleanup());

async function write(language: string, namespace: string, content: unknown): Promise<void> {
  await mkdir(join(temp.dir, language), { recursive: true });
  await writeFile(
    join(temp.dir, language, `${namespace}.json`),
    typeof content === 'string' ? content : JSON.stringify(content),
  );
}

describe('checkLocaleParity', () => {
  it('passes when both languages have the same keys and placeholders', async () => {
    await write('zh-CN', 'home', { title: '首页', steps: '{{count}} 步' });
    await write('en', 'home', { title: 'Home', steps: '{{count}} steps' });
    expect(checkLocaleParity(temp.dir)).toEqual({ problems: [], keyCount: 2 });
  });

  it('names every missing key, missing file, empty text and placeholder mismatch', async () => {
    await write('zh-CN', 'home', { title: '首页', nested: { a: '甲', b: '' }, steps: '{{count}} 步' });
    await write('en', 'home', {
      title: 'Home',
      nested: { a: 'A' },
      extra: 'only here',
      steps: '{{total}} steps',
    });
    await write('zh-CN', 'runs', { title: '训练任务' });
    await write('en', 'broken', '{"title": ');
    const { problems } = checkLocaleParity(temp.dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        'zh-CN/home.json: "nested.b" is empty',
        'en/home.json: missing "nested.b"',
        'zh-CN/home.json: missing "extra"',
        'en/runs.json is missing',
        'home.steps: placeholders differ between en and zh-CN',
        expect.stringContaining('en/broken.json: not valid JSON') as string,
      ]),
    );
  });
});
