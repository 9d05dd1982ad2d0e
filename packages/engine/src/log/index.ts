export type { LogEvent, LogEventKind } from './types.js';
export {
  createLogParser,
  emptyStartup,
  type LogParser,
  type LogParserOptions,
  type LogParserState,
} from './parser.js';
export { parseStepsBar, parseClock, type StepsBar } from './progress.js';
export { RecordAssembler, joinRecords, type LogRecord, type LogLevel } from './records.js';
export { stripAnsi, cellWidth } from './text.js';
export {
  diagnose,
  DiagnosisTail,
  DEFAULT_STUCK_SECONDS,
  type DiagnoseInput,
  type DiagnoseConfig,
} from './diagnose.js';
export {
  summarizeLog,
  parseLogFile,
  LogSummaryBuilder,
  type LogSummary,
  type SummarizeOptions,
} from './summary.js';
export { logCommands, logParseCommand, summarizeMetricsFile, type LossSummary } from './cli.js';
