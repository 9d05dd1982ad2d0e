import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Manifest {
  name: string;
  version: string;
  scripts?: Record<string, string>;
}

function manifests(): Manifest[] {
  return ['apps', 'packages'].flatMap((group) =>
    readdirSync(join(root, group)).map(
      (name) => JSON.parse(readFileSync(join(root, group, name, 'package.json'), 'utf8')) as Manifest,
    ),
  );
}

describe('workspace', () => {
  it('keeps the top level the team agreed on', () => {
    const top = readdirSync(root);
    for (const entry of [
      'apps',
      'packages',
      'resources',
      'locales',
      'scripts',
      'test',
      'package.json',
      'pnpm-workspace.yaml',
      'tsconfig.base.json',
    ]) {
      expect(top).toContain(entry);
    }
  });

  it('numbers every package like the product, so the installer and `danlu --version` agree', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
    for (const manifest of manifests()) expect(manifest.version, manifest.name).toBe(version);
  });

  it('gives every package the same script vocabulary', () => {
    for (const manifest of manifests()) {
      expect(Object.keys(manifest.scripts ?? {}), manifest.name).toEqual(
        expect.arrayContaining(['build', 'typecheck', 'lint', 'test']),
      );
    }
  });
});
