import type { SampleImage } from '@danlu/contracts';
import { describe, expect, it } from 'vitest';

import { sampleGrid } from './sampleGrid.js';

const sample = (
  file: string,
  promptIndex: number,
  epoch: number | null,
  step: number | null,
): SampleImage => ({
  file,
  promptIndex,
  prompt: null,
  epoch,
  step,
  createdAt: '2026-01-01T00:00:00Z',
});

describe('sampleGrid', () => {
  it('puts epochs in rows and prompts in columns, keeping gaps while it fills in', () => {
    const grid = sampleGrid([
      sample('e2p0', 0, 2, null),
      sample('e1p1', 1, 1, null),
      sample('e1p0', 0, 1, null),
      sample('start', 0, 0, 0),
    ]);
    expect(grid.columns).toBe(2);
    expect(grid.rows.map((r) => r.key)).toEqual(['start:0', 'epoch:1', 'epoch:2']);
    expect(grid.rows[1]?.cells.map((c) => c?.file)).toEqual(['e1p0', 'e1p1']);
    expect(grid.rows[2]?.cells.map((c) => c?.file)).toEqual(['e2p0', undefined]);
  });

  it('uses the step when the file is named by step', () => {
    const grid = sampleGrid([sample('s200', 0, null, 200), sample('s100', 0, null, 100)]);
    expect(grid.rows.map((r) => [r.kind, r.value])).toEqual([
      ['step', 100],
      ['step', 200],
    ]);
  });
});
