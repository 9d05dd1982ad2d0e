import { join } from 'node:path';

import type { Language, Settings } from '@danlu/contracts';

/** zh-CN unless the system clearly says otherwise: most of our users are Chinese. */
export function languageFromLocale(locale: string | undefined): Language {
  if (!locale) return 'zh-CN';
  return /^zh/i.test(locale) ? 'zh-CN' : /^(en|c|posix)\b/i.test(locale) ? 'en' : 'zh-CN';
}

export function defaultSettings(dataDir: string, language: Language = 'zh-CN'): Settings {
  return {
    language,
    theme: 'light',
    experienceLevel: 'beginner',
    folders: {
      models: join(dataDir, 'models'),
      datasets: join(dataDir, 'datasets'),
      outputs: join(dataDir, 'outputs'),
    },
  };
}
