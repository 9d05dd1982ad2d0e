import { makeTempDir } from '@danlu/node-utils/testing';
import { exportKohya, SubsetSchema } from '@danlu/params';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { simulateBuckets } from './buckets/simulate.js';
import type { Manifest } from './manifest.js';
import { scanDataset } from './scan/scan.js';
import { bucketInputFromManifest, buildSubsets, explainRegBalance, foldersFromManifest } from './subsets.js';
import { buildMixedFolder } from './testing/fixtures.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let manifest: Manifest;
beforeAll(async () => {
  temp = await makeTempDir('dataset subsets');
  await buildMixedFolder(temp.dir);
  manifest = await scanDataset(temp.dir);
}, 60_000);
afterAll(() => temp.cleanup());

describe('subsets', () => {
  it('turns folders into exportKohya subsets with counts, buckets and reg flags', () => {
    const folders = foldersFromManifest(manifest).map((f) =>
      f.isReg ? f : { ...f, captionExtension: '.txt', keepTokens: 1 },
    );
    const input = bucketInputFromManifest(manifest, folders);
    // kohya skips gif/heic etc. and broken files: the train folder has 15 header-readable images of 19 files
    expect(input.images.filter((i) => i.subset === 0)).toHaveLength(15);
    const sim = simulateBuckets(input.images, input.subsets, { resolution: 512, batchSize: 2 });
    const subsets = buildSubsets(manifest, folders, sim);
    for (const s of subsets) expect(SubsetSchema.safeParse(s).success).toBe(true);
    expect(subsets[0]).toMatchObject({
      numRepeats: 10,
      classTokens: 'sks dog',
      captionExtension: '.txt',
      keepTokens: 1,
      imageCount: 15,
    });
    expect(subsets[1]).toMatchObject({ isReg: true, numRepeats: 1, classTokens: 'dog', imageCount: 2 });
    expect(subsets[0]?.buckets?.reduce((n, b) => n + b.count, 0)).toBe(15);

    const exported = exportKohya({ family: 'sd1', trainingType: 'lora', values: {}, subsets });
    const toml = parse(exported.datasetToml ?? '') as { datasets: { subsets: Record<string, unknown>[] }[] };
    expect(toml.datasets[0]?.subsets[1]).toMatchObject({ is_reg: true, class_tokens: 'dog' });

    expect(sim.trainImagesWithRepeats).toBe(150);
    expect(sim.regSamplesPerEpoch).toBe(150);
    expect(explainRegBalance(sim)?.en).toMatch(/2 reg images .* 150 training samples/);
  });
});
