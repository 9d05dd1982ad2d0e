import { createReadStream } from 'node:fs';

import type { Diagnosis, RunProgress, RunStartup } from '@danlu/contracts';

import { diagnose, DiagnosisTail, type DiagnoseConfig } from './diagnose.js';
import { createLogParser, emptyStartup } from './parser.js';
import type { LogEvent } from './types.js';

/** What a whole kohya console log says: totals, where it got to, what it wrote, how it ended. */
export interface LogSummary {
  lines: number;
  startup: RunStartup;
  progress: RunProgress | null;
  epochs: { epoch: number; totalEpochs: number }[];
  saves: { path: string; lineNo: number }[];
  samples: { step: number | null; epoch: number | null }[];
  /** First line of each error (capped at 100). */
  errors: { text: string; lineNo: number }[];
  finished: boolean;
  /** The last `avr_loss` of the progress bar. */
  lastAverageLoss: number | null;
  /** `failed` when a failure was recognised, `completed` when kohya printed its end line, else `incomplete`. */
  status: 'completed' | 'failed' | 'incomplete';
  diagnosis: Diagnosis | null;
}

export interface SummarizeOptions {
  /** The engine's exit code, when known (a log alone does not say it). */
  exitCode?: number | null;
  signal?: string | null;
  /** Models in output_dir; default: the number of model files the log says it saved. */
  savedModelCount?: number;
  /** The user stopped the run: an interrupt or a kill is then no failure. */
  stoppedByUser?: boolean;
  config?: DiagnoseConfig;
}

const MAX_LISTED = 10_000;
const MAX_ERRORS = 100;

/** Accumulates parser events into a summary, in bounded memory. */
export class LogSummaryBuilder {
  private readonly tail = new DiagnosisTail();
  private startup: RunStartup = emptyStartup();
  private progress: RunProgress | null = null;
  private readonly epochs: LogSummary['epochs'] = [];
  private readonly saves: LogSummary['saves'] = [];
  private readonly samples: LogSummary['samples'] = [];
  private readonly errors: LogSummary['errors'] = [];
  private finished = false;
  private lines = 0;

  add(events: readonly LogEvent[]): void {
    for (const event of events) {
      switch (event.kind) {
        case 'line':
          this.lines = event.lineNo + 1;
          this.tail.push(event.text);
          break;
        case 'startup':
          this.startup = event.startup;
          break;
        case 'progress':
          this.progress = event.progress;
          break;
        case 'epoch':
          if (this.epochs.at(-1)?.epoch !== event.epoch && this.epochs.length < MAX_LISTED) {
            this.epochs.push({ epoch: event.epoch, totalEpochs: event.totalEpochs });
          }
          break;
        case 'saved':
          if (this.saves.length < MAX_LISTED) this.saves.push({ path: event.path, lineNo: event.lineNo });
          break;
        case 'sampling':
          if (this.samples.length < MAX_LISTED) this.samples.push({ step: event.step, epoch: event.epoch });
          break;
        case 'finished':
          this.finished = true;
          break;
        case 'error':
          if (this.errors.length < MAX_ERRORS) this.errors.push({ text: event.text, lineNo: event.lineNo });
          break;
      }
    }
  }

  summary(options: SummarizeOptions = {}): LogSummary {
    const modelSaves = this.saves.filter((s) => /\.(safetensors|ckpt|pt|bin)$/i.test(s.path)).length;
    const exitCode = options.exitCode ?? null;
    const diagnosis = diagnose({
      lines: this.tail.lines(),
      exitCode,
      signal: options.signal ?? null,
      stoppedByUser: options.stoppedByUser,
      savedModelCount: options.savedModelCount ?? (exitCode === null ? undefined : modelSaves),
      config: options.config,
    });
    const status: LogSummary['status'] = diagnosis ? 'failed' : this.finished ? 'completed' : 'incomplete';
    return {
      lines: this.lines,
      startup: this.startup,
      progress: this.progress,
      epochs: [...this.epochs],
      saves: [...this.saves],
      samples: [...this.samples],
      errors: [...this.errors],
      finished: this.finished,
      lastAverageLoss: this.progress?.averageLoss ?? null,
      status,
      diagnosis,
    };
  }
}

/** Summary of a log held in memory (text, or lines without their line breaks). */
export function summarizeLog(log: string | readonly string[], options: SummarizeOptions = {}): LogSummary {
  const parser = createLogParser();
  const builder = new LogSummaryBuilder();
  if (typeof log === 'string') builder.add(parser.push(log));
  else for (const line of log) builder.add(parser.push(`${line}\n`));
  builder.add(parser.end());
  return builder.summary(options);
}

/** Summary of a log file, streamed (a 100 MB log is never held in memory). */
export async function parseLogFile(path: string, options: SummarizeOptions = {}): Promise<LogSummary> {
  const parser = createLogParser();
  const builder = new LogSummaryBuilder();
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream) builder.add(parser.push(chunk as string));
  builder.add(parser.end());
  return builder.summary(options);
}
