import { builtinModules } from 'node:module';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bundle, nativeExternals } from '../../scripts/bundle.mjs';

let outDir: string;

function requiredModules(code: string): string[] {
  return [...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1] ?? ''))].sort();
}

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'danlu-bundle-'));
  await bundle({ outDir, quiet: true });
}, 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('scripts/bundle.mjs', () => {
  it('bundles the workspace into main.cjs: only Node built-ins, electron and native addons stay external', async () => {
    const code = await readFile(path.join(outDir, 'main.cjs'), 'utf8');
    const allowed = new Set([
      'electron',
      ...nativeExternals,
      ...builtinModules,
      ...builtinModules.map((name) => `node:${name}`),
    ]);
    const external = requiredModules(code);
    expect(external).toContain('electron');
    expect(external.filter((name) => !allowed.has(name))).toEqual([]);
    // The root package.json (the product version) is inlined through the JSON import attribute.
    expect(code).toMatch(/version: "\d+\.\d+\.\d+/);
  });

  it("bundles the preload so that it only requires 'electron' (all a sandboxed preload can)", async () => {
    const code = await readFile(path.join(outDir, 'preload.cjs'), 'utf8');
    expect(requiredModules(code)).toEqual(['electron']);
    expect(code).toContain('exposeInMainWorld');
    expect(code).toContain('danlu:call');
  });
});
