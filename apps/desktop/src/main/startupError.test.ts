import { describe, expect, it } from 'vitest';

import { DanluError } from '@danlu/contracts';

import { dataDirUnwritable, describeStartupError } from './startupError.js';

describe('startup failures', () => {
  it('names the unwritable folder in Chinese and English', () => {
    const failure = dataDirUnwritable('D:\\数据\\Danlu', 'EACCES');
    expect(failure.title).toContain('丹炉');
    expect(failure.title).toContain('Danlu');
    expect(failure.content).toContain('无法写入数据文件夹「D:\\数据\\Danlu」');
    expect(failure.content).toContain('Cannot write to the data folder "D:\\数据\\Danlu" (EACCES)');
    expect(failure.content).toContain('DANLU_DATA_DIR');
  });

  it("shows the backend's own bilingual message for a DanluError", () => {
    const error = new DanluError(
      'data_dir_unwritable',
      'Cannot write to the data folder "/x". 无法写入数据文件夹「/x」。',
    );
    const failure = describeStartupError(error);
    expect(failure.content.startsWith(error.message)).toBe(true);
    expect(failure.content).toContain('DANLU_DATA_DIR');
  });

  it('keeps the detail of an unexpected error', () => {
    const failure = describeStartupError(new Error('boom'));
    expect(failure.content).toContain('An unexpected error stopped Danlu from starting.');
    expect(failure.content).toContain('boom');
  });
});
