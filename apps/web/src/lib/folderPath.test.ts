import { describe, expect, it } from 'vitest';

import { folderPathProblem } from './folderPath.js';

describe('folderPathProblem', () => {
  it('accepts absolute POSIX, drive-letter and UNC paths, with spaces and Chinese', () => {
    for (const path of [
      '/home/me/models',
      '/',
      'C:\\lora\\models',
      'd:/训练 集',
      'E:\\',
      '\\\\nas\\share\\loras',
    ]) {
      expect(folderPathProblem(path), path).toBeUndefined();
    }
  });

  it('asks for a value when the field is empty or blank', () => {
    expect(folderPathProblem('')).toBe('required');
    expect(folderPathProblem('   ')).toBe('required');
  });

  it('refuses relative paths and drive letters without a separator', () => {
    for (const path of ['models', './models', '..\\models', 'C:', 'C:models', '~/models', '\\\\nas']) {
      expect(folderPathProblem(path), path).toBe('not_absolute');
    }
  });
});
