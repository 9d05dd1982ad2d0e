import type { Text } from '@danlu/params';

/** The catalogue's bilingual text in the interface language. */
export function textIn(text: Text, language: string): string {
  return language.startsWith('zh') ? text.zh : text.en;
}
