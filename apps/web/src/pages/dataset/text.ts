import type { BilingualText } from '@danlu/contracts';

export function pick(text: BilingualText, language: string): string {
  return language.startsWith('zh') ? text.zh : text.en;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${String(bytes)} B`;
}
