import { describe, expect, it } from 'vitest';
import { estimateConfigSteps } from './index';
import { suggestRepeatsAndEpochs } from './calculator';
import { estimateSteps } from './steps';

describe('estimateSteps (kohya arithmetic)', () => {
  it('20 images × 8 repeats, batch 2, 10 epochs → 800 steps', () => {
    const e = estimateSteps({ subsets: [{ imageCount: 20, numRepeats: 8 }], batchSize: 2, epochs: 10 });
    expect(e.trainImagesWithRepeats).toBe(160);
    expect(e.batchesPerEpoch).toBe(80);
    expect(e.totalSteps).toBe(800);
  });

  it('rounds batches up per bucket, not over the total', () => {
    // bucket A: 7 × 3 = 21 → ceil(21/4) = 6; bucket B: 5 × 3 = 15 → 4; total 10 (not ceil(36/4) = 9)
    const e = estimateSteps({
      subsets: [
        {
          imageCount: 12,
          numRepeats: 3,
          buckets: [
            { width: 512, height: 512, count: 7 },
            { width: 448, height: 576, count: 5 },
          ],
        },
      ],
      batchSize: 4,
      epochs: 1,
    });
    expect(e.batchesPerEpoch).toBe(10);
  });

  it('balances regularisation images against the training samples', () => {
    // 10 × 10 = 100 train samples; 30 reg images × 1 → repeated to exactly 100 (first 10 get 4, rest 3)
    const e = estimateSteps({
      subsets: [
        { imageCount: 10, numRepeats: 10 },
        { imageCount: 30, numRepeats: 1, isReg: true },
      ],
      batchSize: 1,
      epochs: 2,
    });
    expect(e.regImagesWithRepeats).toBe(100);
    expect(e.batchesPerEpoch).toBe(200);
    expect(e.totalSteps).toBe(400);
  });

  it('leaves surplus reg images unused and stops at the first reg subset that is enough', () => {
    const e = estimateSteps({
      subsets: [
        { imageCount: 5, numRepeats: 2 },
        { imageCount: 100, numRepeats: 3, isReg: true },
      ],
      batchSize: 1,
      epochs: 1,
    });
    // 10 train samples: reg images registered 3 at a time until ≥ 10 → 4 images, 12 samples
    expect(e.regImagesWithRepeats).toBe(12);
  });

  it('divides by gradient accumulation and processes, rounding up', () => {
    const e = estimateSteps({
      subsets: [{ imageCount: 25, numRepeats: 1 }],
      batchSize: 1,
      epochs: 3,
      gradientAccumulation: 4,
      numProcesses: 2,
    });
    expect(e.stepsPerEpoch).toBe(Math.ceil(25 / 2 / 4));
    expect(e.totalSteps).toBe(12);
  });

  it('reads a configuration, falling back to max_train_steps without epochs', () => {
    const cfg = {
      family: 'sd1' as const,
      trainingType: 'lora' as const,
      values: { train_batch_size: 2, max_train_epochs: 20 },
      subsets: [{ imageDir: '/d', numRepeats: 8, imageCount: 20 }],
    };
    expect(estimateConfigSteps(cfg).totalSteps).toBe(1600);
  });
});

describe('suggestRepeatsAndEpochs', () => {
  it('keeps the seeds’ anime habit (8 × 20) when it already fits', () => {
    expect(suggestRepeatsAndEpochs({ imageCount: 12, kind: 'character' })).toMatchObject({
      repeats: 8,
      epochs: 20,
      totalSteps: 1920,
    });
  });
  it('lowers the repeats for a big dataset and stays in range', () => {
    const s = suggestRepeatsAndEpochs({ imageCount: 200, kind: 'character', batchSize: 2 });
    expect(s.inRange).toBe(true);
    expect(s.repeats).toBeLessThan(8);
  });
  it('raises the repeats for very few images', () => {
    const s = suggestRepeatsAndEpochs({ imageCount: 5, kind: 'person' });
    expect(s.inRange).toBe(true);
    expect(s.totalSteps).toBeGreaterThanOrEqual(1000);
  });
  it('handles thousands of style images by cutting epochs too', () => {
    const s = suggestRepeatsAndEpochs({ imageCount: 5000, kind: 'style' });
    expect(s.repeats).toBe(1);
    expect(s.totalSteps).toBeLessThanOrEqual(4000 * 2.5);
  });
});
