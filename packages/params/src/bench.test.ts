import { describe, expect, it } from 'vitest';
import { benchParams } from './bench';

describe('benchParams', () => {
  it('measures validate + estimate under the 5 ms target', async () => {
    const results = await benchParams();
    expect(results.map((r) => r.measure)).toContain('validate + estimate (median)');
    const median = results.find((r) => r.measure === 'validate + estimate (median)')!;
    expect(median.unit).toBe('ms');
    expect(median.value).toBeGreaterThan(0);
    // Generous in CI; the benchmark itself reports pass/fail against 5 ms.
    expect(median.value).toBeLessThan(25);
  });
});
