import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';

import sharp from 'sharp';

import { decodeCaption } from '../captions/encoding.js';
import { DatasetError } from '../errors.js';
import {
  imageExtensions,
  type CaptionInfo,
  type FileProblem,
  type ImageEntry,
  type Manifest,
  type SubsetSuggestion,
} from '../manifest.js';
import { compareCodePoints, mapLimit, toPosix } from '../util.js';
import { looksLikeRegFolder, parseKohyaFolderName } from './folderName.js';
import { headerFromMetadata, orientedSize, readBmpHeader, type HeaderInfo } from './header.js';
import { differenceHash } from './hash.js';

/**
 * Pillow (which kohya uses) raises DecompressionBombError above twice `Image.MAX_IMAGE_PIXELS`
 * (89,478,485): kohya could not load such an image either, so Danlu refuses to decode it.
 */
export const defaultMaxPixels = 2 * 89_478_485;

const smallFileBytes = 512 * 1024;

export interface ScanOptions {
  /** Caption extensions in order of preference; the first one found beside an image wins. */
  captionExtensions?: string[];
  /** Also read every file completely: sha1, perceptual hash, and a full decode that finds truncation. */
  deep?: boolean;
  concurrency?: number;
  maxPixels?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

interface FolderListing {
  dir: string;
  relDir: string;
  images: string[];
  /** caption base name (without extension) → extensions present */
  captions: Map<string, string[]>;
}

const imageExtensionSet = new Set<string>(imageExtensions);

function normaliseExtension(ext: string): string {
  const lower = ext.trim().toLowerCase();
  return lower.startsWith('.') ? lower : `.${lower}`;
}

async function listFolders(root: string, captionExtensions: string[]): Promise<FolderListing[]> {
  const out: FolderListing[] = [];
  const captionSet = new Set(captionExtensions);
  const visit = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const listing: FolderListing = {
      dir,
      relDir: toPosix(relative(root, dir)),
      images: [],
      captions: new Map(),
    };
    const subdirs: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === '__MACOSX') continue;
      if (entry.isDirectory()) {
        subdirs.push(entry.name);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const ext = extname(entry.name).toLowerCase();
      if (imageExtensionSet.has(ext)) listing.images.push(entry.name);
      else if (captionSet.has(ext)) {
        const base = entry.name.slice(0, entry.name.length - ext.length);
        listing.captions.set(base, [...(listing.captions.get(base) ?? []), entry.name.slice(-ext.length)]);
      }
    }
    listing.images.sort(compareCodePoints);
    out.push(listing);
    subdirs.sort(compareCodePoints);
    for (const name of subdirs) await visit(join(dir, name));
  };
  await visit(root);
  return out;
}

function problemFromError(error: unknown): FileProblem {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'EISDIR' || code === 'EBUSY')
    return { code: 'unreadable', detail: `${code}: ${message}` };
  if (/unsupported image format/i.test(message)) return { code: 'not_an_image', detail: message };
  if (/pixel limit/i.test(message)) return { code: 'pixel_limit', detail: message };
  return { code: 'corrupt', detail: message };
}

async function readHeader(
  path: string,
  ext: string,
  bytes: Buffer | undefined,
): Promise<HeaderInfo | undefined> {
  try {
    const meta = await sharp(bytes ?? path, { limitInputPixels: false }).metadata();
    return headerFromMetadata(meta);
  } catch (error) {
    if (ext === '.bmp') {
      const bmp = await readBmpHeader(path);
      if (bmp) return bmp;
    }
    throw error;
  }
}

async function findCaption(
  listing: FolderListing,
  fileName: string,
  captionExtensions: string[],
): Promise<CaptionInfo | undefined> {
  const base = fileName.slice(0, fileName.length - extname(fileName).length);
  const present = listing.captions.get(base);
  if (!present) return undefined;
  for (const wanted of captionExtensions) {
    const actual = present.find((ext) => ext.toLowerCase() === wanted);
    if (!actual) continue;
    const path = join(listing.dir, base + actual);
    try {
      const decoded = decodeCaption(await readFile(path));
      return { path, extension: actual, ...decoded };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

async function scanImage(
  root: string,
  listing: FolderListing,
  fileName: string,
  options: Required<Pick<ScanOptions, 'deep' | 'maxPixels' | 'captionExtensions'>>,
): Promise<ImageEntry> {
  const path = join(listing.dir, fileName);
  const ext = extname(fileName).toLowerCase();
  const entry: ImageEntry = {
    path,
    relPath: toPosix(relative(root, path)),
    folder: listing.relDir,
    extension: ext,
    bytes: 0,
    mtimeMs: 0,
  };
  const caption = await findCaption(listing, fileName, options.captionExtensions);
  if (caption) entry.caption = caption;
  try {
    const info = await stat(path);
    entry.bytes = info.size;
    entry.mtimeMs = info.mtimeMs;
    if (info.size === 0) {
      entry.problem = { code: 'empty_file', detail: '0 bytes' };
      return entry;
    }
    // Small files are cheaper to read in one go than through libvips' file loader; big ones stay lazy.
    const bytes = options.deep || info.size <= smallFileBytes ? await readFile(path) : undefined;
    if (bytes && options.deep) entry.sha1 = createHash('sha1').update(bytes).digest('hex');
    const header = await readHeader(path, ext, bytes);
    if (!header) {
      entry.problem = { code: 'not_an_image', detail: 'no image size in header' };
      return entry;
    }
    const [orientedWidth, orientedHeight] = orientedSize(header.width, header.height, header.orientation);
    Object.assign(entry, {
      format: header.format,
      width: header.width,
      height: header.height,
      orientedWidth,
      orientedHeight,
      hasAlpha: header.hasAlpha,
      space: header.space,
      channels: header.channels,
      bitDepth: header.bitDepth,
      pages: header.pages,
    });
    if (header.orientation !== undefined) entry.orientation = header.orientation;
    if (header.width * header.height > options.maxPixels) {
      entry.problem = {
        code: 'pixel_limit',
        detail: `${header.width}×${header.height} > ${options.maxPixels} pixels`,
      };
      return entry;
    }
    if (bytes && options.deep && header.format !== 'bmp')
      entry.dhash = await differenceHash(bytes, options.maxPixels);
  } catch (error) {
    entry.problem = problemFromError(error);
  }
  return entry;
}

function suggestSubsets(listings: FolderListing[], images: ImageEntry[]): SubsetSuggestion[] {
  const counts = new Map<string, number>();
  for (const image of images)
    if (!image.problem) counts.set(image.folder, (counts.get(image.folder) ?? 0) + 1);
  const out: SubsetSuggestion[] = [];
  for (const listing of listings) {
    if (listing.images.length === 0) continue;
    const parsed = parseKohyaFolderName(basename(listing.dir));
    const suggestion: SubsetSuggestion = {
      dir: listing.dir,
      relDir: listing.relDir,
      imageCount: counts.get(listing.relDir) ?? 0,
      numRepeats: parsed ? parsed.numRepeats : 1,
      fromFolderName: parsed !== undefined,
      isReg: looksLikeRegFolder(listing.relDir),
    };
    if (parsed && parsed.classTokens !== '') suggestion.classTokens = parsed.classTokens;
    out.push(suggestion);
  }
  return out;
}

/**
 * Scans `root` recursively. Reads headers only unless `deep`; never writes anything. Files that cannot
 * be read are entries with a `problem`; the scan always completes.
 */
export async function scanDataset(root: string, options: ScanOptions = {}): Promise<Manifest> {
  const absolute = resolve(root);
  let isDir = false;
  try {
    isDir = (await stat(absolute)).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new DatasetError('not_a_folder', `Not a folder: ${absolute}`);
  const captionExtensions = (options.captionExtensions ?? ['.txt', '.caption']).map(normaliseExtension);
  const deep = options.deep ?? false;
  const maxPixels = options.maxPixels ?? defaultMaxPixels;
  const listings = await listFolders(absolute, captionExtensions);
  const jobs = listings.flatMap((listing) => listing.images.map((name) => ({ listing, name })));
  let done = 0;
  const results = await mapLimit(
    jobs,
    options.concurrency ?? (deep ? 4 : 16),
    async ({ listing, name }) => {
      const entry = await scanImage(absolute, listing, name, { deep, maxPixels, captionExtensions });
      options.onProgress?.(++done, jobs.length);
      return entry;
    },
    options.signal,
  );
  const images = results.filter((image): image is ImageEntry => image !== undefined);
  const imageBases = new Set(
    images.map((image) => image.path.slice(0, image.path.length - extname(image.path).length)),
  );
  const orphanCaptions: string[] = [];
  for (const listing of listings) {
    for (const [base, exts] of listing.captions) {
      if (imageBases.has(join(listing.dir, base))) continue;
      for (const ext of exts) orphanCaptions.push(join(listing.dir, base + ext));
    }
  }
  return {
    root: absolute,
    scannedAt: new Date().toISOString(),
    deep,
    captionExtensions,
    images,
    orphanCaptions,
    subsets: suggestSubsets(listings, images),
  };
}
