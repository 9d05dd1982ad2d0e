import type { Text, TrainingKind } from '@danlu/params';

import { kohyaCaptionLine } from '../captions/encoding.js';
import { kohyaImageExtensions, type ImageEntry, type Manifest } from '../manifest.js';
import { checkCatalogue, type CheckId, type Finding } from './catalogue.js';

export interface CheckOptions {
  /** Training resolution `[width, height]`; default 512×512. */
  resolution?: [number, number];
  triggerWord?: string;
  kind?: TrainingKind;
  /** Long side / short side above which an image is flagged; default 2.5. */
  maxAspectRatio?: number;
  /** Bytes above which a file is flagged; default 30 MB. */
  largeFileBytes?: number;
  /** dHash bit distance at or below which two images are near duplicates; default 6 of 64. */
  nearDuplicateBits?: number;
}

/** Seeds: "20 张以上" for a character; styles want far more variety (about 100 is good for DreamBooth). */
export const minimumImages: Record<TrainingKind, number> = {
  character: 20,
  person: 20,
  style: 50,
  concept: 15,
};

/** Pillow warns above this many pixels (Image.MAX_IMAGE_PIXELS). */
const pillowWarnPixels = 89_478_485;

const kohyaExtensions = new Set<string>(kohyaImageExtensions);

function finding(id: CheckId, files: string[], message: Text): Finding {
  return { id, severity: checkCatalogue[id].severity, message, files };
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function problemFindings(image: ImageEntry): Finding[] {
  const p = image.problem;
  if (!p) return [];
  const f = [image.relPath];
  switch (p.code) {
    case 'empty_file':
      return [
        finding('empty_file', f, {
          zh: '文件是空的（0 字节），将被跳过',
          en: 'The file is empty (0 bytes) and will be skipped',
        }),
      ];
    case 'unreadable':
      return [finding('unreadable', f, { zh: `无法读取：${p.detail}`, en: `Cannot be read: ${p.detail}` })];
    case 'not_an_image':
      return [
        finding('not_an_image', f, {
          zh: `扩展名是 ${image.extension}，但内容不是图片，将被跳过`,
          en: `Named ${image.extension} but the content is not an image; it will be skipped`,
        }),
      ];
    case 'pixel_limit':
      return [
        finding('pixel_limit', f, {
          zh: `${p.detail}：为防止解压炸弹不解码；kohya（Pillow）也无法读取，请先缩小`,
          en: `${p.detail}: not decoded (decompression-bomb guard); kohya (Pillow) cannot load it either, shrink it first`,
        }),
      ];
    case 'corrupt':
      return [
        finding('corrupt', f, {
          zh: `图片损坏或被截断（${p.detail}），训练时会出错，请替换`,
          en: `The image is corrupt or truncated (${p.detail}); training would fail on it, replace it`,
        }),
      ];
  }
}

function hasTrigger(caption: string, trigger: string): boolean {
  const hay = caption.toLowerCase();
  const needle = trigger.trim().toLowerCase();
  let from = 0;
  for (;;) {
    const at = hay.indexOf(needle, from);
    if (at < 0) return false;
    const before = hay[at - 1];
    const after = hay[at + needle.length];
    const isWord = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
    if (!isWord(before) && !isWord(after)) return true;
    from = at + 1;
  }
}

function imageFindings(
  image: ImageEntry,
  options: Required<Omit<CheckOptions, 'triggerWord' | 'kind'>>,
  trigger?: string,
): Finding[] {
  const out: Finding[] = [];
  const f = [image.relPath];
  if (image.bytes > options.largeFileBytes)
    out.push(
      finding('large_file', f, {
        zh: `文件有 ${mb(image.bytes)} MB，扫描和缓存会变慢`,
        en: `The file is ${mb(image.bytes)} MB; scanning and caching will be slow`,
      }),
    );
  if (!kohyaExtensions.has(image.extension) && !image.problem)
    out.push(
      finding('not_loaded_by_kohya', f, {
        zh: `kohya 只读取 png/jpg/jpeg/webp/bmp，${image.extension} 文件会被忽略；预处理会把它转成 PNG 或 JPEG`,
        en: `kohya loads only png/jpg/jpeg/webp/bmp and skips ${image.extension} files; preprocessing converts it to PNG or JPEG`,
      }),
    );
  out.push(...problemFindings(image));
  if (image.problem && image.problem.code !== 'pixel_limit') return out;
  const width = image.width ?? 0;
  const height = image.height ?? 0;
  if (width * height > pillowWarnPixels && !image.problem)
    out.push(
      finding('huge_pixels', f, {
        zh: `${width}×${height}：远超训练分辨率，加载很慢，建议先缩小`,
        en: `${width}×${height}: far above the training size and slow to load; shrink it first`,
      }),
    );
  if (image.problem) return out;
  const [resW, resH] = options.resolution;
  if (width * height < resW * resH) {
    const factor = Math.sqrt((resW * resH) / (width * height));
    out.push(
      finding('too_small', f, {
        zh: `${width}×${height} 小于训练分辨率 ${resW}×${resH}，会被放大约 ${factor.toFixed(1)} 倍而变模糊`,
        en: `${width}×${height} is below the training size ${resW}×${resH}; it would be upscaled about ${factor.toFixed(1)}× and look soft`,
      }),
    );
  }
  const ratio = Math.max(width, height) / Math.max(1, Math.min(width, height));
  if (ratio > options.maxAspectRatio)
    out.push(
      finding('extreme_aspect', f, {
        zh: `长宽比 ${ratio.toFixed(2)}:1，会落入很窄的桶或被大幅裁剪`,
        en: `Aspect ratio ${ratio.toFixed(2)}:1 lands in a very narrow bucket or gets cropped hard`,
      }),
    );
  if ((image.pages ?? 1) > 1)
    out.push(
      finding('animated', f, {
        zh: `动图共 ${image.pages ?? 1} 帧，只会使用第一帧`,
        en: `Animated with ${image.pages ?? 1} frames; only the first frame is used`,
      }),
    );
  if (image.space === 'cmyk')
    out.push(
      finding('cmyk', f, {
        zh: 'CMYK 颜色，预处理会转换为 sRGB（否则颜色可能偏差）',
        en: 'CMYK colour; preprocessing converts it to sRGB (colours may be off otherwise)',
      }),
    );
  if ((image.bitDepth ?? 8) > 8)
    out.push(
      finding('high_bit_depth', f, {
        zh: `${image.bitDepth ?? 16} 位色深，预处理会转为 8 位`,
        en: `${image.bitDepth ?? 16}-bit depth; preprocessing reduces it to 8 bits`,
      }),
    );
  if (image.hasAlpha)
    out.push(
      finding('alpha', f, {
        zh: '带透明通道：kohya 转 RGB 时直接丢弃透明度（透明处常变黑），预处理会铺白底',
        en: 'Has transparency: kohya drops alpha when converting to RGB (transparent areas often turn black); preprocessing flattens it on white',
      }),
    );
  if (image.space === 'b-w' || image.space === 'grey16' || (image.channels ?? 3) <= 2)
    out.push(
      finding('grayscale', f, {
        zh: '灰度图：训练时按 RGB 处理，模型可能学到黑白风格',
        en: 'Greyscale: trained as RGB, the model may learn a black-and-white look',
      }),
    );
  if (image.orientation !== undefined && image.orientation > 1)
    out.push(
      finding('exif_rotated', f, {
        zh: `EXIF 方向为 ${image.orientation}：训练脚本可能按未旋转的像素读取，预处理会应用旋转`,
        en: `EXIF orientation ${image.orientation}: the trainer may read the pixels unrotated; preprocessing applies the rotation`,
      }),
    );
  const caption = image.caption;
  if (!caption)
    out.push(
      finding('missing_caption', f, {
        zh: '没有标注文件：训练时只用类别词（class tokens）',
        en: 'No caption file: only the class tokens are used when training',
      }),
    );
  else {
    const line = kohyaCaptionLine(caption.text);
    const cf = [image.relPath];
    if (line === '')
      out.push(finding('caption_empty', cf, { zh: '标注文件是空的', en: 'The caption file is empty' }));
    if (caption.encoding === 'gb18030' || caption.encoding === 'utf-16le' || caption.encoding === 'utf-16be')
      out.push(
        finding('caption_encoding', cf, {
          zh: `标注编码为 ${caption.encoding}，kohya 读取时会报错；可改写为 UTF-8`,
          en: `Caption is ${caption.encoding}; kohya fails reading it; rewrite it as UTF-8`,
        }),
      );
    else if (caption.encoding === 'utf-8-bom')
      out.push(
        finding('caption_encoding', cf, {
          zh: '标注带 UTF-8 BOM：kohya 会把 BOM 当成第一个标签的一部分；可改写为无 BOM 的 UTF-8',
          en: 'Caption has a UTF-8 BOM: kohya keeps it in the first tag; rewrite it as UTF-8 without BOM',
        }),
      );
    if (caption.text.trim().includes('\n'))
      out.push(
        finding('caption_multiline', cf, {
          zh: 'kohya 只使用标注的第一行（未开启 wildcard 时）',
          en: 'kohya uses only the first line of a caption (without enable_wildcard)',
        }),
      );
    if (trigger && line !== '' && !hasTrigger(line, trigger))
      out.push(
        finding('trigger_missing', cf, {
          zh: `标注中没有触发词「${trigger}」`,
          en: `The caption lacks the trigger word "${trigger}"`,
        }),
      );
  }
  return out;
}

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function duplicateFindings(images: ImageEntry[], maxBits: number): Finding[] {
  const out: Finding[] = [];
  const bySha = new Map<string, ImageEntry[]>();
  for (const image of images)
    if (image.sha1) bySha.set(image.sha1, [...(bySha.get(image.sha1) ?? []), image]);
  const exact = new Set<ImageEntry>();
  for (const group of bySha.values()) {
    if (group.length < 2) continue;
    for (const image of group.slice(1)) exact.add(image);
    out.push(
      finding(
        'duplicate',
        group.map((image) => image.relPath),
        {
          zh: `${group.length} 个文件内容完全相同，只保留一个即可`,
          en: `${group.length} files have identical content; keep one`,
        },
      ),
    );
  }
  const hashed = images.filter((image) => image.dhash && !exact.has(image));
  const words = hashed.map((image) => {
    const hex = image.dhash ?? '';
    return [parseInt(hex.slice(0, 8), 16), parseInt(hex.slice(8, 16), 16)] as const;
  });
  const parent = hashed.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] ?? root;
    return root;
  };
  for (let i = 0; i < hashed.length; i++) {
    const [ah, al] = words[i] ?? [0, 0];
    for (let j = i + 1; j < hashed.length; j++) {
      const [bh, bl] = words[j] ?? [0, 0];
      if (popcount32(ah ^ bh) + popcount32(al ^ bl) <= maxBits) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, ImageEntry[]>();
  hashed.forEach((image, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), image]));
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    out.push(
      finding(
        'near_duplicate',
        group.map((image) => image.relPath),
        {
          zh: `${group.length} 张图片几乎相同（重新压缩或略微缩放），重复会加重过拟合`,
          en: `${group.length} images are nearly identical (re-encoded or slightly resized); repeats add to overfitting`,
        },
      ),
    );
  }
  return out;
}

/** Runs every check on a manifest. Deep-scan checks (duplicates, corruption) need `scanDataset({ deep: true })`. */
export function runChecks(manifest: Manifest, options: CheckOptions = {}): Finding[] {
  const resolved = {
    resolution: options.resolution ?? ([512, 512] as [number, number]),
    maxAspectRatio: options.maxAspectRatio ?? 2.5,
    largeFileBytes: options.largeFileBytes ?? 30 * 1024 * 1024,
    nearDuplicateBits: options.nearDuplicateBits ?? 6,
  };
  const trigger = options.triggerWord?.trim() || undefined;
  const out: Finding[] = [];
  if (manifest.images.length === 0)
    out.push(
      finding('no_images', [], {
        zh: '没有找到图片（png/jpg/jpeg/webp/bmp…）',
        en: 'No images found (png/jpg/jpeg/webp/bmp…)',
      }),
    );
  for (const image of manifest.images) out.push(...imageFindings(image, resolved, trigger));
  for (const caption of manifest.orphanCaptions) {
    const rel = caption.startsWith(manifest.root)
      ? caption
          .slice(manifest.root.length + 1)
          .split('\\')
          .join('/')
      : caption;
    out.push(
      finding('orphan_caption', [rel], {
        zh: '这个标注文件旁边没有同名图片',
        en: 'There is no image of the same name beside this caption',
      }),
    );
  }
  out.push(
    ...duplicateFindings(
      manifest.images.filter((image) => !image.problem),
      resolved.nearDuplicateBits,
    ),
  );
  if (options.kind) {
    const regDirs = new Set(manifest.subsets.filter((s) => s.isReg).map((s) => s.relDir));
    const usable = manifest.images.filter((image) => !image.problem && !regDirs.has(image.folder)).length;
    const minimum = minimumImages[options.kind];
    if (usable < minimum)
      out.push(
        finding('too_few_images', [], {
          zh: `只有 ${usable} 张可用的训练图片，训练${kindZh[options.kind]}建议至少 ${minimum} 张且多样化`,
          en: `Only ${usable} usable training images; a ${options.kind} LoRA wants at least ${minimum} varied ones`,
        }),
      );
  }
  return out;
}

const kindZh: Record<TrainingKind, string> = {
  character: '角色',
  person: '真人',
  style: '画风',
  concept: '概念',
};

export function countBySeverity(findings: Finding[]): Record<'error' | 'warning' | 'info', number> {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
