import type { Text } from '@danlu/params';

export type Severity = 'error' | 'warning' | 'info';

export const checkIds = [
  'no_images',
  'empty_file',
  'unreadable',
  'not_an_image',
  'corrupt',
  'pixel_limit',
  'huge_pixels',
  'large_file',
  'not_loaded_by_kohya',
  'too_small',
  'extreme_aspect',
  'duplicate',
  'near_duplicate',
  'missing_caption',
  'orphan_caption',
  'caption_empty',
  'caption_encoding',
  'caption_multiline',
  'animated',
  'cmyk',
  'high_bit_depth',
  'alpha',
  'grayscale',
  'exif_rotated',
  'trigger_missing',
  'too_few_images',
] as const;
export type CheckId = (typeof checkIds)[number];

/** Each check's severity and a short title (the per-finding message says what and why). */
export const checkCatalogue: Record<CheckId, { severity: Severity; title: Text }> = {
  no_images: { severity: 'error', title: { zh: '文件夹里没有图片', en: 'No images in the folder' } },
  empty_file: { severity: 'error', title: { zh: '空文件（0 字节）', en: 'Empty file (0 bytes)' } },
  unreadable: { severity: 'error', title: { zh: '无法读取的文件', en: 'Unreadable file' } },
  not_an_image: {
    severity: 'error',
    title: { zh: '不是图片（扩展名不符）', en: 'Not an image (wrong extension)' },
  },
  corrupt: { severity: 'error', title: { zh: '图片损坏或不完整', en: 'Corrupt or truncated image' } },
  pixel_limit: { severity: 'error', title: { zh: '像素过多，拒绝解码', en: 'Too many pixels, not decoded' } },
  huge_pixels: { severity: 'warning', title: { zh: '分辨率非常高', en: 'Very high resolution' } },
  large_file: { severity: 'info', title: { zh: '文件很大', en: 'Very large file' } },
  not_loaded_by_kohya: {
    severity: 'warning',
    title: { zh: 'kohya 不读取此格式', en: 'Format kohya does not load' },
  },
  too_small: { severity: 'warning', title: { zh: '图片太小，会被放大', en: 'Too small, will be upscaled' } },
  extreme_aspect: { severity: 'warning', title: { zh: '长宽比极端', en: 'Extreme aspect ratio' } },
  duplicate: { severity: 'warning', title: { zh: '完全相同的图片', en: 'Exact duplicates' } },
  near_duplicate: { severity: 'info', title: { zh: '几乎相同的图片', en: 'Near duplicates' } },
  missing_caption: { severity: 'warning', title: { zh: '图片没有标注文件', en: 'Image without caption' } },
  orphan_caption: { severity: 'info', title: { zh: '标注文件没有对应图片', en: 'Caption without image' } },
  caption_empty: { severity: 'warning', title: { zh: '标注为空', en: 'Empty caption' } },
  caption_encoding: { severity: 'warning', title: { zh: '标注不是 UTF-8', en: 'Caption not plain UTF-8' } },
  caption_multiline: { severity: 'info', title: { zh: '标注有多行', en: 'Caption has several lines' } },
  animated: { severity: 'warning', title: { zh: '动图', en: 'Animated image' } },
  cmyk: { severity: 'info', title: { zh: 'CMYK 颜色', en: 'CMYK colour' } },
  high_bit_depth: { severity: 'info', title: { zh: '16 位色深', en: '16-bit depth' } },
  alpha: { severity: 'info', title: { zh: '带透明通道', en: 'Has transparency' } },
  grayscale: { severity: 'info', title: { zh: '灰度图', en: 'Greyscale image' } },
  exif_rotated: { severity: 'warning', title: { zh: 'EXIF 旋转', en: 'EXIF rotation' } },
  trigger_missing: { severity: 'warning', title: { zh: '标注缺少触发词', en: 'Trigger word missing' } },
  too_few_images: { severity: 'warning', title: { zh: '图片太少', en: 'Too few images' } },
};

export interface Finding {
  id: CheckId;
  severity: Severity;
  message: Text;
  /** Paths relative to the scanned root, `/`-separated. */
  files: string[];
}
