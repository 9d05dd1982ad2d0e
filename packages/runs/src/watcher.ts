import { join } from 'node:path';

import type {
  EpochMetric,
  MetricPoint,
  RunProgress,
  RunStartup,
  SampleImage,
  SavedModel,
} from '@danlu/contracts';
import {
  findTensorboardFiles,
  mergePoint,
  readTensorboardEvents,
  scanSamples,
  scanSaves,
  type LogEvent,
} from '@danlu/engine';

import { FileTail } from './logfile.js';
import { DiagnosisTail } from './engineBridge.js';
import { parseMetricsLine } from './metrics.js';

export interface LogParserLike {
  push(chunk: string): LogEvent[];
  end(): LogEvent[];
}

/** What the watcher collected since the last flush (the service turns it into one RunUpdate). */
export interface LiveBatch {
  progress: RunProgress | null;
  startup: RunStartup | null;
  newPoints: MetricPoint[];
  newEpochs: EpochMetric[];
  newLogLines: string[];
  newSaves: SavedModel[];
  newSamples: SampleImage[];
  /** Lines of this batch not forwarded (a flood); the log file has them. */
  droppedLines: number;
  /** Something worth a state change happened (first progress, startup block, first metric). */
  active: boolean;
}

/** Lines kept in memory for the diagnosis and the live view; the log file has the rest. */
export const TAIL_LINES = 400;
/** Lines sent in one update at most: a flood is summarised, the log page reads the file. */
const MAX_LINES_PER_BATCH = 500;

/**
 * Follows one run's files: engine.log through the log parser, metrics.jsonl through the metrics reader,
 * and the output folder for saves and samples. Memory is bounded: a ring of the last TAIL_LINES lines, the
 * last error lines, the set of known output names; everything else stays in the files.
 */
export class RunWatcher {
  readonly #log: FileTail;
  readonly #metrics: FileTail;
  readonly #logDecoder = new TextDecoder('utf-8');
  readonly #metricsDecoder = new TextDecoder('utf-8');
  #metricsRest = '';
  #parser: LogParserLike;
  readonly #pendingSaves = new Map<string, number>();
  readonly #announced = new Set<string>();
  readonly #knownSamples = new Set<string>();
  #lastScan = 0;
  #scanSoon = true;
  /** TensorBoard fallback (no shim lines): the event file, the read offset, the step held back. */
  #shimSeen = false;
  #tb: { file: string | null; offset: number; emitted: number; held: MetricPoint | null; lastLook: number } =
    {
      file: null,
      offset: 0,
      emitted: 0,
      held: null,
      lastLook: 0,
    };

  progress: RunProgress | null = null;
  startup: RunStartup | null = null;
  /** The end of the log plus earlier error lines, bounded: what the failure catalogue reads. */
  readonly diagnosisTail = new DiagnosisTail(TAIL_LINES);
  /** Complete lines read so far (a re-attach reads the backlog until this stops growing). */
  linesRead = 0;
  finishedLine = false;
  savedPaths = 0;
  lastOutputAt = Date.now();
  #batch: LiveBatch = RunWatcher.#emptyBatch();

  constructor(
    readonly runDir: string,
    readonly outputName: string,
    createParser: () => LogParserLike,
    readonly prompts: readonly string[] = [],
    readonly scanIntervalMs = 1500,
  ) {
    this.#parser = createParser();
    this.#log = new FileTail(join(runDir, 'engine.log'));
    this.#metrics = new FileTail(join(runDir, 'metrics.jsonl'));
  }

  static #emptyBatch(): LiveBatch {
    return {
      progress: null,
      startup: null,
      newPoints: [],
      newEpochs: [],
      newLogLines: [],
      newSaves: [],
      newSamples: [],
      droppedLines: 0,
      active: false,
    };
  }

  /**
   * Reads what is new. `backlog`: re-attaching to a run — the history is read to rebuild the progress and
   * the known files, but not sent as new lines/points (the page fetches history with runs.log/metrics).
   */
  async poll(options: { backlog?: boolean; maxBytes?: number } = {}): Promise<void> {
    const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    let read = 0;
    while (read < maxBytes) {
      const { bytes, reset } = await this.#log.read();
      if (reset) this.#batch.droppedLines++;
      if (bytes.length === 0) break;
      read += bytes.length;
      this.lastOutputAt = Date.now();
      this.#apply(
        this.#parser.push(this.#logDecoder.decode(bytes, { stream: true })),
        options.backlog === true,
      );
    }
    read = 0;
    while (read < maxBytes) {
      const { bytes } = await this.#metrics.read();
      if (bytes.length === 0) break;
      read += bytes.length;
      const text = this.#metricsRest + this.#metricsDecoder.decode(bytes, { stream: true });
      const lines = text.split('\n');
      this.#metricsRest = lines.pop() ?? '';
      if (options.backlog) continue;
      for (const line of lines) {
        const record = parseMetricsLine(line);
        if (record?.point) {
          this.#shimSeen = true;
          this.#batch.newPoints.push(record.point);
          this.#batch.active = true;
        }
        if (record?.epoch) this.#batch.newEpochs.push(record.epoch);
      }
    }
    if (!options.backlog) await this.#tensorboardFallback(false);
    if (this.#scanSoon || Date.now() - this.#lastScan >= this.scanIntervalMs)
      await this.scanOutputs(options.backlog === true);
  }

  /**
   * An engine that ran without the shim (or whose shim could not hook in) still gets its charts: once the
   * bar shows steps but no metrics line came, kohya's TensorBoard file is followed instead. One event per
   * tag, so the newest step of a read may be incomplete: it is held back until a later step appears.
   */
  async #tensorboardFallback(final: boolean): Promise<void> {
    if (this.#shimSeen || (this.progress?.step ?? 0) < 2) return;
    if (!this.#tb.file) {
      if (Date.now() - this.#tb.lastLook < 2000 && !final) return;
      this.#tb.lastLook = Date.now();
      this.#tb.file = (await findTensorboardFiles(join(this.runDir, 'logs'))).at(-1) ?? null;
      if (!this.#tb.file) return;
    }
    const read = await readTensorboardEvents(this.#tb.file, this.#tb.offset).catch(() => null);
    if (!read) return;
    this.#tb.offset = read.nextOffset;
    const points = this.#tb.held ? [this.#tb.held, ...read.points] : read.points;
    const merged = new Map<number, MetricPoint>();
    for (const p of points) {
      const before = merged.get(p.step);
      merged.set(p.step, before ? mergePoint(before, p) : p);
    }
    const ordered = [...merged.values()].sort((a, b) => a.step - b.step);
    this.#tb.held = final ? null : (ordered.pop() ?? null);
    for (const p of ordered) {
      if (p.step <= this.#tb.emitted) continue;
      this.#tb.emitted = p.step;
      this.#batch.newPoints.push(p);
    }
    this.#batch.newEpochs.push(...read.epochs);
  }

  /** End of the engine: the parser's last words (a final line without newline). */
  async finish(): Promise<void> {
    await this.poll();
    await this.#tensorboardFallback(true);
    this.#apply(this.#parser.end(), false);
    await this.scanOutputs(false, true);
  }

  async scanOutputs(backlog: boolean, final = false): Promise<void> {
    this.#lastScan = Date.now();
    this.#scanSoon = false;
    for (const save of await scanSaves(this.runDir, this.outputName)) {
      if (this.#announced.has(save.file)) continue;
      const seen = this.#pendingSaves.get(save.file);
      // kohya writes in place, not atomically: a file is announced once its size held still between two
      // scans (or when the engine has ended). Re-attaching marks what is there as known without announcing.
      if (!backlog && !final && seen !== save.sizeBytes) {
        this.#pendingSaves.set(save.file, save.sizeBytes);
        this.#scanSoon = true;
        continue;
      }
      this.#pendingSaves.delete(save.file);
      this.#announced.add(save.file);
      if (!backlog)
        this.#batch.newSaves.push({
          file: save.file,
          name: save.name,
          kind: save.kind,
          epoch: save.epoch,
          step: save.step,
          sizeBytes: save.sizeBytes,
          savedAt: new Date(save.mtimeMs).toISOString(),
        });
    }
    for (const sample of await scanSamples(this.runDir, 'output', this.#knownSamples)) {
      if (this.#knownSamples.has(sample.file)) continue;
      this.#knownSamples.add(sample.file);
      if (!backlog)
        this.#batch.newSamples.push({
          file: sample.file,
          promptIndex: sample.promptIndex,
          prompt: this.prompts[sample.promptIndex] ?? null,
          epoch: sample.epoch,
          step: sample.step,
          createdAt: new Date(sample.mtimeMs).toISOString(),
        });
    }
  }

  hasFinalModel(): boolean {
    for (const file of this.#announced) {
      if (!file.endsWith('-state') && /\.(safetensors|ckpt|pt)$/i.test(file)) {
        const name = file.slice(file.lastIndexOf('/') + 1).replace(/\.(safetensors|ckpt|pt)$/i, '');
        if (name === this.outputName || name === 'last') return true;
      }
    }
    return false;
  }

  savedModelCount(): number {
    return [...this.#announced].filter((f) => /\.(safetensors|ckpt|pt)$/i.test(f)).length;
  }

  /** Takes what was collected since the last call (null when nothing changed). */
  takeBatch(): LiveBatch | null {
    const batch = this.#batch;
    this.#batch = RunWatcher.#emptyBatch();
    const empty =
      batch.progress === null &&
      batch.startup === null &&
      batch.newPoints.length === 0 &&
      batch.newEpochs.length === 0 &&
      batch.newLogLines.length === 0 &&
      batch.newSaves.length === 0 &&
      batch.newSamples.length === 0;
    return empty ? null : batch;
  }

  async close(): Promise<void> {
    await Promise.all([this.#log.close(), this.#metrics.close()]);
  }

  #apply(events: LogEvent[], backlog: boolean): void {
    for (const event of events) {
      switch (event.kind) {
        case 'line':
          this.diagnosisTail.push(event.text);
          this.linesRead++;
          if (!backlog) {
            const lines = this.#batch.newLogLines;
            // A flood is not forwarded line by line: the page reads the gap (see RunUpdate.totalLogLines).
            if (lines.length < MAX_LINES_PER_BATCH) lines.push(event.text);
            else this.#batch.droppedLines++;
          }
          break;
        case 'progress':
          this.progress = event.progress;
          if (!backlog) {
            this.#batch.progress = event.progress;
            this.#batch.active = true;
          }
          break;
        case 'startup':
          this.startup = event.startup;
          if (!backlog) {
            this.#batch.startup = event.startup;
            this.#batch.active = true;
          }
          break;
        case 'saved':
          this.savedPaths++;
          this.#scanSoon = true;
          break;
        case 'sampling':
          this.#scanSoon = true;
          break;
        case 'finished':
          this.finishedLine = true;
          this.#scanSoon = true;
          break;
        case 'error':
          break;
        case 'epoch':
          break;
      }
    }
  }
}
