import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

import { DanluError } from '@danlu/contracts';
import {
  applyCaptionChanges,
  restoreCaptionBackup,
  type ApplyResult,
  type CaptionPreview,
  type ImageEntry,
  type Manifest,
} from '@danlu/dataset';

/** Where an image's caption lives: the one the scan found, else `<stem><first caption extension>`. */
export function captionFileFor(manifest: Pick<Manifest, 'captionExtensions'>, image: ImageEntry): string {
  if (image.caption) return image.caption.path;
  const ext = manifest.captionExtensions[0] ?? '.txt';
  return join(dirname(image.path), basename(image.path, extname(image.path)) + ext);
}

/** Previews waiting to be applied (the user looks at the diff first), newest kept. */
export class PreviewStore {
  readonly #previews = new Map<string, { root: string; preview: CaptionPreview; label?: string }>();

  put(root: string, preview: CaptionPreview, label?: string): string {
    const id = `p${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
    const entry: { root: string; preview: CaptionPreview; label?: string } = { root, preview };
    if (label !== undefined) entry.label = label;
    this.#previews.set(id, entry);
    while (this.#previews.size > 20) {
      const oldest = this.#previews.keys().next().value;
      if (oldest === undefined) break;
      this.#previews.delete(oldest);
    }
    return id;
  }

  take(id: string): { root: string; preview: CaptionPreview; label?: string } {
    const entry = this.#previews.get(id);
    if (!entry)
      throw new DanluError(
        'not_found',
        '预览已过期，请重新预览 / This preview has expired, please preview again',
      );
    this.#previews.delete(id);
    return entry;
  }
}

const backupIdPattern = /^[0-9A-Za-z-]+$/;

export function backupsDir(dataDir: string): string {
  return join(dataDir, 'caption-backups');
}

export function backupIdOf(result: ApplyResult): string {
  return basename(result.backupDir);
}

export interface BackupRow {
  id: string;
  createdAt: string;
  files: number;
  label: string;
}

export async function listBackups(dataDir: string, limit = 50): Promise<BackupRow[]> {
  let names: string[];
  try {
    names = await readdir(backupsDir(dataDir));
  } catch {
    return [];
  }
  names.sort().reverse();
  const rows: BackupRow[] = [];
  for (const name of names.slice(0, limit)) {
    try {
      const raw = JSON.parse(await readFile(join(backupsDir(dataDir), name, 'backup.json'), 'utf8')) as {
        createdAt?: string;
        label?: string;
        entries?: unknown[];
      };
      rows.push({
        id: name,
        createdAt: raw.createdAt ?? '',
        files: raw.entries?.length ?? 0,
        label: raw.label ?? '',
      });
    } catch {
      // a half-written or foreign folder: not offered for undo
    }
  }
  return rows;
}

export async function restoreBackup(dataDir: string, id: string): Promise<string[]> {
  if (!backupIdPattern.test(id))
    throw new DanluError('bad_request', `备份编号无效：${id} / Not a backup id: ${id}`);
  try {
    return await restoreCaptionBackup(join(backupsDir(dataDir), id));
  } catch (error) {
    if ((error as { code?: string }).code === 'no_backup')
      throw new DanluError('not_found', `找不到备份 ${id} / No backup ${id}`);
    throw error;
  }
}

export async function applyWithLabel(
  preview: CaptionPreview,
  dataDir: string,
  label: string | undefined,
): Promise<ApplyResult> {
  return applyCaptionChanges(preview, dataDir, label === undefined ? {} : { label });
}
