/**
 * Copies text; falls back to a hidden textarea where the async clipboard is unavailable (a page served
 * over plain http from another machine is not a secure context).
 */
export async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== 'undefined' && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the old way
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only way outside a secure context
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
