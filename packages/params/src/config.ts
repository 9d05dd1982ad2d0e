import { z } from 'zod';
import { appliesTo, canUnset, defaultFor, getEntry, catalogue } from './catalogue';
import type { ParamEntry } from './catalogue';
import {
  ModelFamilySchema,
  ParamValueSchema,
  TrainingKindSchema,
  TrainingTypeSchema,
  type ParamValue,
  type Text,
} from './types';

/** Subset-level dataset keys that may be overridden per subset (they are `[general]`-level entries). */
export const SubsetSchema = z
  .object({
    imageDir: z.string().min(1),
    numRepeats: z.number().int().min(1),
    isReg: z.boolean().optional(),
    classTokens: z.string().optional(),
    captionExtension: z.string().optional(),
    keepTokens: z.number().int().min(0).optional(),
    /** Number of images in the folder, for the estimators (the dataset scanner fills it in). */
    imageCount: z.number().int().min(0).optional(),
    /** Images per bucket (without repeats), when the bucket simulation is known. */
    buckets: z
      .array(z.object({ width: z.number().int(), height: z.number().int(), count: z.number().int().min(0) }))
      .optional(),
    /** Per-subset values of `[general]`-level dataset entries (flip_aug, shuffle_caption, …). */
    overrides: z.record(z.string(), ParamValueSchema).optional(),
  })
  .strict();
export type Subset = z.infer<typeof SubsetSchema>;

/**
 * A full Danlu training configuration: the model family and training type choose the kohya script and
 * which catalogue entries apply; `values` holds only what differs from Danlu's defaults (catalogue ids).
 * A `null` value means "not set": the option is left out of the TOML, so kohya's own behaviour applies
 * (e.g. `max_train_epochs` not set lets `max_train_steps` decide the length).
 */
export const TrainingConfigSchema = z
  .object({
    family: ModelFamilySchema,
    trainingType: TrainingTypeSchema,
    kind: TrainingKindSchema.optional(),
    values: z.record(z.string(), ParamValueSchema.nullable()),
    subsets: z.array(SubsetSchema),
  })
  .strict();
export type TrainingConfig = z.infer<typeof TrainingConfigSchema>;

export type CoerceResult = { ok: true; value: ParamValue } | { ok: false; message: Text };

const fail = (zh: string, en: string): CoerceResult => ({ ok: false, message: { zh, en } });

function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'string') {
    const t = raw.trim();
    if (t === '') return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function toBool(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const t = raw.trim().toLowerCase();
    if (t === 'true' || t === '1' || t === 'yes') return true;
    if (t === 'false' || t === '0' || t === 'no' || t === '') return false;
  }
  if (typeof raw === 'number') return raw !== 0;
  return undefined;
}

function checkRange(entry: ParamEntry, n: number): CoerceResult | undefined {
  if (entry.min !== undefined && n < entry.min)
    return fail(
      `${entry.key} 不能小于 ${entry.min}（当前 ${n}）`,
      `${entry.key} must be at least ${entry.min} (got ${n})`,
    );
  if (entry.max !== undefined && n > entry.max)
    return fail(
      `${entry.key} 不能大于 ${entry.max}（当前 ${n}）`,
      `${entry.key} must be at most ${entry.max} (got ${n})`,
    );
  return undefined;
}

function numberList(raw: unknown): number[] | undefined {
  const items: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
  const out: number[] = [];
  for (const item of items) {
    const n = toNumber(item);
    if (n === undefined) return undefined;
    out.push(n);
  }
  return out;
}

/**
 * Turn a value from a form, a preset or a foreign file into the entry's type. Numbers written as strings
 * ("1e-4"), booleans as "True"/"false", resolutions as 512 / "512,512" / [512, 512] are accepted.
 */
export function coerceValue(entry: ParamEntry, raw: unknown): CoerceResult {
  const bad = () =>
    fail(
      `${entry.key} 的值类型不对：应为 ${entry.type}，实际是 ${JSON.stringify(raw)}`,
      `${entry.key} has the wrong type: expected ${entry.type}, got ${JSON.stringify(raw)}`,
    );
  switch (entry.type) {
    case 'bool': {
      const b = toBool(raw);
      return b === undefined ? bad() : { ok: true, value: b };
    }
    case 'int':
    case 'float': {
      const n = toNumber(raw);
      if (n === undefined) return bad();
      if (entry.type === 'int' && !Number.isInteger(n))
        return fail(`${entry.key} 必须是整数（当前 ${n}）`, `${entry.key} must be a whole number (got ${n})`);
      if (entry.choices && !entry.choices.includes(String(n)))
        return fail(
          `${entry.key} 只能是 ${entry.choices.join(' / ')}`,
          `${entry.key} must be one of ${entry.choices.join(' / ')}`,
        );
      return checkRange(entry, n) ?? { ok: true, value: n };
    }
    case 'string':
    case 'path': {
      if (typeof raw === 'string') return { ok: true, value: raw };
      if (typeof raw === 'number' || typeof raw === 'boolean') return { ok: true, value: String(raw) };
      return bad();
    }
    case 'enum': {
      if (typeof raw !== 'string') return bad();
      const choices = entry.choices ?? [];
      const exact =
        choices.find((c) => c === raw) ?? choices.find((c) => c.toLowerCase() === raw.toLowerCase());
      if (exact !== undefined) return { ok: true, value: exact };
      // Custom optimizer / scheduler classes are dotted paths that kohya imports itself.
      if ((entry.id === 'optimizer_type' || entry.id === 'network_module') && /^[\w]+(\.[\w]+)+$/.test(raw))
        return { ok: true, value: raw };
      return fail(
        `${entry.key} 不支持 “${raw}”，可选：${choices.join(', ')}`,
        `${entry.key} does not accept “${raw}”; choose one of ${choices.join(', ')}`,
      );
    }
    case 'resolution': {
      const nums = numberList(raw);
      if (!nums || nums.length < 1 || nums.length > 2 || nums.some((n) => !Number.isInteger(n) || n <= 0))
        return fail(
          `${entry.key} 应写成 “宽,高” 或 “边长”，例如 512,512`,
          `${entry.key} must be “width,height” or one size, e.g. 512,512`,
        );
      const [w, h = w] = nums as [number, number?];
      return { ok: true, value: `${w},${h}` };
    }
    case 'pair': {
      const nums = numberList(raw);
      if (nums?.length !== 2) return fail(`${entry.key} 应写成 “a,b”`, `${entry.key} must be written “a,b”`);
      return { ok: true, value: nums.join(',') };
    }
    case 'string_list': {
      if (typeof raw === 'string')
        return { ok: true, value: raw.split(/\r?\n/).filter((s) => s.trim() !== '') };
      if (Array.isArray(raw) && raw.every((s) => typeof s === 'string')) return { ok: true, value: raw };
      return bad();
    }
    case 'float_list': {
      const nums = numberList(raw);
      return nums ? { ok: true, value: nums } : bad();
    }
  }
}

export function parseResolution(value: ParamValue | undefined): [number, number] {
  const nums = typeof value === 'string' ? value.split(',').map((s) => Number(s.trim())) : [512];
  const w = nums[0] ?? 512;
  return [w, nums[1] ?? w];
}

/** The effective value of every applicable entry: Danlu defaults overlaid with the config's values. */
export function resolveValues(config: TrainingConfig): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  for (const entry of catalogue) {
    if (!appliesTo(entry, config.family, config.trainingType)) continue;
    const value = Object.hasOwn(config.values, entry.id)
      ? (config.values[entry.id] ?? null)
      : defaultFor(entry, config.family, config.trainingType);
    if (value !== null) out.set(entry.id, value);
  }
  return out;
}

/** A new configuration with nothing changed from the defaults. */
export function defaultConfig(
  family: TrainingConfig['family'],
  trainingType: TrainingConfig['trainingType'],
): TrainingConfig {
  return { family, trainingType, values: {}, subsets: [] };
}

export interface ValueIssue {
  id: string;
  message: Text;
}

/** Check every value of a configuration against the catalogue; unknown ids are issues too. */
export function checkValues(config: TrainingConfig): ValueIssue[] {
  const issues: ValueIssue[] = [];
  for (const [id, raw] of Object.entries(config.values)) {
    const entry = getEntry(id);
    if (!entry) {
      issues.push({ id, message: { zh: `未知参数 ${id}`, en: `Unknown parameter ${id}` } });
      continue;
    }
    if (raw === null) {
      if (!canUnset(entry) && appliesTo(entry, config.family, config.trainingType))
        issues.push({
          id,
          message: {
            zh: `${entry.key} 不能留空（kohya 需要它）`,
            en: `${entry.key} cannot be left unset (kohya needs it)`,
          },
        });
      continue;
    }
    const r = coerceValue(entry, raw);
    if (!r.ok) issues.push({ id, message: r.message });
  }
  return issues;
}

/** Whether two values are the same setting (lists item by item). */
export function sameParamValue(a: ParamValue | null | undefined, b: ParamValue | null | undefined): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => item === b[index]);
  }
  return (a ?? null) === (b ?? null);
}

/** Whether the configuration explicitly leaves an option "not set" although Danlu has a default for it. */
export function isUnset(config: TrainingConfig, id: string): boolean {
  return Object.hasOwn(config.values, id) && config.values[id] === null;
}

/** The stored value of an option, or its default for the config's family and type (null = not set). */
export function effectiveValue(config: TrainingConfig, entry: ParamEntry): ParamValue | null {
  if (Object.hasOwn(config.values, entry.id)) return config.values[entry.id] ?? null;
  return defaultFor(entry, config.family, config.trainingType);
}

/**
 * Apply a patch of values; `null` means "not set". The config keeps only what differs from Danlu's
 * defaults: a value equal to the default (or "not set" where the default is unset) is removed, so it
 * follows the default of another family or type later. Returns a new config.
 */
export function applyPatch(config: TrainingConfig, patch: Record<string, ParamValue | null>): TrainingConfig {
  const values = { ...config.values };
  for (const [k, v] of Object.entries(patch)) {
    const entry = getEntry(k);
    const fallback = entry ? defaultFor(entry, config.family, config.trainingType) : null;
    if (sameParamValue(v, fallback)) Reflect.deleteProperty(values, k);
    else values[k] = v;
  }
  return { ...config, values };
}

/** Return options to Danlu's defaults (removes them from the config, "not set" included). */
export function resetValues(config: TrainingConfig, ids: readonly string[]): TrainingConfig {
  const values = { ...config.values };
  for (const id of ids) Reflect.deleteProperty(values, id);
  return { ...config, values };
}
