import { languages, type Language } from '@danlu/contracts';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

import { namespaces, resources } from './resources.js';

/** Before settings arrive: the browser's language, Chinese unless it is clearly something else. */
export function guessLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    if (/^zh\b/i.test(tag)) return 'zh-CN';
    if (/^en\b/i.test(tag)) return 'en';
  }
  return 'zh-CN';
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

export async function initI18n(language: Language): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: language,
    // Both languages are complete (CI checks it); a fallback would only hide a missing key as a mixed screen.
    fallbackLng: false,
    supportedLngs: [...languages],
    ns: namespaces,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    react: { useSuspense: false },
    // Keep the console clean for users reading it to report a problem.
    showSupportNotice: false,
  });
  return i18next;
}

export { i18next };
