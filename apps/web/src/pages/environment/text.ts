import { useTranslation } from 'react-i18next';

/** Picks the interface language's half of a bilingual text coming from the backend. */
export function useBilingual(): (text: { zh: string; en: string }) => string {
  const { i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  return (text) => (zh ? text.zh : text.en);
}
