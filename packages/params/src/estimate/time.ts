import { parseResolution, resolveValues, type TrainingConfig } from '../config';
import { guessSd15Speed, type GpuInfo } from './gpu';

const FAMILY_FACTOR = { sd1: 1, sd2: 1.05, sdxl: 1.2 } as const;

export interface TimeEstimate {
  secondsPerStep: number;
  totalSeconds: number;
}

/**
 * Training time from a GPU speed: the SD1.5 512² batch-1 rate scaled by pixels, batch, model family and
 * the switches that cost time. Undefined when the GPU's speed is unknown.
 */
export function estimateTrainingTime(
  config: TrainingConfig,
  totalSteps: number,
  gpu: GpuInfo,
): TimeEstimate | undefined {
  const ref = guessSd15Speed(gpu);
  if (ref === undefined || ref <= 0) return undefined;
  const v = resolveValues(config);
  const [w, h] = parseResolution(v.get('resolution'));
  const batch = Number(v.get('train_batch_size') ?? 1);
  const accum = Number(v.get('gradient_accumulation_steps') ?? 1);
  let factor = FAMILY_FACTOR[config.family] * ((w * h) / (512 * 512)) * Math.pow(batch, 0.85) * accum;
  if (v.get('gradient_checkpointing') === true) factor *= 1.25;
  if (v.get('sdpa') !== true && v.get('xformers') !== true) factor *= 1.3;
  if (config.trainingType === 'dreambooth') factor *= 1.6;
  if (v.get('fp8_base') === true) factor *= 1.1;
  if (v.get('cache_latents') !== true) factor *= 1.15;
  const secondsPerStep = factor / ref;
  return { secondsPerStep, totalSeconds: secondsPerStep * totalSteps };
}
