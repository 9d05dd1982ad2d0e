import type { Language } from '@danlu/contracts';
import type { Text } from '@danlu/params';

export type { Text };

/** Both languages at once; every message this package produces is bilingual. */
export function text(zh: string, en: string): Text {
  return { zh, en };
}

export function say(message: Text, language: Language): string {
  return language === 'zh-CN' ? message.zh : message.en;
}
