/** One subset as the step arithmetic sees it. */
export interface StepSubset {
  imageCount: number;
  numRepeats: number;
  isReg?: boolean;
  /** Images per bucket without repeats; when absent the subset counts as one bucket of its own. */
  buckets?: Array<{ width: number; height: number; count: number }>;
}

export interface StepInput {
  subsets: StepSubset[];
  batchSize: number;
  epochs: number;
  gradientAccumulation?: number;
  numProcesses?: number;
  /** Without buckets every image lands in the single training-resolution bucket. */
  enableBucket?: boolean;
}

export interface StepEstimate {
  /** kohya's "num train images * repeats". */
  trainImagesWithRepeats: number;
  /** Regularisation samples after kohya balanced them against the training images. */
  regImagesWithRepeats: number;
  /** DataLoader length: Σ over buckets of ceil(samples in bucket / batch size). */
  batchesPerEpoch: number;
  stepsPerEpoch: number;
  totalSteps: number;
  epochs: number;
}

type Img = { bucket: string; repeats: number };

function expand(subset: StepSubset, index: number, bucketed: boolean): Img[] {
  const out: Img[] = [];
  const own = `subset${index}`;
  if (bucketed && subset.buckets && subset.buckets.length > 0) {
    for (const b of subset.buckets)
      for (let i = 0; i < b.count; i++)
        out.push({ bucket: `${b.width}x${b.height}`, repeats: subset.numRepeats });
  } else {
    const bucket = bucketed ? own : 'single';
    for (let i = 0; i < subset.imageCount; i++) out.push({ bucket, repeats: subset.numRepeats });
  }
  return out;
}

/**
 * kohya's step arithmetic (reference §6.3 and DreamBoothDataset): repeats per image, regularisation images
 * re-repeated until they match the training samples, batches rounded up per bucket, then
 * steps = epochs × ceil(batches / processes / gradient accumulation).
 */
export function estimateSteps(input: StepInput): StepEstimate {
  const bucketed = input.enableBucket ?? true;
  const train: Img[] = [];
  const reg: Img[] = [];
  input.subsets.forEach((s, i) => {
    if (s.numRepeats < 1) return;
    (s.isReg ? reg : train).push(...expand(s, i, bucketed));
  });
  const counts = new Map<string, number>();
  const add = (bucket: string, n: number) => counts.set(bucket, (counts.get(bucket) ?? 0) + n);
  let numTrain = 0;
  for (const img of train) {
    numTrain += img.repeats;
    add(img.bucket, img.repeats);
  }
  let numReg = 0;
  if (reg.length > 0 && numTrain > 0) {
    const used = new Array<number>(reg.length).fill(0);
    let first = true;
    outer: while (numReg < numTrain) {
      for (let i = 0; i < reg.length; i++) {
        const step = first ? (reg[i]?.repeats ?? 1) : 1;
        used[i] = (used[i] ?? 0) + step;
        numReg += step;
        if (numReg >= numTrain) break outer;
      }
      first = false;
    }
    reg.forEach((img, i) => {
      if ((used[i] ?? 0) > 0) add(img.bucket, used[i] ?? 0);
    });
  }
  const batch = Math.max(1, Math.floor(input.batchSize));
  let batches = 0;
  for (const n of counts.values()) batches += Math.ceil(n / batch);
  const procs = Math.max(1, input.numProcesses ?? 1);
  const accum = Math.max(1, input.gradientAccumulation ?? 1);
  const stepsPerEpoch = Math.ceil(batches / procs / accum);
  const epochs = Math.max(0, Math.floor(input.epochs));
  return {
    trainImagesWithRepeats: numTrain,
    regImagesWithRepeats: numReg,
    batchesPerEpoch: batches,
    stepsPerEpoch,
    totalSteps: stepsPerEpoch * epochs,
    epochs,
  };
}
