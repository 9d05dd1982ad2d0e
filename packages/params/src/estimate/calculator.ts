import type { TrainingKind } from '../types';

/** Recommended total steps per kind (the seeds: ~1000–3000; styles like a little more). */
export const STEP_RANGES: Record<TrainingKind, { min: number; max: number; target: number }> = {
  character: { min: 1000, max: 3000, target: 2000 },
  person: { min: 1000, max: 3000, target: 2000 },
  style: { min: 1500, max: 4000, target: 2500 },
  concept: { min: 1000, max: 3000, target: 1800 },
};

/** The seeds' starting points: anime repeat 8 / epoch 20, realistic repeat 15 / epoch 10. */
const PREFERRED: Record<TrainingKind, { repeats: number; epochs: number }> = {
  character: { repeats: 8, epochs: 20 },
  person: { repeats: 15, epochs: 10 },
  style: { repeats: 5, epochs: 15 },
  concept: { repeats: 10, epochs: 12 },
};

export interface Suggestion {
  repeats: number;
  epochs: number;
  totalSteps: number;
  range: { min: number; max: number; target: number };
  /** Whether the suggestion lands inside the range (false only for extreme image counts). */
  inRange: boolean;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/**
 * Settings calculator: from the image count and kind, repeats and epochs that land in the recommended
 * step range, staying as close as possible to the seeds' habits (keep the epochs, move the repeats first).
 */
export function suggestRepeatsAndEpochs(input: {
  imageCount: number;
  kind: TrainingKind;
  batchSize?: number;
}): Suggestion {
  const range = STEP_RANGES[input.kind];
  const pref = PREFERRED[input.kind];
  const images = Math.max(1, Math.floor(input.imageCount));
  const batch = Math.max(1, Math.floor(input.batchSize ?? 1));
  const steps = (r: number, e: number) => Math.ceil((images * r) / batch) * e;
  const inRange = (s: number) => s >= range.min && s <= range.max;
  let repeats = pref.repeats;
  let epochs = pref.epochs;
  if (!inRange(steps(repeats, epochs))) {
    repeats = clamp(Math.round((range.target * batch) / (images * epochs)), 1, 50);
    if (!inRange(steps(repeats, epochs)))
      epochs = clamp(Math.round(range.target / Math.ceil((images * repeats) / batch)), 1, 100);
  }
  const total = steps(repeats, epochs);
  return { repeats, epochs, totalSteps: total, range, inRange: inRange(total) };
}
