// `pnpm bench`: every benchmark, one table. Speed targets live here, never in timed tests.
import { benchApi } from './api.js';
import { renderTable, type BenchRow } from './table.js';

const rows: BenchRow[] = [];
for (const bench of [benchApi]) rows.push(...(await bench()));
console.log(renderTable(rows));
if (rows.some((row) => row.pass === false)) process.exitCode = 1;
