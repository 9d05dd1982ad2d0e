import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { writeFileAtomic } from '@danlu/node-utils';

import { QueueFileSchema, RunRecordSchema, type RunRecord } from './record.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A new run id: sortable by time, filename-safe everywhere, unique enough for one machine. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function isRunId(id: string): boolean {
  return ID.test(id) && id.length <= 80;
}

export type LoadedRecord =
  | { ok: true; record: RunRecord }
  /** run.json missing or unreadable: the folder is kept; the caller makes a stand-in record. */
  | { ok: false; id: string; reason: 'missing' | 'corrupt'; backup: string | null };

/**
 * The run folders under `runs/`: `runs/<id>/run.json`, and `runs/queue.json` with the order of waiting
 * runs. Writes are atomic; a run.json that cannot be read is moved aside (`run.json.<time>.bad`), never
 * deleted, and reported so the service can mark the run interrupted.
 */
export class RunStore {
  constructor(readonly root: string) {}

  runDir(id: string): string {
    if (!isRunId(id)) throw new Error(`not a run id: ${id}`);
    return join(this.root, id);
  }

  recordFile(id: string): string {
    return join(this.runDir(id), 'run.json');
  }

  async ids(): Promise<string[]> {
    // Read-only: a missing folder is an empty list (never re-created behind someone who removed it).
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory() && isRunId(e.name))
      .map((e) => e.name)
      .sort();
  }

  /** `repair: false` (a guest, a re-read): a damaged file is reported but left where it is. */
  async load(id: string, options: { repair?: boolean } = {}): Promise<LoadedRecord> {
    const file = this.recordFile(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return { ok: false, id, reason: 'missing', backup: null };
    }
    try {
      const parsed = RunRecordSchema.safeParse(JSON.parse(text));
      if (parsed.success && parsed.data.id === id) return { ok: true, record: parsed.data };
    } catch {
      // not JSON — fall through
    }
    if (options.repair === false) return { ok: false, id, reason: 'corrupt', backup: null };
    const backup = `${file}.${Date.now()}.bad`;
    try {
      await rename(file, backup);
      return { ok: false, id, reason: 'corrupt', backup };
    } catch {
      return { ok: false, id, reason: 'corrupt', backup: null };
    }
  }

  async save(record: RunRecord): Promise<void> {
    await writeFileAtomic(this.recordFile(record.id), `${JSON.stringify(record, null, 2)}\n`);
  }

  async remove(id: string): Promise<void> {
    await rm(this.runDir(id), { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }

  async loadQueue(): Promise<string[]> {
    try {
      const parsed = QueueFileSchema.safeParse(
        JSON.parse(await readFile(join(this.root, 'queue.json'), 'utf8')),
      );
      return parsed.success ? parsed.data.order : [];
    } catch {
      return [];
    }
  }

  async saveQueue(order: string[]): Promise<void> {
    await writeFileAtomic(
      join(this.root, 'queue.json'),
      `${JSON.stringify({ version: 1, order }, null, 2)}\n`,
    );
  }
}
