import { estimateSteps, type StepEstimate, type StepSubset } from '@danlu/params';

import { pythonFloat } from '../util.js';
import { BucketManager, makeBucketResolutions, type Reso } from './bucketManager.js';

export interface BucketImage {
  /** Shown back in the assignments (a path, usually). */
  key: string;
  /** The size kohya's loader sees (stored pixels, no EXIF rotation). */
  width: number;
  height: number;
  /** Index into `subsets`. */
  subset: number;
}

export interface BucketSubset {
  numRepeats: number;
  isReg?: boolean;
}

export interface BucketOptions {
  /** `[width, height]` or one number for a square. */
  resolution: number | Reso;
  enableBucket?: boolean;
  minBucketReso?: number;
  maxBucketReso?: number;
  bucketResoSteps?: number;
  bucketNoUpscale?: boolean;
  batchSize?: number;
  epochs?: number;
  gradientAccumulation?: number;
  numProcesses?: number;
}

export interface BucketAssignment {
  key: string;
  subset: number;
  bucket: Reso;
  /** Size the image is resized to before the centre crop to `bucket`. */
  resized: Reso;
  arError: number;
  /** Times the image is used per epoch (reg images after balancing; 0 = unused surplus reg image). */
  repeats: number;
  upscaled: boolean;
}

export interface BucketRow {
  /** kohya's bucket number (buckets sorted by resolution). */
  index: number;
  resolution: Reso;
  /** Samples including repeats, as kohya prints them. */
  count: number;
  images: number;
  batches: number;
}

export interface BucketSimulation {
  /** The values after kohya's adjustments (min rounded down, max rounded up to the step). */
  minBucketReso: number;
  maxBucketReso: number;
  warnings: string[];
  /** Set when kohya would stop with an assertion. */
  error?: string;
  assignments: BucketAssignment[];
  buckets: BucketRow[];
  meanArError: number;
  /** kohya's "N train images with repeats." */
  trainImagesWithRepeats: number;
  /** kohya's "M reg images" (before balancing). */
  regImagesWithRepeats: number;
  /** Reg samples per epoch after balancing against the training images. */
  regSamplesPerEpoch: number;
  unusedRegImages: number;
  steps: StepEstimate;
  /** The lines kohya prints for this dataset. */
  lines: string[];
}

/**
 * Simulates one kohya dataset: which bucket each image lands in, the per-bucket sample counts and the
 * step totals (through `@danlu/params`' `estimateSteps`). Images must be in kohya's order: subsets in
 * order, paths sorted within a subset (`bucketImagesFromManifest` does that).
 */
export function simulateBuckets(
  images: BucketImage[],
  subsets: BucketSubset[],
  options: BucketOptions,
): BucketSimulation {
  const resolution: Reso =
    typeof options.resolution === 'number' ? [options.resolution, options.resolution] : options.resolution;
  const enableBucket = options.enableBucket ?? true;
  const steps = options.bucketResoSteps ?? 64;
  const noUpscale = options.bucketNoUpscale ?? false;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1));
  const warnings: string[] = [];
  let minReso = options.minBucketReso ?? 256;
  let maxReso = options.maxBucketReso ?? 1024;
  let error: string | undefined;
  if (enableBucket) {
    if (minReso % steps !== 0) {
      const adjusted = minReso - (minReso % steps);
      warnings.push(
        `min_bucket_reso is adjusted to be multiple of bucket_reso_steps: ${minReso} -> ${adjusted}`,
      );
      minReso = adjusted;
    }
    if (maxReso % steps !== 0) {
      const adjusted = maxReso + steps - (maxReso % steps);
      warnings.push(
        `max_bucket_reso is adjusted to be multiple of bucket_reso_steps: ${maxReso} -> ${adjusted}`,
      );
      maxReso = adjusted;
    }
    if (Math.min(...resolution) < minReso) error = 'min_bucket_reso must be equal or less than resolution';
    else if (Math.max(...resolution) > maxReso)
      error = 'max_bucket_reso must be equal or greater than resolution';
  }

  const manager = new BucketManager(enableBucket && noUpscale, resolution, enableBucket ? steps : 1);
  if (!enableBucket) manager.setPredefinedResos([resolution]);
  else if (!noUpscale) manager.setPredefinedResos(makeBucketResolutions(resolution, minReso, maxReso, steps));

  // Repeats per image; reg images are re-repeated until they match the training samples (DreamBoothDataset).
  const repeats = images.map((image) => {
    const subset = subsets[image.subset];
    return subset && !subset.isReg ? Math.max(0, subset.numRepeats) : 0;
  });
  const trainTotal = repeats.reduce((a, b) => a + b, 0);
  const regIndexes = images.flatMap((image, i) => (subsets[image.subset]?.isReg ? [i] : []));
  let regRaw = 0;
  for (const i of regIndexes) regRaw += Math.max(0, subsets[images[i]?.subset ?? 0]?.numRepeats ?? 0);
  let regTotal = 0;
  if (regIndexes.length > 0 && trainTotal > 0) {
    let first = true;
    outer: while (regTotal < trainTotal) {
      for (const i of regIndexes) {
        const step = first ? (subsets[images[i]?.subset ?? 0]?.numRepeats ?? 1) : 1;
        repeats[i] = (repeats[i] ?? 0) + step;
        regTotal += step;
        if (regTotal >= trainTotal) break outer;
      }
      first = false;
    }
  }

  const assignments: BucketAssignment[] = [];
  const byReso = new Map<string, { reso: Reso; count: number; images: number }>();
  const errors: number[] = [];
  images.forEach((image, i) => {
    const isReg = subsets[image.subset]?.isReg ?? false;
    const used = repeats[i] ?? 0;
    const choice = manager.selectBucket(image.width, image.height);
    assignments.push({
      key: image.key,
      subset: image.subset,
      bucket: choice.reso,
      resized: choice.resizedSize,
      arError: choice.arError,
      repeats: used,
      upscaled: choice.resizedSize[0] > image.width || choice.resizedSize[1] > image.height,
    });
    if (isReg && used === 0) return;
    errors.push(Math.abs(choice.arError));
    const key = `${choice.reso[0]},${choice.reso[1]}`;
    const row = byReso.get(key) ?? { reso: choice.reso, count: 0, images: 0 };
    row.count += used;
    row.images += 1;
    byReso.set(key, row);
  });
  const buckets: BucketRow[] = [...byReso.values()]
    .sort((a, b) => a.reso[0] - b.reso[0] || a.reso[1] - b.reso[1])
    .map((row, index) => ({
      index,
      resolution: row.reso,
      count: row.count,
      images: row.images,
      batches: Math.ceil(row.count / batchSize),
    }));
  const meanArError = errors.length ? errors.reduce((a, b) => a + b, 0) / errors.length : 0;

  const stepSubsets: StepSubset[] = subsets.map((subset, s) => {
    const own = assignments.filter((a) => a.subset === s);
    return {
      imageCount: own.length,
      numRepeats: subset.numRepeats,
      isReg: subset.isReg ?? false,
      buckets: own.map((a) => ({ width: a.bucket[0], height: a.bucket[1], count: 1 })),
    };
  });
  const stepInput: Parameters<typeof estimateSteps>[0] = {
    subsets: stepSubsets,
    batchSize,
    epochs: options.epochs ?? 1,
    enableBucket,
  };
  if (options.gradientAccumulation !== undefined)
    stepInput.gradientAccumulation = options.gradientAccumulation;
  if (options.numProcesses !== undefined) stepInput.numProcesses = options.numProcesses;
  const estimate = estimateSteps(stepInput);

  const lines = [
    `${trainTotal} train images with repeats.`,
    `${regRaw} reg images with repeats.`,
    ...warnings,
  ];
  if (enableBucket) {
    lines.push('number of images (including repeats) / 各bucketの画像枚数（繰り返し回数を含む）');
    for (const row of buckets)
      lines.push(
        `bucket ${row.index}: resolution (${row.resolution[0]}, ${row.resolution[1]}), count: ${row.count}`,
      );
    lines.push(`mean ar error (without repeats): ${pythonFloat(meanArError)}`);
  }
  lines.push(`  num batches per epoch / 1epochのバッチ数: ${estimate.batchesPerEpoch}`);

  const result: BucketSimulation = {
    minBucketReso: minReso,
    maxBucketReso: maxReso,
    warnings,
    assignments,
    buckets,
    meanArError,
    trainImagesWithRepeats: trainTotal,
    regImagesWithRepeats: regRaw,
    regSamplesPerEpoch: regTotal,
    unusedRegImages: regIndexes.filter((i) => (repeats[i] ?? 0) === 0).length,
    steps: estimate,
    lines,
  };
  if (error) result.error = error;
  return result;
}
