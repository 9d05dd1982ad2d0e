import type { MetricPoint } from '@danlu/contracts';
import { describe, expect, it } from 'vitest';

import { buildChartSeries, emaSmooth, lowerBound, minMaxIndices } from './chartData.js';

function points(n: number, loss: (i: number) => number | null = (i) => 1 / (i + 1)): MetricPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    step: i + 1,
    loss: loss(i),
    averageLoss: null,
    lr: { unet: 1e-4, textencoder: 5e-5 },
    time: i,
  }));
}

describe('emaSmooth', () => {
  it('returns the values themselves at weight 0', () => {
    expect(emaSmooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
  });

  it('is de-biased: a constant series stays constant from the first point', () => {
    for (const value of emaSmooth([0.5, 0.5, 0.5, 0.5], 0.9)) expect(value).toBeCloseTo(0.5, 12);
  });

  it('follows the TensorBoard formula', () => {
    const w = 0.6;
    const [a, b] = emaSmooth([1, 3], w);
    expect(a).toBeCloseTo(1, 12);
    // last = (1-w)*1 = 0.4; last = 0.4*0.6 + 0.4*3 = 1.44; debias 1 - 0.36 = 0.64
    expect(b).toBeCloseTo(1.44 / 0.64, 12);
  });

  it('keeps nulls and NaN as gaps without moving the average', () => {
    const out = emaSmooth([1, null, Number.NaN, 1], 0.5);
    expect(out[1]).toBeNull();
    expect(out[2]).toBeNull();
    expect(out[3]).toBeCloseTo(1, 12);
  });
});

describe('minMaxIndices', () => {
  it('keeps everything below the limit', () => {
    expect(minMaxIndices([1, 2, 3], 0, 3, 10)).toEqual([0, 1, 2]);
  });

  it('keeps a single spike and the last point when downsampling 100,000 values', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => (i === 54_321 ? 99 : i === 7_777 ? -5 : 1));
    const picked = minMaxIndices(values, 0, values.length, 1500);
    expect(picked.length).toBeLessThanOrEqual(1502);
    expect(picked).toContain(54_321);
    expect(picked).toContain(7_777);
    expect(picked.at(-1)).toBe(99_999);
    expect([...picked].sort((a, b) => a - b)).toEqual(picked);
    expect(new Set(picked).size).toBe(picked.length);
  });

  it('works on a sub-range', () => {
    const picked = minMaxIndices(new Array<number>(1000).fill(1), 100, 200, 30);
    expect(picked[0]).toBe(100);
    expect(picked.at(-1)).toBe(199);
    expect(picked.every((i) => i >= 100 && i < 200)).toBe(true);
  });
});

describe('buildChartSeries', () => {
  it('finds the LR groups and fills one row per drawn point', () => {
    const series = buildChartSeries(points(50), { smoothing: 0.5, maxPoints: 1000 });
    expect(series.lrGroups).toEqual(['textencoder', 'unet']);
    expect(series.rows).toHaveLength(50);
    expect(series.rows[0]).toMatchObject({ step: 1, loss: 1, smoothed: 1, 'lr:unet': 1e-4 });
  });

  it('cuts the zoomed step range, smoothing over the whole run', () => {
    const all = points(1000);
    const full = buildChartSeries(all, { smoothing: 0.9, maxPoints: 5000 });
    const zoomed = buildChartSeries(all, { smoothing: 0.9, maxPoints: 5000, range: [500, 600] });
    expect(zoomed.visible).toBe(101);
    expect(zoomed.rows[0]?.step).toBe(500);
    expect(zoomed.rows.at(-1)?.step).toBe(600);
    expect(zoomed.rows[0]?.smoothed).toBe(full.rows[499]?.smoothed);
  });

  it('draws a 100,000-step run with at most ~1,500 rows', () => {
    const series = buildChartSeries(
      points(100_000, (i) => Math.sin(i)),
      { smoothing: 0.95, maxPoints: 1500 },
    );
    expect(series.visible).toBe(100_000);
    expect(series.rows.length).toBeLessThanOrEqual(1502);
    expect(series.rows.at(-1)?.step).toBe(100_000);
  });
});

describe('lowerBound', () => {
  it('finds the first step at or after the wanted one', () => {
    const list = [{ step: 2 }, { step: 4 }, { step: 6 }];
    expect(lowerBound(list, 1)).toBe(0);
    expect(lowerBound(list, 4)).toBe(1);
    expect(lowerBound(list, 5)).toBe(2);
    expect(lowerBound(list, 7)).toBe(3);
  });
});
