import type { RunProgress, RunStartup } from '@danlu/contracts';

/**
 * What the streaming kohya log parser reports. Line numbers are 0-based and count complete lines as the
 * parser emits them (a tqdm bar redrawn with `\r` a thousand times is one line, in its final state).
 */
export type LogEvent =
  /** Every complete line (progress redraws collapsed to their final state). */
  | { kind: 'line'; text: string; lineNo: number }
  /** Emitted (again) whenever a start-up figure becomes known; always the full picture so far. */
  | { kind: 'startup'; startup: RunStartup }
  /** From the `steps:` bar, the epoch lines and phase changes. */
  | { kind: 'progress'; progress: RunProgress }
  /** "epoch 2/10" */
  | { kind: 'epoch'; epoch: number; totalEpochs: number }
  /** "saving checkpoint: <path>", state folders ("saving state at step …"), "model saved" lines. */
  | { kind: 'saved'; path: string; lineNo: number }
  /** "generating sample images at step / epoch …" */
  | { kind: 'sampling'; step: number | null; epoch: number | null }
  /** kohya's "model saved." end line. */
  | { kind: 'finished'; lineNo: number }
  /** Traceback / ERROR records (first line of each). */
  | { kind: 'error'; text: string; lineNo: number };

export type LogEventKind = LogEvent['kind'];
