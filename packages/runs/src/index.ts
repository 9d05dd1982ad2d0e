/** Public surface of @danlu/runs (run store, supervisor, queue, live data). */
export * from './record.js';
export * from './store.js';
export * from './service.js';
export * from './logfile.js';
export * from './metrics.js';
export * from './watcher.js';
export {
  processStartToken,
  isSameProcess,
  parseProcStat,
  windowsStartTimeCommand,
} from './supervisor/procinfo.js';
export { startEngine, supervisorFiles, wrapperScript } from './supervisor/spawn.js';
export { stopRunProcess, taskkillCommand, type StopOutcome } from './supervisor/stop.js';
export { createRunCommands, runCommands, exitCodeFor, progressLine, type RunCliDeps } from './cli.js';
export { benchRuns } from './bench.js';
