import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { writeFileAtomic } from '@danlu/node-utils';

import { DatasetError } from '../errors.js';
import { decodeCaption, kohyaCaptionLine, writeCaptionFile } from './encoding.js';
import {
  applyTagOperations,
  joinTags,
  splitTags,
  tagFrequencies,
  tagKey,
  type TagOperation,
} from './tags.js';

/** One caption file in a batch; `text` is undefined when the image has no caption yet. */
export interface CaptionSource {
  file: string;
  text: string | undefined;
}

export interface CaptionChange {
  file: string;
  before: string | undefined;
  after: string;
}

export interface CaptionPreview {
  operations: TagOperation[];
  changes: CaptionChange[];
  unchanged: number;
}

/**
 * What the operations would do, without touching any file. Works on each caption's first line (what
 * kohya reads); the result is one line of `tag, tag, …`.
 */
export function previewTagOperations(
  sources: readonly CaptionSource[],
  operations: TagOperation[],
  separator = ',',
): CaptionPreview {
  const parsed = sources.map((source) => splitTags(kohyaCaptionLine(source.text ?? ''), separator));
  const frequency = new Map(tagFrequencies(parsed).map((row) => [tagKey(row.tag), row.count]));
  const changes: CaptionChange[] = [];
  let unchanged = 0;
  sources.forEach((source, i) => {
    const after = joinTags(applyTagOperations(parsed[i] ?? [], operations, frequency), `${separator} `);
    if (source.text !== undefined && after === source.text.trim()) unchanged++;
    else if (source.text === undefined && after === '') unchanged++;
    else changes.push({ file: source.file, before: source.text, after });
  });
  return { operations, changes, unchanged };
}

/** A short, language-neutral label of a batch (shown in the undo list). */
export function describeOperations(operations: readonly TagOperation[]): string {
  return operations
    .map((o) => {
      switch (o.op) {
        case 'remove':
          return `remove ${o.tags.join(', ')}`;
        case 'addFirst':
        case 'add':
          return `${o.op} ${o.tag}`;
        case 'replace':
          return `replace ${o.from} → ${o.to}`;
        case 'dedupe':
          return 'dedupe';
        case 'sort':
          return `sort ${o.by}`;
      }
    })
    .join('; ');
}

export interface BackupEntry {
  file: string;
  /** Previous bytes as base64 (exactly what was on disk), or null when the file did not exist. */
  previous: string | null;
}

export interface ApplyResult {
  backupDir: string;
  written: string[];
  /** Files whose content changed after the preview; left alone. */
  conflicts: string[];
  failed: { file: string; message: string }[];
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes a preview's changes (UTF-8, atomically) after saving the previous captions to
 * `<dataDir>/caption-backups/<time>-<id>/backup.json`. A file changed since the preview is a conflict.
 */
export async function applyCaptionChanges(
  preview: CaptionPreview,
  dataDir: string,
  options: { label?: string } = {},
): Promise<ApplyResult> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const backupDir = join(dataDir, 'caption-backups', `${stamp}-${randomBytes(3).toString('hex')}`);
  const entries: BackupEntry[] = [];
  const conflicts: string[] = [];
  const ready: CaptionChange[] = [];
  for (const change of preview.changes) {
    const bytes = await readIfExists(change.file);
    const current = bytes ? decodeCaption(bytes).text : undefined;
    if (current !== change.before) {
      conflicts.push(change.file);
      continue;
    }
    entries.push({ file: change.file, previous: bytes ? bytes.toString('base64') : null });
    ready.push(change);
  }
  await writeFileAtomic(
    join(backupDir, 'backup.json'),
    JSON.stringify(
      {
        createdAt: new Date().toISOString(),
        label: options.label ?? describeOperations(preview.operations),
        operations: preview.operations,
        entries,
      },
      null,
      2,
    ),
  );
  const written: string[] = [];
  const failed: { file: string; message: string }[] = [];
  for (const change of ready) {
    try {
      await writeCaptionFile(change.file, change.after);
      written.push(change.file);
    } catch (error) {
      failed.push({ file: change.file, message: (error as Error).message });
    }
  }
  return { backupDir, written, conflicts, failed };
}

/** Puts back the captions a batch action replaced (and removes the ones it created). */
export async function restoreCaptionBackup(backupDir: string): Promise<string[]> {
  let raw: string;
  try {
    raw = await readFile(join(backupDir, 'backup.json'), 'utf8');
  } catch (error) {
    throw new DatasetError('no_backup', `No caption backup in ${backupDir}`, { cause: error });
  }
  const { entries } = JSON.parse(raw) as { entries: BackupEntry[] };
  const restored: string[] = [];
  for (const entry of entries) {
    if (entry.previous === null) await rm(entry.file, { force: true });
    else await writeFileAtomic(entry.file, Buffer.from(entry.previous, 'base64'));
    restored.push(entry.file);
  }
  return restored;
}
