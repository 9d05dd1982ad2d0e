/** A message for the user in both languages, zh-CN first. */
export interface Bilingual {
  zh: string;
  en: string;
}
