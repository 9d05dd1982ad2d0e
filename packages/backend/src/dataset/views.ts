import type { FindingFix, FindingRow, ImageRow, ScanSummary } from '@danlu/contracts';
import {
  checkCatalogue,
  kohyaCaptionLine,
  splitTags,
  tagKey,
  type Finding,
  type ImageEntry,
  type Manifest,
} from '@danlu/dataset';

export function imageRow(image: ImageEntry): ImageRow {
  const row: ImageRow = {
    path: image.path,
    relPath: image.relPath,
    folder: image.folder,
    extension: image.extension,
    bytes: image.bytes,
    mtimeMs: image.mtimeMs,
  };
  if (image.format !== undefined) row.format = image.format;
  if (image.width !== undefined) row.width = image.width;
  if (image.height !== undefined) row.height = image.height;
  if (image.problem) row.problem = { code: image.problem.code, detail: image.problem.detail };
  if (image.caption)
    row.caption = { path: image.caption.path, text: image.caption.text, encoding: image.caption.encoding };
  return row;
}

export function summarise(manifest: Manifest): ScanSummary {
  const summary: ScanSummary = {
    images: manifest.images.length,
    usable: 0,
    withCaption: 0,
    withoutCaption: 0,
    orphanCaptions: manifest.orphanCaptions.length,
    problems: 0,
    totalBytes: 0,
    formats: {},
    portrait: 0,
    landscape: 0,
    square: 0,
  };
  let smallest: { area: number; ref: ScanSummary['smallest'] } | undefined;
  let largest: { area: number; ref: ScanSummary['largest'] } | undefined;
  for (const image of manifest.images) {
    summary.totalBytes += image.bytes;
    if (image.problem) {
      summary.problems++;
      continue;
    }
    summary.usable++;
    if (image.caption) summary.withCaption++;
    else summary.withoutCaption++;
    const format = image.format ?? image.extension.replace('.', '');
    summary.formats[format] = (summary.formats[format] ?? 0) + 1;
    const w = image.orientedWidth ?? image.width;
    const h = image.orientedHeight ?? image.height;
    if (w === undefined || h === undefined) continue;
    if (w > h * 1.05) summary.landscape++;
    else if (h > w * 1.05) summary.portrait++;
    else summary.square++;
    const area = w * h;
    const ref = { width: w, height: h, relPath: image.relPath };
    if (!smallest || area < smallest.area) smallest = { area, ref };
    if (!largest || area > largest.area) largest = { area, ref };
  }
  if (smallest?.ref) summary.smallest = smallest.ref;
  if (largest?.ref) summary.largest = largest.ref;
  return summary;
}

export interface ImageFilter {
  problem?: boolean | undefined;
  hasCaption?: boolean | undefined;
  tag?: string | undefined;
  text?: string | undefined;
  relPaths?: string[] | undefined;
}

export function filterImages(images: readonly ImageEntry[], filter: ImageFilter | undefined): ImageEntry[] {
  if (!filter) return [...images];
  const tag = filter.tag?.trim() ? tagKey(filter.tag) : undefined;
  const text = filter.text?.trim().toLowerCase();
  const only = filter.relPaths ? new Set(filter.relPaths) : undefined;
  return images.filter((image) => {
    if (only && !only.has(image.relPath)) return false;
    if (filter.problem !== undefined && (image.problem !== undefined) !== filter.problem) return false;
    if (filter.hasCaption !== undefined && (image.caption !== undefined) !== filter.hasCaption) return false;
    if (tag !== undefined) {
      const tags = splitTags(kohyaCaptionLine(image.caption?.text ?? '')).map(tagKey);
      if (!tags.includes(tag)) return false;
    }
    if (text) {
      const hay = `${image.relPath}\n${image.caption?.text ?? ''}`.toLowerCase();
      if (!hay.includes(text)) return false;
    }
    return true;
  });
}

const fixLabels: Record<FindingFix['kind'], FindingFix['label']> = {
  add_trigger: {
    zh: '把触发词加到所有标注最前面（可预览）',
    en: 'Add the trigger word first in every caption (preview)',
  },
  auto_tag: { zh: '用自动打标补上缺的标注', en: 'Auto-tag the images without captions' },
  prepare: {
    zh: '生成处理后的副本（旋转、去透明、转 sRGB；原图不动）',
    en: 'Write a processed copy (rotate, flatten, sRGB; originals untouched)',
  },
};

const fixesById: Partial<Record<string, FindingFix['kind'][]>> = {
  trigger_missing: ['add_trigger'],
  missing_caption: ['auto_tag'],
  caption_empty: ['auto_tag'],
  cmyk: ['prepare'],
  high_bit_depth: ['prepare'],
  alpha: ['prepare'],
  exif_rotated: ['prepare'],
  animated: ['prepare'],
  not_loaded_by_kohya: ['prepare'],
  huge_pixels: ['prepare'],
  large_file: ['prepare'],
  extreme_aspect: ['prepare'],
};

/** One row per kind of finding (in order of first appearance), with every file and message under it. */
export function findingRows(findings: readonly Finding[]): FindingRow[] {
  const rows = new Map<string, FindingRow>();
  for (const finding of findings) {
    let row = rows.get(finding.id);
    if (!row) {
      row = {
        id: finding.id,
        severity: finding.severity,
        title: checkCatalogue[finding.id].title,
        message: finding.message,
        files: [],
        details: [],
        fixes: (fixesById[finding.id] ?? []).map((kind) => ({ kind, label: fixLabels[kind] })),
      };
      rows.set(finding.id, row);
    }
    row.files.push(...finding.files);
    row.details.push({ message: finding.message, files: finding.files });
  }
  return [...rows.values()];
}

export const severityOrder = { error: 0, warning: 1, info: 2 } as const;
