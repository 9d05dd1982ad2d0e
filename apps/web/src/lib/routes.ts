/** Every page of the frame, in sidebar order (settings sits apart at the bottom). */
export const pageIds = [
  'home',
  'wizard',
  'expert',
  'dataset',
  'runs',
  'outputs',
  'environment',
  'troubleshooting',
  'settings',
] as const;
export type PageId = (typeof pageIds)[number];

export const defaultPage: PageId = 'home';

const known = new Set<string>(pageIds);

export function isPageId(value: string): value is PageId {
  return known.has(value);
}

/**
 * `#/wizard` → `wizard`. Tolerates `#wizard`, a trailing slash, a query (`#/runs?id=3`) and case; anything
 * unknown is Home, so an old bookmark never shows a blank screen.
 */
export function parseHash(hash: string): PageId {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').split(/[?/]/, 1)[0]?.toLowerCase() ?? '';
  return isPageId(path) ? path : defaultPage;
}

export function hashFor(page: PageId): string {
  return `#/${page}`;
}
