import { homedir, userInfo } from 'node:os';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { loadEngines } from '../discovery/store.js';
import { readEnvironmentPrefs } from '../discovery/preferences.js';
import { probeCacheFile } from '../probe/cache.js';
import { makeZip } from '../system/zip.js';

export interface DiagnosticsInput {
  dataDir: string;
  logsDir: string;
  runsDir: string;
  /** App, versions, platform: whatever the caller knows about itself. */
  app: unknown;
  settings: unknown;
  gpus: unknown;
  doctor: unknown;
  /** Replace the home folder and the user name in every file with <home> / <user>. */
  maskUserPaths?: boolean;
  now?: Date;
  /** Extra files (an install log…) to tail into the bundle. */
  extraLogs?: string[];
}

const tailBytes = 64 * 1024;
/** Environment variable names whose values never leave the machine. */
const secretKey = /token|secret|passw|key|auth|cookie/i;

async function tailOf(file: string): Promise<string | undefined> {
  try {
    const content = await readFile(file);
    const slice = content.length > tailBytes ? content.subarray(content.length - tailBytes) : content;
    return slice.toString('utf8');
  } catch {
    return undefined;
  }
}

async function newestRuns(runsDir: string, count: number): Promise<string[]> {
  try {
    const entries = await readdir(runsDir, { withFileTypes: true });
    const dirs = await Promise.all(
      entries
        .filter((entry) => entry.isDirectory())
        .map(async (entry) => {
          const dir = join(runsDir, entry.name);
          return { dir, time: (await stat(dir)).mtimeMs };
        }),
    );
    return dirs
      .sort((a, b) => b.time - a.time)
      .slice(0, count)
      .map((entry) => entry.dir);
  } catch {
    return [];
  }
}

function masker(enabled: boolean): (value: string) => string {
  if (!enabled) return (value) => value;
  const home = homedir();
  let user = '';
  try {
    user = userInfo().username;
  } catch {
    // no user name to hide
  }
  const variants = [home, home.replaceAll('\\', '/'), home.replaceAll('\\', '\\\\')].filter(
    (entry) => entry.length > 1,
  );
  return (value) => {
    let out = value;
    for (const variant of variants) out = out.split(variant).join('<home>');
    if (user.length > 1) out = out.split(user).join('<user>');
    return out;
  };
}

/**
 * Writes `<logs>/diagnostics-<time>/` with what a helper needs to understand a problem (app and engine
 * versions, settings, engines with secret-looking variables blanked, probe results, doctor cards, GPU
 * report, the tails of recent logs and the newest runs' configs) and a .zip of the same files.
 */
export async function createDiagnosticsBundle(
  input: DiagnosticsInput,
): Promise<{ folder: string; zip: string; files: string[] }> {
  const now = input.now ?? new Date();
  const stamp = now
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z');
  const folder = join(input.logsDir, `diagnostics-${stamp}`);
  await mkdir(folder, { recursive: true });
  const mask = masker(input.maskUserPaths ?? false);
  const files: { name: string; data: Buffer }[] = [];
  const add = (name: string, content: string) => {
    files.push({ name, data: Buffer.from(mask(content), 'utf8') });
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

  const { engines } = await loadEngines(input.dataDir);
  const safeEngines = engines.map((engine) => ({
    ...engine,
    env: Object.fromEntries(
      Object.entries(engine.env).map(([key, value]) => [key, secretKey.test(key) ? '<hidden>' : value]),
    ),
  }));
  add('app.json', json(input.app));
  add('settings.json', json(input.settings));
  add('engines.json', json({ engines: safeEngines, prefs: await readEnvironmentPrefs(input.dataDir) }));
  add('probes.json', (await tailOf(probeCacheFile(input.dataDir))) ?? '{}\n');
  add('doctor.json', json(input.doctor));
  add('gpus.json', json(input.gpus));

  let logNames: string[] = [];
  try {
    logNames = (await readdir(input.logsDir)).filter((name) => /\.(log|txt|jsonl)$/i.test(name));
  } catch {
    // no logs yet
  }
  for (const name of logNames) {
    const content = await tailOf(join(input.logsDir, name));
    if (content !== undefined) add(`logs/${name}`, content);
  }
  for (const file of input.extraLogs ?? []) {
    const content = await tailOf(file);
    if (content !== undefined) add(`logs/${basename(file)}`, content);
  }
  for (const dir of await newestRuns(input.runsDir, 3)) {
    for (const name of ['engine.log', 'config.toml', 'dataset.toml', 'run.json']) {
      const content = await tailOf(join(dir, name));
      if (content !== undefined) add(`runs/${basename(dir)}/${name}`, content);
    }
  }

  for (const file of files) {
    const target = join(folder, ...file.name.split('/'));
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, file.data);
  }
  const zip = `${folder}.zip`;
  await writeFile(zip, makeZip(files, now));
  return { folder, zip, files: files.map((file) => file.name) };
}
