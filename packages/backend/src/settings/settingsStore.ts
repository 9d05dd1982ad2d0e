import { readFile, rename } from 'node:fs/promises';

import { SettingsSchema, type Settings, type SettingsPatch } from '@danlu/contracts';
import { writeFileAtomic } from '@danlu/node-utils';

import { defaultSettings } from './defaults.js';

export type LoadOutcome =
  | { kind: 'fresh' }
  | { kind: 'loaded' }
  /** Valid JSON with some bad or unknown fields: good fields kept, the rest from defaults. */
  | { kind: 'repaired'; backup: string; fields: string[] }
  /** Not JSON at all (half-written, binary): everything from defaults. */
  | { kind: 'reset'; backup: string; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps every field of `raw` that is valid on its own; lists the ones that were not. */
function salvage(raw: Record<string, unknown>, defaults: Settings): { settings: Settings; bad: string[] } {
  const bad: string[] = [];
  const merged: Record<string, unknown> = { ...defaults };
  const shape = SettingsSchema.shape;
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(shape, key)) {
      bad.push(key);
      continue;
    }
    if (key === 'folders' && isRecord(value)) {
      const folders: Record<string, unknown> = { ...defaults.folders };
      for (const [folder, path] of Object.entries(value)) {
        const fieldSchema = shape.folders.shape[folder as keyof Settings['folders']] as
          (typeof shape.folders.shape)[keyof Settings['folders']] | undefined;
        if (fieldSchema?.safeParse(path).success) folders[folder] = path;
        else bad.push(`folders.${folder}`);
      }
      merged['folders'] = folders;
      continue;
    }
    if (shape[key as keyof typeof shape].safeParse(value).success) merged[key] = value;
    else bad.push(key);
  }
  return { settings: SettingsSchema.parse(merged), bad };
}

function backupName(file: string, now = new Date()): string {
  return `${file}.${now.toISOString().replace(/[:.]/g, '-')}.bak`;
}

/**
 * settings.json in the data folder. Written atomically; a file that cannot be read as settings is moved
 * aside (never deleted) and the app starts on defaults, with a notice saying where the old file went.
 */
export class SettingsStore {
  #settings: Settings;

  private constructor(
    readonly file: string,
    settings: Settings,
  ) {
    this.#settings = settings;
  }

  static async open(
    file: string,
    defaults: Settings,
  ): Promise<{ store: SettingsStore; outcome: LoadOutcome }> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const store = new SettingsStore(file, defaults);
      await store.#save();
      return { store, outcome: { kind: 'fresh' } };
    }

    let raw: unknown;
    let reason = 'not a JSON object';
    try {
      // Notepad and some editors on Windows prepend a BOM; it is not part of the JSON.
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      reason = (error as Error).message;
    }
    if (!isRecord(raw)) {
      const backup = backupName(file);
      await rename(file, backup);
      const store = new SettingsStore(file, defaults);
      await store.#save();
      return { store, outcome: { kind: 'reset', backup, reason } };
    }

    const strict = SettingsSchema.strict().safeParse(raw);
    if (strict.success) return { store: new SettingsStore(file, strict.data), outcome: { kind: 'loaded' } };

    const { settings, bad } = salvage(raw, defaults);
    const backup = backupName(file);
    await rename(file, backup);
    const store = new SettingsStore(file, settings);
    await store.#save();
    return { store, outcome: { kind: 'repaired', backup, fields: bad } };
  }

  get(): Settings {
    return structuredClone(this.#settings);
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next = SettingsSchema.parse({
      ...this.#settings,
      ...patch,
      folders: { ...this.#settings.folders, ...patch.folders },
    });
    const previous = this.#settings;
    this.#settings = next;
    try {
      await this.#save();
    } catch (error) {
      this.#settings = previous;
      throw error;
    }
    return this.get();
  }

  async replace(settings: Settings): Promise<Settings> {
    return this.update(settings);
  }

  async #save(): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(this.#settings, null, 2)}\n`);
  }
}

export { defaultSettings };
