import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

import { DanluError, type PresetList, type PresetSummary } from '@danlu/contracts';
import { writeFileAtomic } from '@danlu/node-utils';
import {
  PRESET_FORMAT_VERSION,
  parsePreset,
  stringifyPreset,
  type Preset,
  type TrainingConfig,
  type TrainingKind,
} from '@danlu/params';

import { decodeText } from './decodeText.js';
import { loadPresetFolder, type LoadedPreset } from './presetLibrary.js';

/** User presets live in `<data>/presets/<id>.toml`; ids are Danlu's own (`user-…`), never the name. */
export function userPresetDir(dataDir: string): string {
  return join(dataDir, 'presets');
}

const USER_ID = /^user-[a-z0-9-]{4,60}$/;

function newUserId(): string {
  return `user-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

async function mtimeIso(file: string): Promise<string | null> {
  try {
    return (await stat(file)).mtime.toISOString();
  } catch {
    return null;
  }
}

export async function summarise(loaded: LoadedPreset, source: 'bundled' | 'user'): Promise<PresetSummary> {
  const { meta, config } = loaded.preset;
  return {
    id: meta.id,
    source,
    name: meta.name,
    description: meta.description,
    family: meta.family,
    trainingType: meta.training_type,
    kind: meta.kind,
    defaultRepeats: meta.default_repeats ?? null,
    minVramGb: meta.min_vram_gb ?? null,
    config,
    notices: loaded.notices.map((n) => n.text),
    file: source === 'user' ? loaded.file : null,
    updatedAt: source === 'user' ? await mtimeIso(loaded.file) : null,
  };
}

const familyOrder = { sd1: 0, sd2: 1, sdxl: 2 } as const;

/** Bundled presets first (by family), then the user's (newest first). Broken user files are listed. */
export async function listPresets(resourcesDir: string, dataDir: string): Promise<PresetList> {
  const bundled = await loadPresetFolder(join(resourcesDir, 'presets'));
  const userDir = userPresetDir(dataDir);
  const user = await loadPresetFolder(userDir);
  const bundledSummaries = await Promise.all(bundled.presets.map((p) => summarise(p, 'bundled')));
  bundledSummaries.sort((a, b) => familyOrder[a.family] - familyOrder[b.family]);
  const userSummaries = await Promise.all(user.presets.map((p) => summarise(p, 'user')));
  userSummaries.sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
  return {
    presets: [...bundledSummaries, ...userSummaries],
    broken: [...bundled.broken, ...user.broken].map((b) => ({
      file: b.file,
      message: {
        zh: `预设文件无法读取（${b.error.key ?? b.error.code}）：${b.error.message.zh}`,
        en: `The preset file cannot be read (${b.error.key ?? b.error.code}): ${b.error.message.en}`,
      },
    })),
    userDir,
  };
}

function userFile(dataDir: string, id: string): string {
  if (!USER_ID.test(id))
    throw new DanluError(
      'bad_request',
      `只能修改用户预设（${id} 是内置预设或无效的 id）/ Only user presets can be changed (${id} is built in or not a valid id)`,
    );
  return join(userPresetDir(dataDir), `${id}.toml`);
}

async function readUser(dataDir: string, id: string): Promise<{ file: string; preset: Preset }> {
  const file = userFile(dataDir, id);
  let bytes;
  try {
    bytes = await readFile(file);
  } catch {
    throw new DanluError('not_found', `找不到用户预设 ${id} / User preset ${id} not found`);
  }
  const parsed = parsePreset(decodeText(bytes).text);
  if (!parsed.ok)
    throw new DanluError(
      'bad_request',
      `用户预设 ${id} 已损坏：${parsed.error.message.zh} / User preset ${id} is damaged: ${parsed.error.message.en}`,
    );
  return { file, preset: parsed.preset };
}

async function write(file: string, preset: Preset): Promise<LoadedPreset> {
  await mkdir(join(file, '..'), { recursive: true });
  // A temp file + rename: a half-written TOML never appears under the preset's name.
  await writeFileAtomic(file, `# Danlu user preset\n${stringifyPreset(preset)}`);
  return { file, preset, notices: [], unknownKeys: [] };
}

export interface SavePresetInput {
  id?: string;
  name: string;
  description?: string;
  kind?: TrainingKind;
  defaultRepeats?: number;
  config: TrainingConfig;
}

export async function saveUserPreset(dataDir: string, input: SavePresetInput): Promise<PresetSummary> {
  const id = input.id ?? newUserId();
  const file = userFile(dataDir, id);
  const previous = input.id ? (await readUser(dataDir, input.id)).preset : undefined;
  const description = input.description ?? '';
  const preset: Preset = {
    meta: {
      id,
      version: PRESET_FORMAT_VERSION,
      name: { zh: input.name, en: input.name },
      description: description
        ? { zh: description, en: description }
        : (previous?.meta.description ?? { zh: '我的预设', en: 'My preset' }),
      family: input.config.family,
      training_type: input.config.trainingType,
      kind: input.kind ?? input.config.kind ?? previous?.meta.kind ?? 'character',
      ...(input.defaultRepeats !== undefined
        ? { default_repeats: input.defaultRepeats }
        : previous?.meta.default_repeats !== undefined
          ? { default_repeats: previous.meta.default_repeats }
          : {}),
    },
    // Subsets are the dataset's business, not the preset's.
    config: { ...input.config, subsets: [] },
  };
  return summarise(await write(file, preset), 'user');
}

export async function renameUserPreset(dataDir: string, id: string, name: string): Promise<PresetSummary> {
  const { file, preset } = await readUser(dataDir, id);
  const renamed: Preset = { ...preset, meta: { ...preset.meta, name: { zh: name, en: name } } };
  return summarise(await write(file, renamed), 'user');
}

export async function deleteUserPreset(dataDir: string, id: string): Promise<void> {
  const file = userFile(dataDir, id);
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new DanluError('not_found', `找不到用户预设 ${id} / User preset ${id} not found`);
    throw error;
  }
}
