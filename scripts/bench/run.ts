// `pnpm bench`: every benchmark, one table. Speed targets live here, never in timed tests.
import { benchDataset, benchThumbnails } from '@danlu/dataset';
import { benchParams } from '@danlu/params';

// @danlu/runs is not a root dependency: imported from source like the package's own tests.
import { benchRuns } from '../../packages/runs/src/bench.js';
import { benchLog } from '../../packages/engine/src/log/bench.js';
import { benchTagger } from '../../packages/tagger/src/bench.js';

import { benchApi } from './api.js';
import { benchMonitor } from './monitor.js';
import { renderTable, type BenchRow } from './table.js';

const rows: BenchRow[] = [];
for (const bench of [
  benchApi,
  benchParams,
  () => benchDataset(),
  () => benchThumbnails(),
  () => benchTagger(),
  benchRuns,
  benchLog,
  benchMonitor,
])
  rows.push(...(await bench()));
console.log(renderTable(rows));
if (rows.some((row) => row.pass === false)) process.exitCode = 1;
