import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (…/packages/params/src/testing → four levels up). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const presetsDir = join(repoRoot, 'resources', 'presets');
export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** CI checks out ../shared beside the clone; a bare clone without it skips the reference test. */
export const kohyaReferencePath = join(repoRoot, '..', 'shared', 'reference', 'kohya-sd-scripts.md');
export const hasKohyaReference = existsSync(kohyaReferencePath);

export function readFixture(name: string): string {
  return readFileSync(join(fixturesDir, name), 'utf8');
}

export function presetFiles(): Array<{ name: string; text: string }> {
  return readdirSync(presetsDir)
    .filter((f) => f.endsWith('.toml'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(presetsDir, name), 'utf8') }));
}

function between(text: string, start: string, end: string): string {
  const a = text.indexOf(start);
  const b = text.indexOf(end, a + start.length);
  if (a < 0 || b < 0) throw new Error(`reference section not found: ${start}`);
  return text.slice(a, b);
}

/** The key sets the reference documents, by where kohya reads them. */
export function referenceKeys(): {
  options: Set<string>;
  datasetKeys: Set<string>;
  networkArgs: Set<string>;
  optimizerWords: Set<string>;
} {
  const text = readFileSync(kohyaReferencePath, 'utf8');
  const s2 = between(text, '## 2. Command-line options', '## 3. Config files');
  const s32 = between(text, '### 3.2 `--dataset_config`', '### 3.3');
  const s4 = between(text, '## 4. Network modules', '## 5. Optimizers');
  const s51 = between(text, '### 5.1', '### 5.2');
  const all = (re: RegExp, s: string) => new Set([...s.matchAll(re)].map((m) => m[1] ?? ''));
  return {
    options: all(/--([a-z][a-z0-9_]*)/g, s2),
    datasetKeys: all(/`([a-z][a-z0-9_]*)`/g, s32),
    networkArgs: all(/`([a-z][a-z0-9_]*)`/g, s4),
    optimizerWords: all(/\b([a-z][a-z0-9_]*)\b/g, s51),
  };
}
