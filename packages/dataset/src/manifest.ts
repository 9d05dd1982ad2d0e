import { z } from 'zod';

/** What went wrong reading one file; the scan records it and moves on. */
export const FileProblemSchema = z.object({
  code: z.enum(['empty_file', 'unreadable', 'not_an_image', 'corrupt', 'pixel_limit']),
  detail: z.string(),
});
export type FileProblem = z.infer<typeof FileProblemSchema>;

export const captionEncodings = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'gb18030'] as const;
export const CaptionEncodingSchema = z.enum(captionEncodings);
export type CaptionEncoding = z.infer<typeof CaptionEncodingSchema>;

export const CaptionInfoSchema = z.object({
  path: z.string(),
  extension: z.string(),
  encoding: CaptionEncodingSchema,
  /** Decoded text without BOM, line endings normalised to `\n`. */
  text: z.string(),
  crlf: z.boolean(),
});
export type CaptionInfo = z.infer<typeof CaptionInfoSchema>;

export const ImageEntrySchema = z.object({
  path: z.string(),
  /** Relative to the scanned root, `/`-separated. */
  relPath: z.string(),
  /** Folder relative to the root (`''` for the root itself), `/`-separated. */
  folder: z.string(),
  extension: z.string(),
  bytes: z.number().int().min(0),
  mtimeMs: z.number(),
  problem: FileProblemSchema.optional(),
  format: z.string().optional(),
  /** Stored pixel size (what kohya's loader sees; EXIF orientation is not applied there). */
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  /** Size after applying EXIF orientation (what a viewer shows and what `prepare` writes). */
  orientedWidth: z.number().int().optional(),
  orientedHeight: z.number().int().optional(),
  orientation: z.number().int().optional(),
  hasAlpha: z.boolean().optional(),
  space: z.string().optional(),
  channels: z.number().int().optional(),
  bitDepth: z.number().int().optional(),
  pages: z.number().int().optional(),
  caption: CaptionInfoSchema.optional(),
  /** sha1 of the file's bytes (deep scans only). */
  sha1: z.string().optional(),
  /** 64-bit difference hash as 16 hex digits (deep scans only). */
  dhash: z.string().optional(),
});
export type ImageEntry = z.infer<typeof ImageEntrySchema>;

/** A folder holding images, offered as one kohya subset. */
export const SubsetSuggestionSchema = z.object({
  dir: z.string(),
  relDir: z.string(),
  imageCount: z.number().int().min(0),
  numRepeats: z.number().int().min(0),
  classTokens: z.string().optional(),
  /** True when repeats and class tokens come from a kohya `N_name` folder name. */
  fromFolderName: z.boolean(),
  isReg: z.boolean(),
});
export type SubsetSuggestion = z.infer<typeof SubsetSuggestionSchema>;

export const ManifestSchema = z.object({
  root: z.string(),
  scannedAt: z.string(),
  deep: z.boolean(),
  captionExtensions: z.array(z.string()),
  images: z.array(ImageEntrySchema),
  /** Caption files with no image of the same name beside them. */
  orphanCaptions: z.array(z.string()),
  subsets: z.array(SubsetSuggestionSchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** Extensions the scan treats as images. kohya itself loads only `kohyaImageExtensions`. */
export const imageExtensions = [
  '.png',
  '.jpg',
  '.jpeg',
  '.webp',
  '.bmp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.heic',
  '.heif',
  '.jxl',
] as const;
export const kohyaImageExtensions = ['.png', '.jpg', '.jpeg', '.webp', '.bmp'] as const;
