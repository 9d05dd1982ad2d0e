import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BenchResult } from '@danlu/params';
import sharp from 'sharp';

import { prepareDataset } from './prepare/prepare.js';
import { scanDataset } from './scan/scan.js';
import { ThumbnailCache } from './thumbnails/thumbnailCache.js';
import { mapLimit } from './util.js';

/** A photo-like 3000×2000 JPEG: a gradient with a bright blob off-centre (something for focus crop to find). */
async function largePhoto(): Promise<Buffer> {
  const width = 300;
  const height = 200;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const blob = Math.hypot(x - 220, y - 80) < 30 ? 120 : 0;
      raw[i] = Math.min(255, (x % 256) + blob);
      raw[i + 1] = Math.min(255, y + blob);
      raw[i + 2] = (x * y) % 256;
    }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .resize(3000, 2000)
    .jpeg({ quality: 90 })
    .toBuffer();
}

export interface BenchDatasetOptions {
  scanImages?: number;
  prepareImages?: number;
}

/**
 * Scan rate (headers only) over generated small images, and focus-crop preprocessing of 3000×2000 JPEGs
 * to 512×768. Rows have the shape of `@danlu/params`' `BenchResult`.
 */
export async function benchDataset(options: BenchDatasetOptions = {}): Promise<BenchResult[]> {
  const scanImages = options.scanImages ?? 2000;
  const prepareImages = options.prepareImages ?? 8;
  const dir = await mkdtemp(join(tmpdir(), 'danlu bench 数据集 '));
  try {
    const scanDir = join(dir, 'scan', '10_bench 图');
    await mkdir(scanDir, { recursive: true });
    const variants = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        sharp({
          create: { width: 64 + i * 8, height: 96, channels: 3, background: { r: i * 15, g: 80, b: 160 } },
        })
          .jpeg()
          .toBuffer(),
      ),
    );
    for (let i = 0; i < scanImages; i++)
      await writeFile(
        join(scanDir, `图 ${String(i).padStart(5, '0')}.jpg`),
        variants[i % variants.length] ?? Buffer.alloc(0),
      );
    await scanDataset(join(dir, 'scan'));
    const start = performance.now();
    const manifest = await scanDataset(join(dir, 'scan'));
    const scanSeconds = (performance.now() - start) / 1000;
    const scanRate = manifest.images.length / scanSeconds;

    const photoDir = join(dir, 'photos');
    await mkdir(photoDir, { recursive: true });
    const photo = await largePhoto();
    for (let i = 0; i < prepareImages; i++) await writeFile(join(photoDir, `photo ${i}.jpg`), photo);
    const photos = await scanDataset(photoDir);
    const prepStart = performance.now();
    const result = await prepareDataset(photos, {
      outDir: join(dir, 'out'),
      size: [512, 768],
      crop: 'focus',
    });
    const prepSeconds = (performance.now() - prepStart) / 1000;
    const prepRate = result.written.length / prepSeconds;
    return [
      {
        area: 'dataset',
        measure: `scan ${manifest.images.length} images (headers only)`,
        value: Math.round(scanRate),
        unit: 'images/s',
        target: '≥ 2000',
        pass: scanRate >= 2000,
      },
      {
        area: 'dataset',
        measure: 'prepare 3000×2000 JPEG → focus crop 512×768 PNG',
        value: Math.round(prepRate * 10) / 10,
        unit: 'images/s',
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Thumbnails for the dataset grid: first view (decode + resize + write to the cache) and a cached view. */
export async function benchThumbnails(options: { images?: number } = {}): Promise<BenchResult[]> {
  const count = options.images ?? 40;
  const dir = await mkdtemp(join(tmpdir(), 'danlu bench 缩略图 '));
  try {
    const photo = await largePhoto();
    const files: string[] = [];
    for (let i = 0; i < count; i++) {
      const file = join(dir, `photo ${String(i)}.jpg`);
      await writeFile(file, photo);
      files.push(file);
    }
    const cache = new ThumbnailCache({ dir: join(dir, 'cache') });
    let start = performance.now();
    await mapLimit(files, 6, (file) => cache.get(file, 256));
    const cold = count / ((performance.now() - start) / 1000);
    start = performance.now();
    await mapLimit(files, 6, (file) => cache.get(file, 256));
    const warm = count / ((performance.now() - start) / 1000);
    return [
      {
        area: 'dataset',
        measure: 'thumbnail 3000×2000 JPEG → 256 px WebP, first view (cached to the data folder)',
        value: Math.round(cold * 10) / 10,
        unit: 'images/s',
      },
      {
        area: 'dataset',
        measure: 'thumbnail from the cache',
        value: Math.round(warm),
        unit: 'images/s',
        target: '≥ 10 × first view',
        pass: warm >= cold * 10,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
