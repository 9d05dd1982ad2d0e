import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's `resources/` folder when running from source. The packaged desktop app passes its
 * own (`process.resourcesPath/resources`), since nothing there can be found relative to this file.
 */
export function sourceResourcesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidate = resolve(here, '..', '..', '..', 'resources');
  return existsSync(candidate) ? candidate : join(process.cwd(), 'resources');
}
