import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from './danluServer.js';

function flatten(value: unknown, prefix: string, out: Set<string>): void {
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.add(prefix);
  }
}

/**
 * Every translation key as it would appear on screen if a lookup failed (`home.title`, `nav:home`), so a
 * test can look for raw keys in the rendered text.
 */
export function allTranslationKeys(): string[] {
  const dir = join(repoRoot, 'locales', 'zh-CN');
  const keys = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const namespace = file.replace(/\.json$/, '');
    const own = new Set<string>();
    flatten(JSON.parse(readFileSync(join(dir, file), 'utf8')), '', own);
    for (const key of own) {
      // Single-word keys ("title") are ordinary words; only dotted or namespaced forms betray a miss.
      if (key.includes('.')) keys.add(key);
      keys.add(`${namespace}:${key}`);
    }
  }
  return [...keys];
}
