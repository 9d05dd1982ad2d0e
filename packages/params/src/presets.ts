import { parse, stringify } from 'smol-toml';
import { z } from 'zod';
import { canUnset, getEntry } from './catalogue';
import { coerceValue, type TrainingConfig } from './config';
import { stripBom, syntaxFailure, type Notice, type ParseFailure } from './errors';
import {
  ModelFamilySchema,
  TextSchema,
  TrainingKindSchema,
  TrainingTypeSchema,
  type ParamValue,
} from './types';

/** The preset file format this build writes and fully understands. */
export const PRESET_FORMAT_VERSION = 1;

export const PresetMetaSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  version: z.number().int().min(1),
  name: TextSchema,
  description: TextSchema,
  family: ModelFamilySchema,
  training_type: TrainingTypeSchema,
  kind: TrainingKindSchema,
  /** Repeats suggested for newly added subsets (the seeds' 8 for anime, 15 for real people). */
  default_repeats: z.number().int().min(1).optional(),
  /** The smallest GPU memory the preset is meant for, in GB. */
  min_vram_gb: z.number().min(1).optional(),
});
export type PresetMeta = z.infer<typeof PresetMetaSchema>;

export interface Preset {
  meta: PresetMeta;
  config: TrainingConfig;
}

export type PresetParse =
  { ok: true; preset: Preset; notices: Notice[]; unknownKeys: string[] } | { ok: false; error: ParseFailure };

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * Read the `[config]` table of a preset into catalogue values. Sub-tables `network_args` and
 * `optimizer_args` map to their `network_args.<key>` ids. Returns the first bad value as a failure.
 */
export function readConfigTable(
  table: Record<string, unknown>,
): { values: Record<string, ParamValue | null>; unknown: string[] } | ParseFailure {
  const values: Record<string, ParamValue | null> = {};
  const unknown: string[] = [];
  const visit = (prefix: string, t: Record<string, unknown>): ParseFailure | undefined => {
    for (const [k, raw] of Object.entries(t)) {
      const id = prefix ? `${prefix}.${k}` : k;
      if (!prefix && (k === 'network_args' || k === 'optimizer_args') && isTable(raw)) {
        const f = visit(k, raw);
        if (f) return f;
        continue;
      }
      const entry = getEntry(id);
      if (!entry) {
        unknown.push(id);
        continue;
      }
      const r = coerceValue(entry, raw);
      if (!r.ok) return { code: 'value', key: id, message: r.message };
      values[id] = r.value;
    }
    return undefined;
  };
  const f = visit('', table);
  return f ?? { values, unknown };
}

/** Parse a preset TOML. Unknown keys are reported (never dropped silently); bad values fail the file. */
export function parsePreset(text: string): PresetParse {
  let doc: Record<string, unknown>;
  try {
    doc = parse(stripBom(text));
  } catch (err) {
    return { ok: false, error: syntaxFailure(err, 'TOML', text) };
  }
  const notices: Notice[] = [];
  const metaRaw = doc.meta;
  if (!isTable(metaRaw))
    return {
      ok: false,
      error: {
        code: 'shape',
        key: 'meta',
        message: { zh: '预设缺少 [meta] 表', en: 'The preset has no [meta] table' },
      },
    };
  const meta = PresetMetaSchema.loose().safeParse(metaRaw);
  if (!meta.success) {
    const issue = meta.error.issues[0];
    const key = `meta.${issue?.path.join('.') ?? ''}`;
    return {
      ok: false,
      error: {
        code: 'shape',
        key,
        message: {
          zh: `预设元数据 ${key} 无效：${issue?.message ?? ''}`,
          en: `Preset metadata ${key} is invalid: ${issue?.message ?? ''}`,
        },
      },
    };
  }
  const newer = meta.data.version > PRESET_FORMAT_VERSION;
  if (newer)
    notices.push({
      key: 'meta.version',
      text: {
        zh: `该预设来自更新版本的丹炉（格式 ${meta.data.version}），无法识别的项已列出，其余照常载入`,
        en: `This preset comes from a newer Danlu (format ${meta.data.version}); unrecognised keys are listed and the rest loads normally`,
      },
    });
  const unknownKeys: string[] = [];
  for (const k of Object.keys(doc)) if (k !== 'meta' && k !== 'config' && k !== 'unset') unknownKeys.push(k);
  for (const k of Object.keys(metaRaw)) if (!(k in PresetMetaSchema.shape)) unknownKeys.push(`meta.${k}`);
  const configRaw = doc.config ?? {};
  if (!isTable(configRaw))
    return {
      ok: false,
      error: {
        code: 'shape',
        key: 'config',
        message: { zh: '[config] 必须是表', en: '[config] must be a table' },
      },
    };
  const read = readConfigTable(configRaw);
  if ('code' in read) return { ok: false, error: read };
  unknownKeys.push(...read.unknown.map((k) => `config.${k}`));
  const unset = readUnsetList(doc.unset);
  if ('code' in unset) return { ok: false, error: unset };
  unknownKeys.push(...unset.unknown.map((k) => `unset.${k}`));
  const values: Record<string, ParamValue | null> = { ...read.values };
  for (const id of unset.ids) values[id] = null;
  for (const k of unknownKeys)
    notices.push({ key: k, text: { zh: `未知的项 ${k}，未应用`, en: `Unknown key ${k} was not applied` } });
  const m = meta.data;
  const preset: Preset = {
    meta: {
      id: m.id,
      version: m.version,
      name: m.name,
      description: m.description,
      family: m.family,
      training_type: m.training_type,
      kind: m.kind,
      ...(m.default_repeats !== undefined ? { default_repeats: m.default_repeats } : {}),
      ...(m.min_vram_gb !== undefined ? { min_vram_gb: m.min_vram_gb } : {}),
    },
    config: {
      family: m.family,
      trainingType: m.training_type,
      kind: m.kind,
      values,
      subsets: [],
    },
  };
  return { ok: true, preset, notices, unknownKeys };
}

/**
 * The `unset = [...]` list of a preset: options the preset deliberately leaves "not set" (TOML has no
 * null). An option that kohya needs cannot be listed.
 */
function readUnsetList(raw: unknown): { ids: string[]; unknown: string[] } | ParseFailure {
  if (raw === undefined) return { ids: [], unknown: [] };
  if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'string'))
    return {
      code: 'shape',
      key: 'unset',
      message: { zh: 'unset 必须是参数名列表', en: 'unset must be a list of option names' },
    };
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const id of raw) {
    const entry = getEntry(id);
    if (!entry) unknown.push(id);
    else if (!canUnset(entry))
      return {
        code: 'value',
        key: `unset.${id}`,
        message: { zh: `${id} 不能留空（kohya 需要它）`, en: `${id} cannot be left unset (kohya needs it)` },
      };
    else ids.push(id);
  }
  return { ids, unknown };
}

/** Network/optimizer args go to their sub-tables; everything else is a flat key of `[config]`. */
function configTable(values: TrainingConfig['values']): Record<string, unknown> {
  const table: Record<string, unknown> = {};
  const sub: Record<'network_args' | 'optimizer_args', Record<string, unknown>> = {
    network_args: {},
    optimizer_args: {},
  };
  for (const id of Object.keys(values).sort()) {
    const v = values[id];
    if (v === null || v === undefined) continue;
    const dot = id.indexOf('.');
    const head = dot > 0 ? id.slice(0, dot) : '';
    if (head === 'network_args' || head === 'optimizer_args') sub[head][id.slice(dot + 1)] = v;
    else table[id] = v;
  }
  for (const name of ['network_args', 'optimizer_args'] as const)
    if (Object.keys(sub[name]).length > 0) table[name] = sub[name];
  return table;
}

/**
 * Write a preset as Danlu's TOML (the inverse of parsePreset): `[meta]`, `[config]` with the values that
 * differ from Danlu's defaults, and `unset = [...]` for options deliberately left "not set".
 */
export function stringifyPreset(preset: Preset): string {
  const { meta, config } = preset;
  const unset = Object.keys(config.values)
    .filter((id) => config.values[id] === null)
    .sort();
  const doc: Record<string, unknown> = {
    ...(unset.length > 0 ? { unset } : {}),
    meta: {
      ...meta,
      family: config.family,
      training_type: config.trainingType,
      ...(config.kind ? { kind: config.kind } : {}),
    },
    config: configTable(config.values),
  };
  return stringify(doc);
}
