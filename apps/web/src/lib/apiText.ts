/**
 * The training domain answers errors as "中文 / English" in one message (the UI shows it as the detail
 * of a translated error code). Picks the half for the UI language; anything else is shown as it is.
 */
export function pickLanguage(message: string, language: string): string {
  const cjk = /[\u3400-\u9fff]/;
  let from = 0;
  for (;;) {
    const at = message.indexOf(' / ', from);
    if (at < 0) return message;
    const left = message.slice(0, at);
    if (cjk.test(left)) return language.startsWith('zh') ? left : message.slice(at + 3);
    from = at + 3;
  }
}
