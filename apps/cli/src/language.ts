import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { LanguageSchema, type Language } from '@danlu/contracts';

/**
 * The CLI speaks the user's language: `--lang`, then DANLU_LANG, then the language saved in the app's
 * settings, then the system locale. Chinese unless something says English.
 */
export function pickLanguage(flag: string | undefined, env: NodeJS.ProcessEnv, dataDir: string): Language {
  for (const candidate of [flag, env['DANLU_LANG']]) {
    if (candidate === undefined) continue;
    if (/^zh/i.test(candidate)) return 'zh-CN';
    if (/^en/i.test(candidate)) return 'en';
  }
  try {
    const saved = (JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { language?: unknown })
      .language;
    const parsed = LanguageSchema.safeParse(saved);
    if (parsed.success) return parsed.data;
  } catch {
    // No settings yet: fall through to the system locale.
  }
  const locale =
    env['LC_ALL'] ?? env['LC_MESSAGES'] ?? env['LANG'] ?? Intl.DateTimeFormat().resolvedOptions().locale;
  return /^zh/i.test(locale) ? 'zh-CN' : 'en';
}
