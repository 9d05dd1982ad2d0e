import { z } from 'zod';

/**
 * Where downloads come from; shaped like the settings the Settings page will own (PyPI mirror, torch
 * wheel mirror, GitHub download proxy, hf-mirror). Every field empty means "the official sources".
 */
export const MirrorSettingsSchema = z.object({
  /** A PEP 503 simple index used instead of https://pypi.org/simple. */
  pypiIndex: z.url().optional(),
  /**
   * A flat page of torch wheels (pip `--find-links`), per CUDA flavour: `{flavour}` is replaced by
   * `cu128`, `cu126` or `cpu`. pip then takes torch from it and everything else from `pypiIndex`.
   */
  torchFindLinks: z.string().optional(),
  /** Prefix put before a github.com URL (`https://proxy/` + `https://github.com/...`). */
  githubProxy: z.url().optional(),
  /** Exported as HF_ENDPOINT to the trainer, so Hugging Face downloads go through it. */
  hfEndpoint: z.url().optional(),
});
export type MirrorSettings = z.infer<typeof MirrorSettingsSchema>;

export const officialSources: MirrorSettings = {};

/**
 * The mainland-China choice. Tsinghua is the PyPI mirror Qiuye's install-cn script uses; Aliyun's
 * pytorch-wheels carries the CUDA torch builds (download.pytorch.org is slow or blocked there); ghfast.top
 * is a public GitHub release proxy; hf-mirror.com mirrors Hugging Face. All of these change over time,
 * which is why they are settings, not constants in the code that uses them.
 */
export const chinaMirrors: MirrorSettings = {
  pypiIndex: 'https://pypi.tuna.tsinghua.edu.cn/simple',
  torchFindLinks: 'https://mirrors.aliyun.com/pytorch-wheels/{flavour}/',
  githubProxy: 'https://ghfast.top/',
  hfEndpoint: 'https://hf-mirror.com',
};

/** Other well-known mirrors, for the Settings page's dropdowns. */
export const knownMirrors = {
  pypi: [
    { id: 'tsinghua', url: 'https://pypi.tuna.tsinghua.edu.cn/simple' },
    { id: 'aliyun', url: 'https://mirrors.aliyun.com/pypi/simple/' },
    { id: 'ustc', url: 'https://mirrors.ustc.edu.cn/pypi/simple' },
  ],
  torchFindLinks: [
    { id: 'aliyun', url: 'https://mirrors.aliyun.com/pytorch-wheels/{flavour}/' },
    { id: 'sjtu', url: 'https://mirror.sjtu.edu.cn/pytorch-wheels/{flavour}/' },
  ],
  hf: [{ id: 'hf-mirror', url: 'https://hf-mirror.com' }],
} as const;

export function mirrorPreset(name: 'official' | 'cn'): MirrorSettings {
  return name === 'cn' ? { ...chinaMirrors } : { ...officialSources };
}

/** The URLs tried for a GitHub download, in order: through the proxy first when one is set. */
export function githubUrls(url: string, mirrors: MirrorSettings): string[] {
  return mirrors.githubProxy ? [`${mirrors.githubProxy.replace(/\/?$/, '/')}${url}`, url] : [url];
}
