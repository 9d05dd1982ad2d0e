import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

import { Unzip, UnzipInflate, Zip, ZipDeflate, ZipPassThrough } from 'fflate';

import { safeOutputName } from '@danlu/engine';
import type { TrainingConfig } from '@danlu/params';

/** What `dataset-manifest.json` in a scene archive lists: the images by size and hash, with captions. */
export interface DatasetManifest {
  subsets: Array<{
    imageDir: string;
    numRepeats: number;
    isReg: boolean;
    images: Array<{ file: string; sizeBytes: number; sha256: string; caption: string | null }>;
  }>;
}

export const SCENE_FORMAT = 'danlu-scene';

const IMAGE = /\.(png|jpe?g|webp|bmp|avif|jxl)$/i;
const TEXT = /\.(json|jsonl|toml|txt|log|yml|yaml)$/i;

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (let position = 0; ;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** The images of each subset (never copied: the archive lists them so the dataset can be found again). */
export async function datasetManifest(config: TrainingConfig | null): Promise<DatasetManifest> {
  const subsets: DatasetManifest['subsets'] = [];
  for (const subset of config?.subsets ?? []) {
    const images: DatasetManifest['subsets'][number]['images'] = [];
    let entries: string[] = [];
    try {
      entries = (await readdir(subset.imageDir)).sort();
    } catch {
      entries = [];
    }
    for (const name of entries) {
      if (!IMAGE.test(name)) continue;
      const path = join(subset.imageDir, name);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) continue;
      const stem = name.slice(0, -extname(name).length);
      let caption: string | null = null;
      for (const ext of [subset.captionExtension ?? '.txt', '.txt', '.caption']) {
        caption = await readFile(join(subset.imageDir, `${stem}${ext}`), 'utf8').catch(() => null);
        if (caption !== null) break;
      }
      images.push({ file: name, sizeBytes: info.size, sha256: await sha256(path), caption });
    }
    subsets.push({
      imageDir: subset.imageDir,
      numRepeats: subset.numRepeats,
      isReg: subset.isReg ?? false,
      images,
    });
  }
  return { subsets };
}

/** Files of a run folder that go into its scene (relative paths), and what is left out. */
async function sceneFiles(runDir: string): Promise<{ files: string[]; skipped: string[] }> {
  const files: string[] = [];
  const skipped: string[] = [];
  const walk = async (rel: string, depth: number) => {
    const entries = await readdir(join(runDir, rel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        // State folders hold the optimizer (gigabytes): listed, not packed.
        if (entry.name.endsWith('-state') || depth > 6) skipped.push(path);
        else await walk(path, depth + 1);
      } else if (entry.isFile()) {
        if (
          rel === '' &&
          (entry.name.endsWith('.tmp') || entry.name === 'launch.spec.json' || entry.name.includes('.bad'))
        )
          continue;
        files.push(path);
      }
    }
  };
  await walk('', 0);
  return { files: files.sort(), skipped };
}

/**
 * Writes the scene archive (zip, streamed to disk: model files are never held in memory as a whole).
 * Text files are deflated, images and weights stored as they are.
 */
export async function writeScene(
  runDir: string,
  destination: string,
  extra: { manifest: DatasetManifest; runId: string },
): Promise<{ file: string; sizeBytes: number }> {
  const { files, skipped } = await sceneFiles(runDir);
  const temp = `${destination}.${process.pid}.partial`;
  mkdirSync(dirname(destination), { recursive: true });
  const fd = openSync(temp, 'w');
  const status: { failure: Error | null } = { failure: null };
  const zip = new Zip((error, chunk) => {
    if (error) status.failure = error;
    else writeSync(fd, chunk);
  });
  const addBuffer = (name: string, data: Uint8Array) => {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    entry.push(data, true);
  };
  try {
    addBuffer(
      'scene.json',
      Buffer.from(
        JSON.stringify(
          {
            format: SCENE_FORMAT,
            version: 1,
            runId: extra.runId,
            exportedAt: new Date().toISOString(),
            skipped,
          },
          null,
          2,
        ),
      ),
    );
    addBuffer('dataset-manifest.json', Buffer.from(JSON.stringify(extra.manifest, null, 2)));
    for (const rel of files) {
      const entry = TEXT.test(rel)
        ? new ZipDeflate(`run/${rel}`, { level: 6 })
        : new ZipPassThrough(`run/${rel}`);
      zip.add(entry);
      const handle = await open(join(runDir, ...rel.split('/')), 'r');
      try {
        const buffer = Buffer.alloc(1024 * 1024);
        for (let position = 0; ;) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
          position += bytesRead;
          if (bytesRead === 0) {
            entry.push(new Uint8Array(0), true);
            break;
          }
          entry.push(Uint8Array.from(buffer.subarray(0, bytesRead)), false);
        }
      } finally {
        await handle.close();
      }
    }
    zip.end();
  } finally {
    closeSync(fd);
  }
  if (status.failure) {
    await rm(temp, { force: true });
    throw status.failure;
  }
  await rename(temp, destination);
  return { file: destination, sizeBytes: (await stat(destination)).size };
}

/** A safe relative path from an archive entry, or null (absolute, `..`, drive letters, odd names). */
export function safeEntryPath(name: string): string[] | null {
  if (name.includes('\0') || name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name))
    return null;
  const parts = name.split(/[\\/]+/).filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p === '..' || p === '.')) return null;
  return parts;
}

/**
 * Unpacks the `run/` part of a scene archive into `targetDir` (streamed), checking every entry name.
 * Returns the archive's scene.json (null when missing: not a Danlu scene).
 */
export async function readScene(
  file: string,
  targetDir: string,
): Promise<{ scene: Record<string, unknown> | null; files: number }> {
  let scene: Record<string, unknown> | null = null;
  let count = 0;
  const problems: { unsafe: string | null } = { unsafe: null };
  const sceneChunks: Uint8Array[] = [];
  const unzip = new Unzip((entry) => {
    if (entry.name === 'scene.json') {
      entry.ondata = (error, chunk, final) => {
        if (!error) sceneChunks.push(chunk);
        if (final) {
          try {
            scene = JSON.parse(Buffer.concat(sceneChunks).toString('utf8')) as Record<string, unknown>;
          } catch {
            scene = null;
          }
        }
      };
      entry.start();
      return;
    }
    if (!entry.name.startsWith('run/') || entry.name.endsWith('/')) return;
    const parts = safeEntryPath(entry.name.slice(4));
    if (!parts) {
      problems.unsafe = entry.name;
      return;
    }
    const target = join(targetDir, ...parts);
    mkdirSync(dirname(target), { recursive: true });
    const fd = openSync(target, 'w');
    count++;
    entry.ondata = (error, chunk, final) => {
      if (!error) writeSync(fd, chunk);
      if (final || error) closeSync(fd);
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (let position = 0; ;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      position += bytesRead;
      unzip.push(Uint8Array.from(buffer.subarray(0, bytesRead)), bytesRead === 0);
      if (bytesRead === 0) break;
    }
  } finally {
    await handle.close();
  }
  if (problems.unsafe !== null) throw new Error(`unsafe entry in the archive: ${problems.unsafe}`);
  return { scene, files: count };
}

export function sceneFileName(name: string, id: string): string {
  return `${safeOutputName(basename(name), 'run')}-${id}.danlu-scene.zip`;
}
