import type { Diagnosis } from '@danlu/contracts';
import { createLogParser, diagnose, DiagnosisTail } from '@danlu/engine';

import type { LogParserLike } from './watcher.js';

/**
 * The seam to @danlu/engine's log parser and failure catalogue. The parser runs on a live tail: every
 * chunk ends where the engine's last write ended, so a Rich record is complete at a chunk end.
 */
export function createParser(): LogParserLike {
  return createLogParser({ flushAtChunkEnd: true });
}

export { DiagnosisTail };

export interface DiagnoseRunInput {
  /** DiagnosisTail.lines(): the end of the log plus earlier error lines. */
  lines: readonly string[];
  exitCode: number | null;
  signal: string | null;
  /** The wrapper vanished without writing exit.json: killed from outside (or the machine went down). */
  vanished: boolean;
  savedModels: number;
  finalModel: boolean;
  stopRequested: boolean;
  config?: { family?: 'sd1' | 'sd2' | 'sdxl'; values?: Readonly<Record<string, unknown>> };
  /** While running: seconds since the log last grew (for the "stuck" rule). */
  silentSeconds?: number;
}

const noFinalModel: Diagnosis = {
  code: 'no_model_saved',
  title: { zh: '训练结束但没有保存模型', en: 'The run ended without saving a model' },
  explanation: {
    zh: '引擎正常退出，却没有写出最终的模型文件。请查看日志末尾。',
    en: 'The engine exited normally but wrote no final model file. See the end of the log.',
  },
  evidence: '',
  fixes: [],
};

/** Why a run failed (or, while it runs, what is already going wrong); null when nothing is wrong. */
export function diagnoseRun(input: DiagnoseRunInput): Diagnosis | null {
  const signal = input.signal ?? (input.vanished && !input.stopRequested ? 'SIGKILL' : null);
  const found = diagnose({
    lines: input.lines,
    exitCode: input.exitCode,
    signal,
    savedModelCount: input.savedModels,
    stoppedByUser: input.stopRequested,
    ...(input.silentSeconds !== undefined ? { silentSeconds: input.silentSeconds } : {}),
    ...(input.config ? { config: input.config } : {}),
  });
  if (found || input.stopRequested) return found;
  // kohya always writes `<output_name>.<ext>` at the end; exit 0 without it is no success.
  if (input.exitCode === 0 && !input.finalModel) return noFinalModel;
  return null;
}
