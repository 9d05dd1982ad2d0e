import type { RunProgress, RunStartup } from '@danlu/contracts';

import { parseStepsBar, type StepsBar } from './progress.js';
import { RecordAssembler, type LogRecord } from './records.js';
import { stripAnsi } from './text.js';
import type { LogEvent } from './types.js';

/**
 * Streaming parser of a kohya-ss/sd-scripts console log (stdout and stderr interleaved, as the run service
 * writes them to engine.log). Feed it chunks of any size, cut anywhere; it returns what each chunk made
 * known. Memory stays bounded whatever the input: a line keeps at most `maxLineChars` characters and the
 * parser holds only the current line and the current start-up figures.
 */
export interface LogParserOptions {
  /** Longer lines are cut (the rest is counted, then dropped). Default 16,384. */
  maxLineChars?: number;
  /**
   * Treat the end of every chunk that ends on a line break as the end of a Rich record. Right for a live
   * tail (Rich writes each record in one write, so its rows arrive together) and makes the last record
   * visible at once; wrong for a file read in fixed-size blocks. Default false.
   */
  flushAtChunkEnd?: boolean;
  /** Number of the first line (when parsing resumes in the middle of a log). Default 0. */
  firstLineNo?: number;
}

export interface LogParserState {
  startup: RunStartup;
  /** null until the log said anything about progress. */
  progress: RunProgress | null;
  finished: boolean;
  lineCount: number;
}

export interface LogParser {
  push(chunk: string): LogEvent[];
  /** The stream ended: completes the last line and record. */
  end(): LogEvent[];
  /** Where the log stands now (copies). */
  state(): LogParserState;
}

export function emptyStartup(): RunStartup {
  return {
    images: null,
    regImages: null,
    batchesPerEpoch: null,
    epochs: null,
    batchSize: null,
    gradientAccumulation: null,
    totalSteps: null,
    buckets: [],
  };
}

const EPOCH = /^epoch (\d+)\/(\d+)$/;
const TRAIN_IMAGES = /^(\d+) train images with repeats/;
const REG_IMAGES = /^(\d+) reg images with repeats/;
const BUCKET = /^bucket \d+: resolution \((\d+), (\d+)\), count: (\d+)/;
const OVERRIDE_STEPS = /^override steps\. steps for (\d+) epochs is[^:]*:\s*(\d+)/;
const LAST_NUMBER = /(\d+)\s*$/;
const STATE_FILE = /^save train state to (.+?)[\\/]train_state\.json\b/;
const MAX_ERROR_CHARS = 1000;

/** The "running training / 学習開始" block (stdout, two leading spaces). Matched on the English half. */
const RUNNING_BLOCK: readonly [RegExp, keyof Omit<RunStartup, 'buckets'>][] = [
  [/^num train images \* repeats[^:]*:\s*(\d+)/, 'images'],
  [/^num reg images[^:]*:\s*(\d+)/, 'regImages'],
  [/^num batches per epoch[^:]*:\s*(\d+)/, 'batchesPerEpoch'],
  [/^num epochs[^:]*:\s*(\d+)/, 'epochs'],
  [/^batch size per device[^:]*:\s*(\d+)/, 'batchSize'],
  // train_db.py / sdxl_train.py print "gradient ccumulation steps" (sic).
  [/^gradient a?ccumulation steps[^=]*=\s*(\d+)/, 'gradientAccumulation'],
  [/^total optimization steps[^:]*:\s*(\d+)/, 'totalSteps'],
];

function hasText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9) return true;
  }
  return false;
}

export function createLogParser(options: LogParserOptions = {}): LogParser {
  const maxChars = Math.max(256, options.maxLineChars ?? 16_384);
  const flushAtChunkEnd = options.flushAtChunkEnd ?? false;
  const assembler = new RecordAssembler(maxChars);
  const records: LogRecord[] = [];

  let lineNo = options.firstLineNo ?? 0;
  let current = ''; // text of the current physical line since its last \r
  let currentDropped = 0;
  let lastSegment = ''; // the last \r-terminated state of the current line
  let pendingCr = false;

  const startup = emptyStartup();
  let startupChanged = false;
  let progress: RunProgress | null = null;
  let phase: RunProgress['phase'] = 'preparing';
  let epoch = 0;
  let totalEpochs = 0;
  let bar: StepsBar | null = null;
  let finished = false;
  let nanReported = false;
  let inTraceback = false;

  let out: LogEvent[] = [];
  let progressDirty = false;
  let pendingBar: string | null = null;

  function append(chunk: string, from: number, to: number): void {
    if (to <= from) return;
    const room = maxChars - current.length;
    if (room <= 0) {
      currentDropped += to - from;
      return;
    }
    if (to - from > room) {
      current += chunk.slice(from, from + room);
      currentDropped += to - from - room;
    } else {
      current += from === 0 && to === chunk.length ? chunk : chunk.slice(from, to);
    }
  }

  /**
   * Progress is a snapshot, so redraws are coalesced: a bar update only marks it dirty, and the latest
   * state goes out before the next other event, at a phase change, or at the end of the chunk. The
   * events of one chunk therefore never show two steps that nothing happened between.
   */
  function markProgress(): void {
    progressDirty = true;
  }

  /** Push a non-line event, after the progress it follows. */
  function emit(event: LogEvent): void {
    if (pendingBar !== null) resolveBar();
    if (progressDirty) flushProgress();
    out.push(event);
  }

  /**
   * Only the last redraw before something else happens matters, so a redraw is parsed lazily: kept as
   * text until the next event, phase change or the end of the chunk.
   */
  function resolveBar(): void {
    const text = pendingBar;
    pendingBar = null;
    if (text !== null) onBar(text);
  }

  function queueBar(text: string): void {
    if (!text.startsWith('steps:')) return;
    pendingBar = text;
    // a NaN loss is reported at the redraw that shows it (it stays NaN afterwards anyway)
    if (!nanReported && text.indexOf('=nan', text.length - 48) !== -1) resolveBar();
  }

  function flushProgress(): void {
    progressDirty = false;
    const next: RunProgress = {
      step: bar?.step ?? 0,
      totalSteps: bar?.total ?? startup.totalSteps ?? 0,
      epoch,
      totalEpochs: totalEpochs || (startup.epochs ?? 0),
      stepsPerSecond: bar?.stepsPerSecond ?? null,
      elapsedSeconds: bar?.elapsedSeconds ?? null,
      etaSeconds: bar?.etaSeconds ?? null,
      averageLoss:
        bar?.averageLoss !== undefined && bar.averageLoss !== null && Number.isFinite(bar.averageLoss)
          ? bar.averageLoss
          : null,
      phase,
    };
    const before = progress;
    if (
      before &&
      before.step === next.step &&
      before.totalSteps === next.totalSteps &&
      before.epoch === next.epoch &&
      before.totalEpochs === next.totalEpochs &&
      before.stepsPerSecond === next.stepsPerSecond &&
      before.elapsedSeconds === next.elapsedSeconds &&
      before.etaSeconds === next.etaSeconds &&
      before.averageLoss === next.averageLoss &&
      before.phase === next.phase
    ) {
      return;
    }
    progress = next;
    out.push({ kind: 'progress', progress: next }); // never mutated afterwards: state() hands out copies
  }

  function setPhase(next: RunProgress['phase']): void {
    if (finished && next !== 'finishing') return;
    if (phase === next) return;
    if (pendingBar !== null) resolveBar();
    if (progressDirty) flushProgress();
    phase = next;
    flushProgress();
  }

  function onBar(text: string): void {
    const parsed = parseStepsBar(text);
    if (!parsed) return;
    const moved = bar === null || parsed.step !== bar.step;
    bar = parsed;
    if (!finished && phase !== 'training' && (moved || phase === 'preparing' || phase === 'caching')) {
      phase = 'training';
      flushProgress();
    } else markProgress();
    if (parsed.averageLoss !== null && Number.isNaN(parsed.averageLoss) && !nanReported) {
      nanReported = true;
      emit({ kind: 'error', text: text.trim().slice(0, MAX_ERROR_CHARS), lineNo });
    }
  }

  /** A `\r` ended a redraw of the current line: only progress bars matter here. */
  function endSegment(): void {
    if (hasText(current)) {
      lastSegment = current;
      // A redraw is never part of a Rich record: the record before it is complete.
      if (assembler.pending) {
        assembler.flush(records);
        drainRecords();
      }
      if (current.charCodeAt(0) === 115) queueBar(current); // 's'
    }
    current = '';
    currentDropped = 0;
  }

  function endLine(): void {
    const raw = stripAnsi(hasText(current) ? current : lastSegment);
    const dropped = currentDropped;
    current = '';
    currentDropped = 0;
    lastSegment = '';
    let text = raw.trimEnd();
    if (dropped > 0) text += ` … [${dropped} more characters]`;
    const number = lineNo++;
    out.push({ kind: 'line', text, lineNo: number });
    // Rich pads its rows to the console width; the padding tells a blank row inside a record from a
    // blank line of its own, so the record assembler gets the row untrimmed.
    assembler.push(afterBar(raw), number, records);
    drainRecords();
    if (text.charCodeAt(0) === 115) queueBar(text);
  }

  /**
   * A log record written while a tqdm bar is on screen lands on the bar's line:
   * `steps:  50%|█████     | 10/20 [03:49<03:49, 22.99s/it, avr_loss=1.12]2026-12-02 14:20:56 INFO  …`.
   * The record part is what follows the bar's closing bracket.
   */
  function afterBar(raw: string): string {
    const bar = raw.lastIndexOf('%|', 40); // bounded: most lines are no bar at all
    if (bar === -1) return raw;
    const close = raw.indexOf(']', bar);
    if (close === -1 || close + 1 >= raw.length) return raw;
    const rest = raw.slice(close + 1);
    return rest.trim() === '' ? raw : rest;
  }

  function drainRecords(): void {
    if (records.length === 0) return;
    for (const record of records) handleRecord(record);
    records.length = 0;
  }

  function setStartup(key: keyof Omit<RunStartup, 'buckets'>, value: number): void {
    if (startup[key] === value) return;
    startup[key] = value;
    startupChanged = true;
  }

  function handleRecord(record: LogRecord): void {
    const { message, level, lineNo: at } = record;
    if (level === null && (inTraceback || message.charCodeAt(0) === 84) && inTracebackLine(message, at))
      return;
    if (level === 'ERROR' || level === 'CRITICAL') {
      emit({ kind: 'error', text: message.slice(0, MAX_ERROR_CHARS), lineNo: at });
    }
    if (message.includes('\n')) {
      for (const part of message.split('\n')) handleMessage(part.trimStart(), level, at);
    } else {
      handleMessage(message.charCodeAt(0) === 32 ? message.trimStart() : message, level, at);
    }
    if (startupChanged) {
      startupChanged = false;
      emit({ kind: 'startup', startup: { ...startup, buckets: startup.buckets.map((b) => ({ ...b })) } });
      if (progress === null || (startup.totalSteps !== null && bar === null)) flushProgress();
    }
  }

  /**
   * Python tracebacks are plain lines: the frames are indented, the exception is the first line after
   * them that is not. That line (not "Traceback (most recent call last):") is the error worth showing.
   */
  function inTracebackLine(message: string, at: number): boolean {
    if (message.startsWith('Traceback (most recent call last)')) {
      inTraceback = true;
      return true;
    }
    if (!inTraceback) return false;
    const first = message.charCodeAt(0);
    if (message === '' || first === 32 || first === 9) return true;
    inTraceback = false;
    emit({ kind: 'error', text: message.slice(0, MAX_ERROR_CHARS), lineNo: at });
    return true;
  }

  function handleMessage(text: string, level: LogRecord['level'], at: number): void {
    switch (text.charCodeAt(0)) {
      case 101: {
        // 'e': "epoch 2/10" (accelerator.print, stdout)
        const match = EPOCH.exec(text);
        if (match) {
          epoch = Number(match[1]);
          totalEpochs = Number(match[2]);
          emit({ kind: 'epoch', epoch, totalEpochs });
          if (!finished && phase !== 'training') phase = 'training';
          flushProgress();
        }
        return;
      }
      case 115: // 's'
        if (text.startsWith('saving checkpoint: ')) {
          emit({ kind: 'saved', path: text.slice(19).trim(), lineNo: at });
          setPhase('saving');
        } else if (text.startsWith('saving state at ') || text.startsWith('saving last state')) {
          setPhase('saving');
        } else if (text.startsWith('save train state to ')) {
          const match = STATE_FILE.exec(text);
          if (match?.[1]) emit({ kind: 'saved', path: match[1], lineNo: at });
        } else if (text.startsWith('save trained model as ')) {
          // train_db.py / sdxl_train.py final save: "... StableDiffusion checkpoint to <file>" / "... Diffusers to <dir>"
          const index = text.indexOf(' to ');
          if (index > 0) emit({ kind: 'saved', path: text.slice(index + 4).trim(), lineNo: at });
          setPhase('saving');
        } else if (text.startsWith('saving model: ')) {
          emit({ kind: 'saved', path: text.slice(14).trim(), lineNo: at });
          setPhase('saving');
        }
        return;
      case 103: // 'g': "generating sample images at step / サンプル画像生成 ステップ: 100"
        if (text.startsWith('generating sample images')) {
          const match = LAST_NUMBER.exec(text);
          emit({ kind: 'sampling', step: match ? Number(match[1]) : null, epoch: null });
          setPhase('sampling');
        } else if (text.startsWith('gradient ')) matchRunningBlock(text);
        return;
      case 109: // 'm'
        if (text === 'model saved.' || text.startsWith('model saved.')) {
          finished = true;
          emit({ kind: 'finished', lineNo: at });
          phase = 'finishing';
          flushProgress();
        } else if (text.startsWith('make buckets')) {
          startup.buckets = [];
        }
        return;
      case 99: // 'c'
        if (text.startsWith('caching latents') || /^caching text encoder outputs/i.test(text)) {
          setPhase('caching');
        }
        return;
      case 98: {
        // 'b': "bucket 0: resolution (512, 512), count: 80"
        const match = BUCKET.exec(text);
        if (match) {
          startup.buckets.push({
            width: Number(match[1]),
            height: Number(match[2]),
            count: Number(match[3]),
          });
          startupChanged = true;
        } else matchRunningBlock(text);
        return;
      }
      case 110: // 'n'
        if (text.startsWith('num ')) matchRunningBlock(text);
        return;
      case 78: // 'N'
        if (text.startsWith('No data found') && level === null) {
          emit({ kind: 'error', text: text.slice(0, MAX_ERROR_CHARS), lineNo: at });
        }
        return;
      case 116: // 't'
        if (text.startsWith('total optimization steps')) matchRunningBlock(text);
        return;
      case 111: {
        // 'o': "override steps. steps for 10 epochs is / 指定エポックまでのステップ数: 200"
        const match = OVERRIDE_STEPS.exec(text);
        if (match) {
          setStartup('epochs', Number(match[1]));
          setStartup('totalSteps', Number(match[2]));
        }
        return;
      }
      case 105: // 'i'
        if (text.startsWith('import network module')) setPhase('preparing');
        return;
      case 112: // 'p'
        if (text.startsWith('prepare optimizer')) setPhase('preparing');
        return;
      case 114: // 'r'
        if (text.startsWith('running training')) setPhase('preparing');
        return;
      default: {
        const first = text.charCodeAt(0);
        if (first >= 48 && first <= 57) {
          const train = TRAIN_IMAGES.exec(text);
          if (train) setStartup('images', Number(train[1]));
          const reg = train ? null : REG_IMAGES.exec(text);
          if (reg) setStartup('regImages', Number(reg[1]));
        }
      }
    }
  }

  function matchRunningBlock(text: string): void {
    for (const [pattern, key] of RUNNING_BLOCK) {
      const match = pattern.exec(text);
      if (match) {
        setStartup(key, Number(match[1]));
        return;
      }
    }
  }

  function take(): LogEvent[] {
    if (pendingBar !== null) resolveBar();
    if (progressDirty) flushProgress();
    const events = out;
    out = [];
    return events;
  }

  return {
    push(chunk: string): LogEvent[] {
      let i = 0;
      if (pendingCr) {
        pendingCr = false;
        if (chunk.charCodeAt(0) !== 10) endSegment(); // a lone \r; "\r" + "\n" is a CRLF line break
      }
      const length = chunk.length;
      let nl = chunk.indexOf('\n');
      let cr = chunk.indexOf('\r');
      while (i < length) {
        if (cr !== -1 && (nl === -1 || cr < nl)) {
          append(chunk, i, cr);
          i = cr + 1;
          if (i === length) {
            pendingCr = true;
          } else if (chunk.charCodeAt(i) !== 10) {
            endSegment();
          }
          cr = chunk.indexOf('\r', i);
        } else if (nl !== -1) {
          append(chunk, i, nl);
          endLine();
          i = nl + 1;
          nl = chunk.indexOf('\n', i);
        } else {
          append(chunk, i, length);
          i = length;
        }
      }
      if (flushAtChunkEnd && current === '' && lastSegment === '' && !pendingCr && assembler.pending) {
        assembler.flush(records);
        drainRecords();
      }
      return take();
    },
    end(): LogEvent[] {
      if (pendingCr) {
        pendingCr = false;
        endSegment();
      }
      if (current !== '' || lastSegment !== '') endLine();
      assembler.flush(records);
      drainRecords();
      return take();
    },
    state(): LogParserState {
      return {
        startup: { ...startup, buckets: startup.buckets.map((b) => ({ ...b })) },
        progress: progress ? { ...progress } : null,
        finished,
        lineCount: lineNo,
      };
    },
  };
}
