import type { Language, Theme } from '@danlu/contracts';

/**
 * The last language and theme, kept in localStorage only so the first paint before settings arrive is in
 * the right colours and words. The settings file stays the source of truth.
 */
const key = 'danlu.ui';

export interface UiCache {
  language?: Language;
  theme?: Theme;
}

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export function readUiCache(): UiCache {
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(key) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { language, theme } = parsed as Record<string, unknown>;
    return {
      ...(language === 'zh-CN' || language === 'en' ? { language } : {}),
      ...(theme === 'light' || theme === 'dark' ? { theme } : {}),
    };
  } catch {
    return {};
  }
}

export function writeUiCache(cache: UiCache): void {
  try {
    storage()?.setItem(key, JSON.stringify({ ...readUiCache(), ...cache }));
  } catch {
    // Private mode or a full quota: the cache is only a nicety.
  }
}
