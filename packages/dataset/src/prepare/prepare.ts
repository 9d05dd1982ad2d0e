import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';

import { writeFileAtomic } from '@danlu/node-utils';
import sharp from 'sharp';

import { writeCaptionFile } from '../captions/encoding.js';
import { DatasetError } from '../errors.js';
import type { ImageEntry, Manifest } from '../manifest.js';
import { defaultMaxPixels } from '../scan/scan.js';
import { mapLimit } from '../util.js';

export type CropMode = 'center' | 'focus' | 'entropy' | 'keep';

export interface PrepareOptions {
  outDir: string;
  /** Target `[width, height]` (multiples of 64) for the crop modes; for `keep`, the long side is `longSide`. */
  size?: [number, number];
  crop: CropMode;
  /** `keep` mode: resize so the long side is at most this (never enlarges). Default: max of `size`, or 1024. */
  longSide?: number;
  format?: 'png' | 'jpeg';
  jpegQuality?: number;
  /** Extension for the copied captions (UTF-8). Default `.txt`. */
  captionExtension?: string;
  /** Allow writing into a folder that already has files (same names are replaced). */
  overwrite?: boolean;
  concurrency?: number;
  maxPixels?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number; file: string }) => void;
}

export interface PreparedFile {
  source: string;
  output: string;
  width: number;
  height: number;
  caption?: string;
}

export interface PrepareResult {
  written: PreparedFile[];
  failed: { source: string; message: string }[];
  /** Broken files the scan already reported, not attempted. */
  skipped: string[];
  cancelled: boolean;
}

/** The seeds' sizes: 512×512, 512×768 (2:3), 768×512 (3:2) and SDXL's 1024×1024. */
export const presetSizes: [number, number][] = [
  [512, 512],
  [512, 768],
  [768, 512],
  [1024, 1024],
];

export function parseSize(text: string): [number, number] {
  const match = /^\s*(\d+)\s*[x×*,]\s*(\d+)\s*$/i.exec(text) ?? /^\s*(\d+)\s*$/.exec(text);
  const width = Number(match?.[1]);
  const height = Number(match?.[2] ?? match?.[1]);
  if (
    !match ||
    width < 64 ||
    height < 64 ||
    width % 64 !== 0 ||
    height % 64 !== 0 ||
    width > 8192 ||
    height > 8192
  )
    throw new DatasetError('bad_size', `Size must be WxH in multiples of 64 (64–8192), got "${text}"`);
  return [width, height];
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function ensureOutDir(outDir: string, root: string, overwrite: boolean): Promise<void> {
  if (isInside(outDir, root))
    throw new DatasetError('out_inside_source', `The output folder must not be inside the source: ${outDir}`);
  if (isInside(root, outDir))
    throw new DatasetError('out_inside_source', `The output folder must not contain the source: ${outDir}`);
  try {
    await mkdir(outDir, { recursive: true });
    if (!(await stat(outDir)).isDirectory()) throw new Error('not a folder');
  } catch (error) {
    throw new DatasetError(
      'out_unwritable',
      `Cannot create the output folder ${outDir}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (!overwrite && (await readdir(outDir)).length > 0)
    throw new DatasetError('out_not_empty', `The output folder is not empty: ${outDir}`);
}

/** One image through the pipeline: EXIF rotation, first frame, sRGB 8-bit, alpha on white, crop/resize. */
export async function prepareImage(
  input: string | Buffer,
  options: Pick<PrepareOptions, 'size' | 'crop' | 'longSide' | 'format' | 'jpegQuality' | 'maxPixels'>,
): Promise<{ data: Buffer; width: number; height: number }> {
  let pipeline = sharp(input, {
    limitInputPixels: options.maxPixels ?? defaultMaxPixels,
    failOn: 'error',
    pages: 1,
  })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb');
  const [width, height] = options.size ?? [1024, 1024];
  if (options.crop === 'keep') {
    const long = options.longSide ?? Math.max(width, height);
    pipeline = pipeline.resize(long, long, { fit: 'inside', withoutEnlargement: true });
  } else {
    const position =
      options.crop === 'focus'
        ? sharp.strategy.attention
        : options.crop === 'entropy'
          ? sharp.strategy.entropy
          : 'centre';
    pipeline = pipeline.resize(width, height, { fit: 'cover', position });
  }
  pipeline =
    options.format === 'jpeg'
      ? pipeline.jpeg({ quality: options.jpegQuality ?? 95, chromaSubsampling: '4:4:4', mozjpeg: false })
      : pipeline.png({ compressionLevel: 6 });
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * Writes processed copies of the manifest's usable images (and their captions, as UTF-8) into a new
 * folder, keeping the sub-folder layout (`10_name` folders stay subsets). The originals are only read.
 */
export async function prepareDataset(manifest: Manifest, options: PrepareOptions): Promise<PrepareResult> {
  const outDir = resolve(options.outDir);
  if (options.crop !== 'keep' && options.size) parseSize(`${options.size[0]}x${options.size[1]}`);
  await ensureOutDir(outDir, manifest.root, options.overwrite ?? false);
  const ext = options.format === 'jpeg' ? '.jpg' : '.png';
  const captionExt = options.captionExtension ?? '.txt';
  const usable: ImageEntry[] = [];
  const skipped: string[] = [];
  for (const image of manifest.images) {
    if (image.problem) skipped.push(image.path);
    else usable.push(image);
  }
  // a.jpg and a.png in one folder would both become a.png: give the later one a suffix
  const taken = new Set<string>();
  const targets = usable.map((image) => {
    const stem = basename(image.relPath, extname(image.relPath));
    const folder = join(outDir, dirname(image.relPath));
    let name = stem;
    for (let n = 2; taken.has(join(folder, name).toLowerCase()); n++) name = `${stem}_${n}`;
    taken.add(join(folder, name).toLowerCase());
    return { image, output: join(folder, name + ext), caption: join(folder, name + captionExt) };
  });
  const result: PrepareResult = { written: [], failed: [], skipped, cancelled: false };
  let done = 0;
  await mapLimit(
    targets,
    options.concurrency ?? 2,
    async ({ image, output, caption }) => {
      try {
        const prepared = await prepareImage(image.path, options);
        await writeFileAtomic(output, prepared.data);
        const file: PreparedFile = {
          source: image.path,
          output,
          width: prepared.width,
          height: prepared.height,
        };
        if (image.caption) {
          await writeCaptionFile(caption, image.caption.text);
          file.caption = caption;
        }
        result.written.push(file);
      } catch (error) {
        result.failed.push({
          source: image.path,
          message: error instanceof Error ? error.message : String(error),
        });
      }
      options.onProgress?.({ done: ++done, total: targets.length, file: image.relPath });
    },
    options.signal,
  );
  result.cancelled = options.signal?.aborted ?? false;
  const order = new Map(targets.map((t, i) => [t.image.path, i]));
  result.written.sort((a, b) => (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0));
  return result;
}
