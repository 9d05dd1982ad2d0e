#!/usr/bin/env node
// Bundles the Electron main process and the preload into apps/desktop/dist with esbuild.
// Workspace packages are TypeScript source, so they are bundled in; electron and native addons stay
// external (electron is provided by the runtime, native addons must be real files next to their DLLs).
// `--with-web` also copies the built web UI to dist/web, where the packaged app looks for it.
import { cp, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';

export const desktopDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = path.join(desktopDir, 'dist');
export const webDistDir = path.resolve(desktopDir, '..', 'web', 'dist');

/** Native Node-API addons: loaded from node_modules (asar-unpacked) at run time, never bundled. */
export const nativeExternals = ['sharp', 'onnxruntime-node'];

/**
 * Plain .mjs files that workspace packages start as separate processes or threads, found next to the
 * module that starts them (`new URL('./…', import.meta.url)`). In the bundle they sit next to main.cjs;
 * electron-builder unpacks them from app.asar (a child Node process cannot read the archive).
 */
export const runtimeFiles = [
  { from: '../../packages/runs/src/supervisor/wrapper.mjs', to: 'wrapper.mjs' },
  { from: '../../packages/tagger/src/worker/inferenceWorker.mjs', to: 'worker/inferenceWorker.mjs' },
];

/**
 * CommonJS has no import.meta: every `import.meta.url` in the bundle becomes main.cjs's own URL, pointed
 * at app.asar.unpacked when packaged, so the runtime files above resolve to real files.
 */
const importMetaBanner =
  '"use strict";' +
  "var __danluImportMetaUrl = require('node:url').pathToFileURL(" +
  "__filename.replace(/app\\.asar(?=[\\\\/])/, 'app.asar.unpacked')).href;";

/**
 * @param {{ withWeb?: boolean, quiet?: boolean, outDir?: string }} [options] `outDir` defaults to dist/.
 * @returns {Promise<void>}
 */
export async function bundle(options = {}) {
  const log = options.quiet ? () => {} : (/** @type {string} */ text) => console.log(text);
  const outDir = options.outDir ?? distDir;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  /** @type {import('esbuild').BuildOptions} */
  const common = {
    bundle: true,
    format: 'cjs',
    sourcemap: 'linked',
    logLevel: 'warning',
    // Electron's main world and preload are recent Chromium/Node; nothing needs down-levelling.
    target: 'es2023',
    absWorkingDir: desktopDir,
    legalComments: 'none',
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: ['src/main/index.ts'],
      outfile: path.join(outDir, 'main.cjs'),
      platform: 'node',
      external: ['electron', ...nativeExternals],
      banner: { js: importMetaBanner },
      define: { 'import.meta.url': '__danluImportMetaUrl' },
    }),
    build({
      ...common,
      entryPoints: ['src/preload/index.ts'],
      outfile: path.join(outDir, 'preload.cjs'),
      // A sandboxed preload is a browser-like context with a `require` that knows only 'electron'.
      platform: 'browser',
      external: ['electron'],
      // It is parsed on every page load and carries zod (through the contract's name lists).
      minify: true,
    }),
  ]);
  for (const file of runtimeFiles) {
    const target = path.join(outDir, file.to);
    await mkdir(path.dirname(target), { recursive: true });
    await cp(path.join(desktopDir, file.from), target);
  }
  log(`bundled ${path.relative(desktopDir, outDir)}/main.cjs and preload.cjs`);

  if (options.withWeb) {
    const index = await stat(path.join(webDistDir, 'index.html')).catch(() => undefined);
    if (!index?.isFile()) {
      throw new Error(
        `The web UI is not built (${webDistDir}/index.html is missing): run pnpm --filter @danlu/web build first. ` +
          `界面尚未构建：请先运行 pnpm --filter @danlu/web build。`,
      );
    }
    await cp(webDistDir, path.join(outDir, 'web'), { recursive: true });
    log(`copied apps/web/dist to ${path.relative(desktopDir, outDir)}/web`);
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  bundle({ withWeb: process.argv.includes('--with-web') }).catch((/** @type {unknown} */ error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
