import type { BenchResult } from '@danlu/params';

/** One row of the table; `pass` undefined = informational only. Every package's bench returns these. */
export type BenchRow = BenchResult;

function format(value: number): string {
  if (value >= 1000) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

/** One table for every benchmark, so `pnpm bench` reads the same whatever areas it covers. */
export function renderTable(rows: BenchRow[]): string {
  const header = ['area', 'measure', 'value', 'unit', 'target', 'result'];
  const body = rows.map((row) => [
    row.area,
    row.measure,
    format(row.value),
    row.unit,
    row.target ?? '',
    row.pass === undefined ? '' : row.pass ? 'ok' : 'MISSED',
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...body].map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}

/** Runs `work` repeatedly for about `ms` milliseconds after a warm-up; returns operations per second. */
export async function opsPerSecond(
  work: () => Promise<unknown>,
  ms = 1500,
): Promise<{ rate: number; samples: number[] }> {
  for (let i = 0; i < 50; i++) await work();
  const samples: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  const total = samples.reduce((sum, sample) => sum + sample, 0);
  return { rate: (samples.length / total) * 1000, samples };
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
