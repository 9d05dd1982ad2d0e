import { dirname, resolve } from 'node:path';

import type { Subset, Text } from '@danlu/params';

import type { BucketImage, BucketSimulation, BucketSubset } from './buckets/simulate.js';
import { kohyaImageExtensions, type Manifest } from './manifest.js';
import { compareCodePoints } from './util.js';

/** A folder the user chose, with the settings kohya's `[[datasets.subsets]]` takes. */
export interface FolderSubset {
  dir: string;
  numRepeats: number;
  isReg?: boolean;
  classTokens?: string;
  captionExtension?: string;
  keepTokens?: number;
}

const kohyaExtensions = new Set<string>(kohyaImageExtensions);

/** The folder's images kohya would load: directly inside it, a kohya extension, and readable. */
function imagesOf(manifest: Manifest, dir: string) {
  return manifest.images
    .filter((image) => dirname(image.path) === resolve(dir))
    .filter((image) => !image.problem && kohyaExtensions.has(image.extension))
    .sort((a, b) => compareCodePoints(a.path, b.path));
}

/** The manifest's folder suggestions as user-editable subsets (N_name folders keep their repeats). */
export function foldersFromManifest(manifest: Manifest): FolderSubset[] {
  return manifest.subsets
    .filter((s) => s.numRepeats > 0)
    .map((s) => {
      const folder: FolderSubset = { dir: s.dir, numRepeats: s.numRepeats, isReg: s.isReg };
      if (s.classTokens) folder.classTokens = s.classTokens;
      return folder;
    });
}

/** Images in kohya's order (subsets in order, paths sorted), with the size kohya's loader sees. */
export function bucketInputFromManifest(
  manifest: Manifest,
  folders: FolderSubset[],
  size: 'stored' | 'oriented' = 'stored',
): { images: BucketImage[]; subsets: BucketSubset[] } {
  const images: BucketImage[] = [];
  folders.forEach((folder, subset) => {
    for (const image of imagesOf(manifest, folder.dir)) {
      const width = size === 'oriented' ? image.orientedWidth : image.width;
      const height = size === 'oriented' ? image.orientedHeight : image.height;
      if (width && height) images.push({ key: image.relPath, width, height, subset });
    }
  });
  return { images, subsets: folders.map((f) => ({ numRepeats: f.numRepeats, isReg: f.isReg ?? false })) };
}

/**
 * The `subsets` that `@danlu/params` `exportKohya` writes as `[[datasets.subsets]]`, with image counts
 * and (when a simulation is given) per-bucket counts for the step estimate.
 */
export function buildSubsets(
  manifest: Manifest | undefined,
  folders: FolderSubset[],
  simulation?: BucketSimulation,
): Subset[] {
  return folders.map((folder, index) => {
    const subset: Subset = { imageDir: folder.dir, numRepeats: Math.max(1, folder.numRepeats) };
    if (folder.isReg) subset.isReg = true;
    if (folder.classTokens) subset.classTokens = folder.classTokens;
    if (folder.captionExtension) subset.captionExtension = folder.captionExtension;
    if (folder.keepTokens !== undefined) subset.keepTokens = folder.keepTokens;
    if (manifest) subset.imageCount = imagesOf(manifest, folder.dir).length;
    if (simulation) {
      const counts = new Map<string, { width: number; height: number; count: number }>();
      for (const a of simulation.assignments) {
        if (a.subset !== index) continue;
        const key = `${a.bucket[0]}x${a.bucket[1]}`;
        const row = counts.get(key) ?? { width: a.bucket[0], height: a.bucket[1], count: 0 };
        row.count++;
        counts.set(key, row);
      }
      subset.buckets = [...counts.values()];
    }
    return subset;
  });
}

/** How kohya balances regularisation images, in words, with the numbers of this simulation. */
export function explainRegBalance(simulation: BucketSimulation): Text | undefined {
  const train = simulation.trainImagesWithRepeats;
  const found = simulation.regImagesWithRepeats;
  if (found === 0) return undefined;
  const used = simulation.regSamplesPerEpoch;
  const unused = simulation.unusedRegImages;
  const batches = simulation.steps.batchesPerEpoch;
  const zh =
    `正则图（含重复）共 ${found} 张；kohya 会把它们重复或截取到与训练图（含重复）${train} 张相同，` +
    `每轮实际使用 ${used} 张正则样本，所以每轮样本约翻倍，共 ${batches} 个批次。` +
    (unused > 0 ? `有 ${unused} 张正则图不会被使用。` : '');
  const en =
    `${found} reg images (with repeats); kohya repeats or truncates them to match the ${train} training samples, ` +
    `so each epoch uses ${used} reg samples — about twice the samples, ${batches} batches per epoch.` +
    (unused > 0 ? ` ${unused} reg images are never used.` : '');
  return { zh, en };
}
