import { parseLooseNumber } from './text.js';

/**
 * The training bar is `tqdm(total, smoothing=0, desc="steps")` on stderr, redrawn with `\r`:
 *   `steps:  12%|█▏        | 120/1000 [01:23<10:12,  1.44it/s, avr_loss=0.0912]`
 *   `steps: 100%|##########| 40/40 [00:42<00:00,  1.07s/it, avr_loss=0.145]`
 *   `steps:   0%|          | 0/1000 [00:00<?, ?it/s]`
 * A narrow console can drop the bar between the bars; the postfix may carry other keys first
 * (`Average key norm=0.512, Keys Scaled=3, avr_loss=0.121`).
 */
export interface StepsBar {
  step: number;
  total: number;
  elapsedSeconds: number | null;
  etaSeconds: number | null;
  stepsPerSecond: number | null;
  /** `avr_loss`; NaN when tqdm printed `nan`, null when absent. */
  averageLoss: number | null;
}

const BAR =
  /^steps:\s*\d+%(?:\|[^|]*\|)?\s*(\d+)\/(\d+)(?:\s*\[([\d:]+|\?)<([\d:]+|\?)(?:,\s*([\d.]+|\?)\s*(it\/s|s\/it))?(?:,\s*([^\]]*))?\]?)?/;
const AVR_LOSS = /avr_loss=([-+]?(?:[\d.]+(?:e[-+]?\d+)?|nan|inf))/i;

/** `01:23`, `1:02:03` (tqdm never prints days) → seconds; `?` → null. */
export function parseClock(text: string | undefined): number | null {
  if (!text || text === '?') return null;
  let seconds = 0;
  for (const part of text.split(':')) {
    const value = Number(part);
    if (!Number.isFinite(value)) return null;
    seconds = seconds * 60 + value;
  }
  return seconds;
}

/** The `steps:` bar, or null for any other text (other tqdm bars included). */
export function parseStepsBar(text: string): StepsBar | null {
  if (!text.startsWith('steps:')) return null;
  const match = BAR.exec(text);
  if (!match) return null;
  const rate = match[5] !== undefined && match[5] !== '?' ? Number(match[5]) : null;
  let stepsPerSecond: number | null = null;
  if (rate !== null && Number.isFinite(rate) && rate > 0) {
    stepsPerSecond = match[6] === 's/it' ? 1 / rate : rate;
  }
  const loss = match[7] ? AVR_LOSS.exec(match[7]) : null;
  return {
    step: Number(match[1]),
    total: Number(match[2]),
    elapsedSeconds: parseClock(match[3]),
    etaSeconds: parseClock(match[4]),
    stepsPerSecond,
    averageLoss: loss?.[1] ? parseLooseNumber(loss[1]) : null,
  };
}
