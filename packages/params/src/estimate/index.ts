import { resolveValues, type TrainingConfig } from '../config';
import type { GpuInfo } from './gpu';
import { estimateFileSize, type FileSizeEstimate } from './size';
import { estimateSteps, type StepEstimate } from './steps';
import { estimateTrainingTime, type TimeEstimate } from './time';
import { estimateVram, type VramEstimate } from './vram';

export * from './calculator';
export * from './gpu';
export * from './shapes';
export * from './size';
export * from './steps';
export * from './time';
export * from './vram';

/** kohya's step count for a configuration, from its subsets' image counts (§6.3). */
export function estimateConfigSteps(config: TrainingConfig): StepEstimate {
  const v = resolveValues(config);
  const epochsSet = v.get('max_train_epochs');
  const est = estimateSteps({
    subsets: config.subsets.map((s) => ({
      imageCount: s.imageCount ?? 0,
      numRepeats: s.numRepeats,
      isReg: s.isReg,
      buckets: s.buckets,
    })),
    batchSize: Number(v.get('train_batch_size') ?? 1),
    epochs: typeof epochsSet === 'number' ? epochsSet : 1,
    gradientAccumulation: Number(v.get('gradient_accumulation_steps') ?? 1),
    enableBucket: v.get('enable_bucket') === true,
  });
  if (typeof epochsSet !== 'number') {
    // Without epochs kohya trains max_train_steps (1600 unless set).
    const steps = Number(v.get('max_train_steps') ?? 1600);
    return {
      ...est,
      totalSteps: steps,
      epochs: est.stepsPerEpoch > 0 ? Math.ceil(steps / est.stepsPerEpoch) : 0,
    };
  }
  return est;
}

export interface Estimates {
  steps: StepEstimate;
  fileSize: FileSizeEstimate;
  vram: VramEstimate;
  time?: TimeEstimate;
}

/** Everything the review page shows: steps, file size, VRAM fit and (with a known GPU speed) time. */
export function estimateAll(config: TrainingConfig, gpu?: GpuInfo): Estimates {
  const steps = estimateConfigSteps(config);
  const time = gpu ? estimateTrainingTime(config, steps.totalSteps, gpu) : undefined;
  return {
    steps,
    fileSize: estimateFileSize(config),
    vram: estimateVram(config, gpu),
    ...(time ? { time } : {}),
  };
}
