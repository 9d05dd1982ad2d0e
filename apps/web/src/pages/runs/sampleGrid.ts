import type { SampleImage } from '@danlu/contracts';

export interface SampleRow {
  key: string;
  /** What the row is: an epoch, a step, or the samples kohya makes before the first step. */
  kind: 'epoch' | 'step' | 'start';
  value: number;
  cells: (SampleImage | undefined)[];
}

/**
 * Rows = the moments samples were made (epoch when kohya named the file by epoch, else step), oldest first;
 * columns = prompt index. Missing cells stay undefined so the grid keeps its columns while it fills in.
 */
export function sampleGrid(samples: readonly SampleImage[]): { rows: SampleRow[]; columns: number } {
  const columns = samples.reduce((max, s) => Math.max(max, s.promptIndex + 1), 0);
  const rows = new Map<string, SampleRow>();
  for (const sample of samples) {
    const kind: SampleRow['kind'] =
      sample.epoch !== null && sample.epoch > 0
        ? 'epoch'
        : sample.step !== null && sample.step > 0
          ? 'step'
          : 'start';
    const value = kind === 'epoch' ? (sample.epoch ?? 0) : kind === 'step' ? (sample.step ?? 0) : 0;
    const key = `${kind}:${String(value)}`;
    let row = rows.get(key);
    if (!row) {
      row = { key, kind, value, cells: new Array<SampleImage | undefined>(columns).fill(undefined) };
      rows.set(key, row);
    }
    const current = row.cells[sample.promptIndex];
    // Two files for one cell (a re-run sampling): the newest wins.
    if (!current || current.createdAt <= sample.createdAt) row.cells[sample.promptIndex] = sample;
  }
  const order = { start: 0, step: 1, epoch: 1 } as const;
  const sorted = [...rows.values()].sort((a, b) => order[a.kind] - order[b.kind] || a.value - b.value);
  return { rows: sorted, columns };
}
