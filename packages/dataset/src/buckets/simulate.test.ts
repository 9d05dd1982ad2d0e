import { estimateSteps } from '@danlu/params';
import { describe, expect, it } from 'vitest';

import { pythonFloat } from '../util.js';
import { BucketManager, makeBucketResolutions } from './bucketManager.js';
import { simulateBuckets } from './simulate.js';

describe('makeBucketResolutions', () => {
  it('gives kohya’s predefined buckets for 512×512 (256–1024, step 64)', () => {
    const resos = makeBucketResolutions([512, 512]);
    expect(resos).toContainEqual([512, 512]);
    expect(resos).toContainEqual([384, 640]);
    expect(resos).toContainEqual([576, 448]);
    expect(resos).toContainEqual([320, 768]);
    expect(resos).toContainEqual([256, 1024]);
    expect(resos).toContainEqual([704, 320]);
    expect(resos).not.toContainEqual([512, 768]);
    expect(resos.length).toBe(17);
  });
});

describe('BucketManager.selectBucket', () => {
  const manager = new BucketManager(false, [512, 512], 64);
  manager.setPredefinedResos(makeBucketResolutions([512, 512]));
  it('picks the nearest aspect ratio and the covering resize', () => {
    expect(manager.selectBucket(640, 480)).toMatchObject({ reso: [576, 448], resizedSize: [597, 448] });
    expect(manager.selectBucket(512, 768)).toMatchObject({ reso: [384, 640], resizedSize: [427, 640] });
    expect(manager.selectBucket(512, 512)).toMatchObject({ reso: [512, 512], resizedSize: [512, 512] });
  });
  it('bucket_no_upscale derives the bucket from the image itself', () => {
    const noUp = new BucketManager(true, [512, 512], 64);
    expect(noUp.selectBucket(1000, 600)).toMatchObject({ reso: [640, 384], resizedSize: [640, 384] });
    expect(noUp.selectBucket(300, 200)).toMatchObject({ reso: [256, 192], resizedSize: [300, 200] });
  });
});

describe('simulateBuckets', () => {
  // Hand-computed: 10 repeats × (640×480 → 576×448, 512×768 → 384×640, 2 × 512×512) = 40 train samples;
  // 3 reg images (768×512 → 640×384) repeated up to 40; batch 4: 3 + 5 + 3 + 10 = 21 batches per epoch.
  const images = [
    { key: 'a.png', width: 640, height: 480, subset: 0 },
    { key: 'b.png', width: 512, height: 768, subset: 0 },
    { key: 'c.png', width: 512, height: 512, subset: 0 },
    { key: 'd.png', width: 512, height: 512, subset: 0 },
    { key: 'r1.png', width: 768, height: 512, subset: 1 },
    { key: 'r2.png', width: 768, height: 512, subset: 1 },
    { key: 'r3.png', width: 768, height: 512, subset: 1 },
  ];
  const subsets = [{ numRepeats: 10 }, { numRepeats: 1, isReg: true }];
  const sim = simulateBuckets(images, subsets, { resolution: 512, batchSize: 4, epochs: 10 });

  it('prints the bucket lines kohya prints', () => {
    expect(sim.buckets.map((b) => [b.index, b.resolution, b.count])).toEqual([
      [0, [384, 640], 10],
      [1, [512, 512], 20],
      [2, [576, 448], 10],
      [3, [640, 384], 40],
    ]);
    expect(sim.lines).toContain('bucket 3: resolution (640, 384), count: 40');
    expect(sim.lines[0]).toBe('40 train images with repeats.');
    expect(sim.lines[1]).toBe('3 reg images with repeats.');
    expect(sim.meanArError).toBeCloseTo((4 / 3 - 576 / 448 + (2 / 3 - 0.6) + 3 * (640 / 384 - 1.5)) / 7, 12);
  });

  it('balances reg images and counts batches per bucket, matching estimateSteps', () => {
    expect(sim.regSamplesPerEpoch).toBe(40);
    expect(sim.assignments.filter((a) => a.subset === 1).map((a) => a.repeats)).toEqual([14, 13, 13]);
    expect(sim.steps).toMatchObject({ batchesPerEpoch: 21, stepsPerEpoch: 21, totalSteps: 210 });
    expect(sim.buckets.reduce((n, b) => n + b.batches, 0)).toBe(21);
    const plain = estimateSteps({
      subsets: [
        {
          imageCount: 4,
          numRepeats: 10,
          buckets: [
            { width: 576, height: 448, count: 1 },
            { width: 384, height: 640, count: 1 },
            { width: 512, height: 512, count: 2 },
          ],
        },
        { imageCount: 3, numRepeats: 1, isReg: true, buckets: [{ width: 640, height: 384, count: 3 }] },
      ],
      batchSize: 4,
      epochs: 10,
    });
    expect(plain.totalSteps).toBe(sim.steps.totalSteps);
  });

  it('leaves surplus reg images unused and handles bucketing off', () => {
    const many = simulateBuckets(
      [
        { key: 't', width: 512, height: 512, subset: 0 },
        ...[1, 2, 3].map((i) => ({ key: `r${i}`, width: 512, height: 512, subset: 1 })),
      ],
      [{ numRepeats: 2 }, { numRepeats: 1, isReg: true }],
      { resolution: 512 },
    );
    expect(many.unusedRegImages).toBe(1);
    expect(many.buckets[0]?.count).toBe(4);
    const off = simulateBuckets(images, subsets, { resolution: 512, enableBucket: false, batchSize: 4 });
    expect(off.buckets).toEqual([expect.objectContaining({ resolution: [512, 512], count: 80 })]);
    expect(off.steps.batchesPerEpoch).toBe(20);
  });

  it('adjusts min/max bucket reso like kohya and reports its assertion', () => {
    const adjusted = simulateBuckets(images, subsets, {
      resolution: 512,
      minBucketReso: 300,
      maxBucketReso: 1000,
    });
    expect([adjusted.minBucketReso, adjusted.maxBucketReso]).toEqual([256, 1024]);
    expect(adjusted.warnings).toHaveLength(2);
    expect(simulateBuckets(images, subsets, { resolution: 1024, maxBucketReso: 768 }).error).toMatch(
      /max_bucket_reso/,
    );
  });

  it('formats floats like Python', () => {
    expect(pythonFloat(0)).toBe('0.0');
    expect(pythonFloat(0.125)).toBe('0.125');
    expect(pythonFloat(0.00001)).toBe('1e-05');
  });
});
