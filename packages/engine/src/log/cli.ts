import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

import type { CliCommand, CliIo } from '@danlu/node-utils';

import { parseShimLine } from '../metrics/shimLine.js';
import { parseLogFile, type LogSummary } from './summary.js';

/** Loss figures from a run's metrics.jsonl (the shim's structured record), when there is one. */
export interface LossSummary {
  file: string;
  points: number;
  lastStep: number | null;
  lastLoss: number | null;
  lastAverageLoss: number | null;
  minAverageLoss: number | null;
  epochs: { epoch: number; averageLoss: number | null }[];
}

export async function summarizeMetricsFile(file: string): Promise<LossSummary> {
  const result: LossSummary = {
    file,
    points: 0,
    lastStep: null,
    lastLoss: null,
    lastAverageLoss: null,
    minAverageLoss: null,
    epochs: [],
  };
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    const { point, epoch } = parseShimLine(line);
    if (point) {
      result.points++;
      result.lastStep = point.step;
      result.lastLoss = point.loss;
      result.lastAverageLoss = point.averageLoss;
      if (
        point.averageLoss !== null &&
        (result.minAverageLoss === null || point.averageLoss < result.minAverageLoss)
      ) {
        result.minAverageLoss = point.averageLoss;
      }
    }
    if (epoch && result.epochs.length < 10_000)
      result.epochs.push({ epoch: epoch.epoch, averageLoss: epoch.averageLoss });
  }
  return result;
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

const STATUS = {
  completed: ['已完成', 'completed'],
  failed: ['失败', 'failed'],
  incomplete: ['未结束（仍在运行，或被中断）', 'not finished (still running, or cut off)'],
} as const;

function num(value: number | null | undefined): string {
  return value === null || value === undefined ? '?' : String(value);
}

function printHuman(io: CliIo, file: string, summary: LogSummary, losses: LossSummary | null): void {
  const zh = io.language === 'zh-CN';
  const s = summary.startup;
  const p = summary.progress;
  const status = STATUS[summary.status];
  io.out(zh ? `日志：${file}（${summary.lines} 行）` : `Log: ${file} (${summary.lines} lines)`);
  io.out(zh ? `状态：${status[0]}` : `Status: ${status[1]}`);
  io.out(
    zh
      ? `数据：图片×重复 ${num(s.images)}，正则图 ${num(s.regImages)}，每轮批次 ${num(s.batchesPerEpoch)}，批大小 ${num(s.batchSize)}，梯度累积 ${num(s.gradientAccumulation)}`
      : `Data: images×repeats ${num(s.images)}, reg images ${num(s.regImages)}, batches/epoch ${num(s.batchesPerEpoch)}, batch size ${num(s.batchSize)}, grad. accumulation ${num(s.gradientAccumulation)}`,
  );
  io.out(
    zh
      ? `总计：${num(s.epochs)} 轮，${num(s.totalSteps)} 步`
      : `Totals: ${num(s.epochs)} epochs, ${num(s.totalSteps)} steps`,
  );
  if (s.buckets.length > 0) {
    const buckets = s.buckets.map((b) => `${b.width}×${b.height}:${b.count}`).join(', ');
    io.out(zh ? `分桶：${buckets}` : `Buckets: ${buckets}`);
  }
  if (p) {
    const rate =
      p.stepsPerSecond === null
        ? ''
        : p.stepsPerSecond >= 1
          ? `, ${p.stepsPerSecond.toFixed(2)} it/s`
          : `, ${(1 / p.stepsPerSecond).toFixed(2)} s/it`;
    io.out(
      zh
        ? `进度：第 ${p.step}/${p.totalSteps} 步，第 ${p.epoch}/${p.totalEpochs} 轮，平均损失 ${num(p.averageLoss)}${rate}`
        : `Progress: step ${p.step}/${p.totalSteps}, epoch ${p.epoch}/${p.totalEpochs}, average loss ${num(p.averageLoss)}${rate}`,
    );
  }
  if (losses) {
    io.out(
      zh
        ? `损失（${losses.points} 个记录点）：最后 ${num(losses.lastLoss)}，平均 ${num(losses.lastAverageLoss)}，最低平均 ${num(losses.minAverageLoss)}`
        : `Loss (${losses.points} points): last ${num(losses.lastLoss)}, average ${num(losses.lastAverageLoss)}, lowest average ${num(losses.minAverageLoss)}`,
    );
  }
  io.out(zh ? `保存：${summary.saves.length} 次` : `Saved: ${summary.saves.length}`);
  for (const save of summary.saves.slice(-10)) io.out(`  ${save.path}`);
  io.out(
    zh ? `预览图：生成 ${summary.samples.length} 次` : `Samples: generated ${summary.samples.length} time(s)`,
  );
  for (const error of summary.errors.slice(0, 5))
    io.out(`${zh ? '错误' : 'Error'} (${error.lineNo + 1}): ${error.text}`);
  const d = summary.diagnosis;
  if (d) {
    io.out('');
    io.out(`${zh ? '诊断' : 'Diagnosis'}: ${zh ? d.title.zh : d.title.en} [${d.code}]`);
    io.out(`  ${zh ? d.explanation.zh : d.explanation.en}`);
    if (d.evidence) io.out(`  ${zh ? '依据' : 'Evidence'}: ${d.evidence.split('\n')[0] ?? ''}`);
    for (const fix of d.fixes)
      io.out(`  → ${zh ? fix.label.zh : fix.label.en}${fix.patch ? ` ${JSON.stringify(fix.patch)}` : ''}`);
  }
}

export const logParseCommand: CliCommand = {
  name: 'log',
  summary: {
    'zh-CN': '解析 kohya 训练日志：log parse ENGINE.log（总数、进度、损失、保存、预览图、结果与诊断）',
    en: 'Read a kohya console log: log parse ENGINE.log (totals, progress, loss, saves, samples, outcome, diagnosis)',
  },
  usage: 'danlu log parse ENGINE.log [--exit-code N] [--metrics metrics.jsonl] [--json]',
  options: {
    json: { type: 'boolean', description: { 'zh-CN': '以 JSON 输出摘要', en: 'Print the summary as JSON' } },
    'exit-code': {
      type: 'string',
      valueName: 'n',
      description: {
        'zh-CN': '引擎的退出码（日志本身不含）',
        en: "The engine's exit code (the log does not say)",
      },
    },
    metrics: {
      type: 'string',
      valueName: 'file',
      description: {
        'zh-CN': '损失记录文件（默认：日志旁边的 metrics.jsonl）',
        en: 'Loss record file (default: metrics.jsonl next to the log)',
      },
    },
  },
  async run({ values, positionals }, io) {
    const zh = io.language === 'zh-CN';
    const [action, file] = positionals;
    if (action !== 'parse' || !file) {
      io.err(zh ? '用法：danlu log parse ENGINE.log [--json]' : 'Usage: danlu log parse ENGINE.log [--json]');
      return 2;
    }
    if (!(await exists(file))) {
      io.err(zh ? `找不到日志文件：${file}` : `Log file not found: ${file}`);
      return 1;
    }
    let exitCode: number | null = null;
    const rawExit = values['exit-code'];
    if (typeof rawExit === 'string') {
      exitCode = Number(rawExit);
      if (!Number.isInteger(exitCode)) {
        io.err(zh ? `退出码必须是整数：${rawExit}` : `The exit code must be an integer: ${rawExit}`);
        return 2;
      }
    }
    const metricsOption = values['metrics'];
    const metricsFile =
      typeof metricsOption === 'string' ? metricsOption : join(dirname(file), 'metrics.jsonl');
    if (typeof metricsOption === 'string' && !(await exists(metricsOption))) {
      io.err(zh ? `找不到损失记录文件：${metricsOption}` : `Metrics file not found: ${metricsOption}`);
      return 1;
    }
    const [summary, losses] = await Promise.all([
      parseLogFile(file, { exitCode }),
      (await exists(metricsFile)) ? summarizeMetricsFile(metricsFile) : Promise.resolve(null),
    ]);
    if (values['json']) io.out(JSON.stringify({ file, ...summary, losses }, null, 2));
    else printHuman(io, file, summary, losses);
    return 0;
  },
};

export const logCommands: CliCommand[] = [logParseCommand];
