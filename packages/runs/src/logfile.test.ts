import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { makeTempDir } from '@danlu/node-utils/testing';

import { LineSplitter, LogIndex, MAX_LINE_CHARS } from './logfile.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('logfile'));
});
afterEach(() => cleanup());

describe('engine.log reading', () => {
  it('collapses tqdm redraws, keeps CRLF lines, strips escapes and pages from any line', async () => {
    const file = join(dir, 'engine.log');
    const body = [
      'first\r\n',
      '\rsteps: 0%| | 0/2\rsteps: 50%| | 1/2\rsteps: 100%| | 2/2\n',
      ' 90%|█████████ | 9/10 [00:36<00:04]\x1b[A\n',
      ...Array.from({ length: 3000 }, (_, i) => `line ${i} 中文\n`),
      'partial bar\r',
    ].join('');
    await writeFile(file, body);
    const index = new LogIndex(file);
    const head = await index.page(0, 3, false);
    expect(head).toEqual({
      lines: ['first', 'steps: 100%| | 2/2', ' 90%|█████████ | 9/10 [00:36<00:04]'],
      first: 0,
      total: 3003,
    });
    const deep = await index.page(2500, 2, false);
    expect(deep.lines).toEqual(['line 2497 中文', 'line 2498 中文']);
    expect((await index.page(-1, 10, true)).lines).toEqual(['partial bar']);
    const found = await index.search('LINE 299', 3, false);
    expect(found.lines).toEqual(['line 2997 中文', 'line 2998 中文', 'line 2999 中文']);
    expect(found.lineNumbers).toEqual([3000, 3001, 3002]);
  });

  it('bounds a line without newline', () => {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    for (let i = 0; i < 50; i++) splitter.push('x'.repeat(10_000), (l) => lines.push(l));
    splitter.end((l) => lines.push(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.length).toBeLessThanOrEqual(MAX_LINE_CHARS + 10);
  });
});
