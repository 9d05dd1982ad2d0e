import type { Diagnosis, RunProgress } from '@danlu/contracts';
import type { LogEvent } from '@danlu/engine';

import { LineSplitter } from './logfile.js';
import type { LogParserLike } from './watcher.js';

/**
 * The seam to the log parser and the failure catalogue of @danlu/engine (engineer A's `log/`). Until those
 * land this file holds a minimal stand-in: lines, the `steps:` bar, saves, errors, end line.
 */
export function createParser(): LogParserLike {
  return minimalParser();
}

export interface DiagnoseInput {
  exitCode: number | null;
  signal: string | null;
  /** The last lines of the log (bounded). */
  tail: readonly string[];
  errors: readonly string[];
  savedModels: number;
  finalModel: boolean;
  stopRequested: boolean;
}

/** Why a run failed; null when it did not. */
export function diagnoseRun(input: DiagnoseInput): Diagnosis | null {
  if (input.stopRequested) return null;
  const evidence = (input.errors.at(-1) ?? input.tail.at(-1) ?? '').trim();
  if (input.exitCode === null)
    return {
      code: 'killed',
      title: { zh: '训练进程被外部结束', en: 'The training process was killed' },
      explanation: {
        zh: '引擎在没有正常退出的情况下消失了（被任务管理器结束、系统内存不足或电脑重启）。已保存的模型仍然可用。',
        en: 'The engine disappeared without exiting normally (ended from outside, out of system memory, or a reboot). What was saved is still usable.',
      },
      evidence,
      fixes: [],
    };
  if (input.exitCode !== 0)
    return {
      code: input.errors.length > 0 ? 'python_error' : 'unknown_exit',
      title: {
        zh: `训练出错退出（代码 ${input.exitCode}）`,
        en: `The run failed (exit code ${input.exitCode})`,
      },
      explanation: {
        zh: '引擎报错并退出，请查看日志中的报错信息。',
        en: 'The engine stopped with an error; see the error lines in the log.',
      },
      evidence,
      fixes: [],
    };
  if (!input.finalModel)
    return {
      code: 'no_model_saved',
      title: { zh: '训练结束但没有保存模型', en: 'The run ended without saving a model' },
      explanation: {
        zh: '引擎正常退出，却没有写出最终的模型文件——通常是数据集为空或路径不对（kohya 此时也返回 0）。',
        en: 'The engine exited normally but wrote no final model — usually an empty dataset or a wrong path (kohya exits 0 then too).',
      },
      evidence,
      fixes: [],
    };
  return null;
}

const STEPS =
  /steps:\s*(\d+)%\|[^|]*\|\s*(\d+)\/(\d+)\s*\[([\d:]+)<([\d:?]+),\s*([\d.?]+)(it\/s|s\/it)(?:,\s*(.*?))?\]/;

function seconds(text: string | undefined): number | null {
  if (!text || text.includes('?')) return null;
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

function minimalParser(): LogParserLike {
  const splitter = new LineSplitter();
  let lineNo = 0;
  let progress: RunProgress = {
    step: 0,
    totalSteps: 0,
    epoch: 0,
    totalEpochs: 0,
    stepsPerSecond: null,
    elapsedSeconds: null,
    etaSeconds: null,
    averageLoss: null,
    phase: 'preparing',
  };
  let lastBar = '';
  const bar = (events: LogEvent[], text: string) => {
    if (text === lastBar) return;
    lastBar = text;
    const steps = STEPS.exec(text);
    if (steps) {
      const rate = Number(steps[6]);
      const loss = /avr_loss=([-+0-9.eE]+|nan|inf)/.exec(steps[8] ?? '')?.[1];
      progress = {
        ...progress,
        step: Number(steps[2]),
        totalSteps: Number(steps[3]),
        elapsedSeconds: seconds(steps[4]),
        etaSeconds: seconds(steps[5]),
        stepsPerSecond: Number.isFinite(rate) && rate > 0 ? (steps[7] === 's/it' ? 1 / rate : rate) : null,
        averageLoss: loss === undefined ? null : Number(loss),
        phase: 'training',
      };
      events.push({ kind: 'progress', progress });
    }
  };
  const onLine = (events: LogEvent[]) => (text: string) => {
    const n = lineNo++;
    events.push({ kind: 'line', text, lineNo: n });
    bar(events, text);
    const epoch = /^epoch (\d+)\/(\d+)$/.exec(text.trim());
    if (epoch) {
      progress = { ...progress, epoch: Number(epoch[1]), totalEpochs: Number(epoch[2]) };
      events.push({ kind: 'epoch', epoch: progress.epoch, totalEpochs: progress.totalEpochs });
      events.push({ kind: 'progress', progress });
    }
    const saved = /saving checkpoint: (.*)$/.exec(text);
    if (saved?.[1]) events.push({ kind: 'saved', path: saved[1], lineNo: n });
    if (/generating sample images/.test(text)) events.push({ kind: 'sampling', step: null, epoch: null });
    if (/^\s*model saved\.?\s*$/.test(text)) events.push({ kind: 'finished', lineNo: n });
    if (/^Traceback \(most recent call last\)|Error:|^ERROR\b/.test(text))
      events.push({ kind: 'error', text, lineNo: n });
  };
  return {
    push(chunk) {
      const events: LogEvent[] = [];
      splitter.push(chunk, onLine(events));
      // The bar redraws with \r and ends its line only when it closes: read the line being drawn too.
      bar(events, splitter.pending());
      return events;
    },
    end() {
      const events: LogEvent[] = [];
      splitter.end(onLine(events));
      return events;
    },
  };
}
