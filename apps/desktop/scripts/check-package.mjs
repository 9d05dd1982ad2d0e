#!/usr/bin/env node
// Offline packaging check: runs electron-builder for real (Linux `dir` target) against a stand-in
// Electron distribution, so no download is needed, then looks inside the result: app.asar holds the
// bundles (and the web UI when it is built), resources/ sits outside the archive, Chromium locales are
// trimmed. It cannot prove the app starts (the stand-in is not Electron) or build the NSIS installer.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { bundle, desktopDir, webDistDir } from './bundle.mjs';

const require = createRequire(path.join(desktopDir, 'package.json'));
const builderPackage = require.resolve('electron-builder/package.json');
const builderCli = path.join(path.dirname(builderPackage), 'cli.js');
// @electron/asar is what electron-builder itself writes the archive with.
const fromAppBuilder = createRequire(createRequire(builderPackage).resolve('app-builder-lib/package.json'));
const asar = /** @type {{ listPackage(file: string, options?: object): string[] }} */ (
  fromAppBuilder('@electron/asar')
);

const work = mkdtempSync(path.join(tmpdir(), 'danlu-package-'));
const fakeDist = path.join(work, 'electron');
const output = path.join(work, 'out');
/** @type {string[]} */
const problems = [];
/** @param {boolean} ok @param {string} what */
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) problems.push(what);
};

try {
  const withWeb = existsSync(path.join(webDistDir, 'index.html'));
  if (!withWeb)
    console.warn('apps/web/dist is not built: checking without the UI (run pnpm --filter @danlu/web build).');
  await bundle({ withWeb, quiet: true });

  mkdirSync(path.join(fakeDist, 'locales'), { recursive: true });
  mkdirSync(path.join(fakeDist, 'resources'));
  writeFileSync(path.join(fakeDist, 'electron'), '#!/bin/sh\necho "stand-in for Electron"\n');
  chmodSync(path.join(fakeDist, 'electron'), 0o755);
  for (const locale of ['en-US', 'zh-CN', 'zh-TW', 'de', 'ja'])
    writeFileSync(path.join(fakeDist, 'locales', `${locale}.pak`), '');
  writeFileSync(path.join(fakeDist, 'LICENSE'), '');

  const result = spawnSync(
    process.execPath,
    [
      builderCli,
      '--linux',
      'dir',
      '--x64',
      '--publish',
      'never',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${fakeDist}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: desktopDir, stdio: 'inherit' },
  );
  check(result.status === 0, `electron-builder exited with ${String(result.status)}`);

  const appDir = path.join(output, 'linux-unpacked');
  const archive = path.join(appDir, 'resources', 'app.asar');
  check(existsSync(archive), 'resources/app.asar exists');
  if (existsSync(archive)) {
    const files = new Set(asar.listPackage(archive).map((file) => file.replaceAll('\\', '/')));
    for (const file of ['/package.json', '/dist/main.cjs', '/dist/preload.cjs'])
      check(files.has(file), `app.asar has ${file}`);
    if (withWeb) check(files.has('/dist/web/index.html'), 'app.asar has /dist/web/index.html');
    const strays = [...files].filter((file) => file.startsWith('/src/') || file.includes('electron-builder'));
    check(
      strays.length === 0,
      `no sources or config in app.asar${strays.length ? `: ${strays.slice(0, 5).join(', ')}` : ''}`,
    );
  }
  // Run wrapper and tagger worker start outside the archive; the native addons must be real files too.
  const unpacked = path.join(appDir, 'resources', 'app.asar.unpacked');
  for (const file of [
    'dist/wrapper.mjs',
    'dist/worker/inferenceWorker.mjs',
    'node_modules/sharp/package.json',
    'node_modules/onnxruntime-node/package.json',
  ])
    check(existsSync(path.join(unpacked, file)), `app.asar.unpacked has ${file}`);
  const ortBin = path.join(unpacked, 'node_modules', 'onnxruntime-node', 'bin');
  if (existsSync(ortBin)) {
    const platforms = readdirSync(ortBin, { recursive: true })
      .map(String)
      .filter((entry) => /^napi-v\d+[\\/][^\\/]+$/.test(entry))
      .map((entry) => entry.split(/[\\/]/)[1])
      .sort();
    check(
      JSON.stringify([...new Set(platforms)]) === '["linux"]',
      `onnxruntime binaries for linux only: ${platforms.join(', ')}`,
    );
  }
  const resources = path.resolve(desktopDir, '..', '..', 'resources');
  const shipped = path.join(appDir, 'resources', 'resources');
  check(existsSync(shipped), 'resources/ shipped outside app.asar');
  if (existsSync(resources) && existsSync(shipped)) {
    const expected = readdirSync(resources, { recursive: true }).map(String).sort();
    const actual = readdirSync(shipped, { recursive: true }).map(String).sort();
    check(
      JSON.stringify(expected) === JSON.stringify(actual),
      `resources/ copied whole (${expected.length} entries)`,
    );
  }
  check(existsSync(path.join(appDir, 'danlu')), 'executable is named danlu');
  const locales = readdirSync(path.join(appDir, 'locales')).sort();
  check(
    JSON.stringify(locales) === JSON.stringify(['en-US.pak', 'zh-CN.pak', 'zh-TW.pak']),
    `locales trimmed: ${locales.join(', ')}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\n${problems.length} packaging check(s) failed.`);
  process.exit(1);
}
console.log('\npackaging check passed');
