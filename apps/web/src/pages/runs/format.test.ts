import { describe, expect, it } from 'vitest';

import { formatBytes, formatDuration, formatLoss, formatLr, formatRate } from './format.js';

describe('run formatting', () => {
  it('formats durations like a clock', () => {
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBeNull();
    expect(formatDuration(-1)).toBeNull();
  });

  it('switches to s/it below one step per second, as tqdm does', () => {
    expect(formatRate(2.5)).toEqual({ unit: 'it/s', value: '2.50' });
    expect(formatRate(0.25)).toEqual({ unit: 's/it', value: '4.00' });
    expect(formatRate(0)).toBeNull();
  });

  it('formats sizes, losses and learning rates', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(151 * 1024 * 1024)).toBe('151 MB');
    expect(formatLoss(0.123456)).toBe('0.1235');
    expect(formatLoss(Number.NaN)).toBeNull();
    expect(formatLr(0.0001)).toBe('1.00e-4');
  });
});
