/**
 * kohya's DreamBooth folder convention (reference §3.3): `10_sks dog` → 10 repeats, class tokens
 * `sks dog`; `5_my_style` → `my_style`. Undefined when the first `_` token is not an integer.
 */
export function parseKohyaFolderName(name: string): { numRepeats: number; classTokens: string } | undefined {
  const cut = name.indexOf('_');
  if (cut <= 0) return undefined;
  const head = name.slice(0, cut);
  if (!/^\d+$/.test(head)) return undefined;
  return { numRepeats: Number(head), classTokens: name.slice(cut + 1) };
}

const regFolder =
  /^(reg|regs|reg_data|reg_images|regularization|regularisation|正则化?(图|图片|集|数据集)?)$/i;

/** A folder under something named like `reg` / `正则` is offered as a regularisation subset. */
export function looksLikeRegFolder(relDir: string): boolean {
  return relDir
    .split('/')
    .some(
      (segment) =>
        regFolder.test(segment) || regFolder.test(parseKohyaFolderName(segment)?.classTokens ?? ''),
    );
}
