import type { Bilingual } from '../text.js';

export interface KnownTaggerModel {
  /** Short id used by the CLI and the UI (`wd-swinv2-v3`). */
  id: string;
  /** Hugging Face repository. */
  repo: string;
  family: 'v2' | 'v3';
  description: Bilingual;
  recommended?: boolean;
  /** The model card's precision = recall threshold (a per-model suggestion; 0.35 is the common default). */
  cardThreshold: number;
  /**
   * Approximate size of model.onnx for the UI before the server tells the exact one. The exact size and
   * sha256 come from the Hub's `X-Linked-Size` / `X-Linked-Etag` headers at download time and are then
   * checked and recorded next to the file (`danlu-model.json`).
   */
  approxBytes: number;
}

const files = { model: 'model.onnx', tags: 'selected_tags.csv' } as const;
export const taggerFiles = files;

/** SmilingWolf's WD taggers (Apache-2.0). v3 models take a dynamic batch; most v2 ones a batch of 1. */
export const knownTaggerModels: KnownTaggerModel[] = [
  {
    id: 'wd-swinv2-v3',
    repo: 'SmilingWolf/wd-swinv2-tagger-v3',
    family: 'v3',
    recommended: true,
    cardThreshold: 0.2653,
    approxBytes: 467_000_000,
    description: {
      zh: '默认推荐：准确、速度适中（v3，10861 个标签）',
      en: 'Recommended: accurate, moderate speed (v3, 10,861 tags)',
    },
  },
  {
    id: 'wd-vit-v3',
    repo: 'SmilingWolf/wd-vit-tagger-v3',
    family: 'v3',
    cardThreshold: 0.2614,
    approxBytes: 378_000_000,
    description: { zh: '较快（v3 ViT）', en: 'Faster (v3 ViT)' },
  },
  {
    id: 'wd-convnext-v3',
    repo: 'SmilingWolf/wd-convnext-tagger-v3',
    family: 'v3',
    cardThreshold: 0.2676,
    approxBytes: 395_000_000,
    description: { zh: 'ConvNeXt（v3）', en: 'ConvNeXt (v3)' },
  },
  {
    id: 'wd-eva02-large-v3',
    repo: 'SmilingWolf/wd-eva02-large-tagger-v3',
    family: 'v3',
    cardThreshold: 0.5296,
    approxBytes: 1_260_000_000,
    description: {
      zh: '最准确但最慢、最大（1.3 GB，建议用显卡）',
      en: 'Most accurate, slowest and largest (1.3 GB, a GPU helps)',
    },
  },
  {
    id: 'wd-vit-large-v3',
    repo: 'SmilingWolf/wd-vit-large-tagger-v3',
    family: 'v3',
    cardThreshold: 0.2606,
    approxBytes: 1_260_000_000,
    description: { zh: '大号 ViT（1.3 GB）', en: 'Large ViT (1.3 GB)' },
  },
  {
    id: 'wd14-convnextv2-v2',
    repo: 'SmilingWolf/wd-v1-4-convnextv2-tagger-v2',
    family: 'v2',
    cardThreshold: 0.371,
    approxBytes: 389_000_000,
    description: { zh: '经典 WD14 v2（每次一张）', en: 'Classic WD14 v2 (one image at a time)' },
  },
  {
    id: 'wd14-swinv2-v2',
    repo: 'SmilingWolf/wd-v1-4-swinv2-tagger-v2',
    family: 'v2',
    cardThreshold: 0.3771,
    approxBytes: 455_000_000,
    description: { zh: '经典 WD14 v2 SwinV2', en: 'Classic WD14 v2 SwinV2' },
  },
  {
    id: 'wd14-vit-v2',
    repo: 'SmilingWolf/wd-v1-4-vit-tagger-v2',
    family: 'v2',
    cardThreshold: 0.3537,
    approxBytes: 378_000_000,
    description: { zh: '经典 WD14 v2 ViT（kohya 曾用）', en: 'Classic WD14 v2 ViT' },
  },
];

/** Download hosts. hf-mirror.com serves the same paths for users in mainland China. */
export const downloadHosts = {
  huggingface: 'https://huggingface.co',
  mirror: 'https://hf-mirror.com',
} as const;

export function fileUrl(host: string, repo: string, file: string, revision = 'main'): string {
  return `${host.replace(/\/$/, '')}/${repo}/resolve/${revision}/${file}`;
}
