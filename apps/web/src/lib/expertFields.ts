import type { ExperienceLevel } from '@danlu/contracts';
import {
  appliesTo,
  canUnset,
  catalogue,
  coerceValue,
  effectiveValue,
  sections,
  type ParamEntry,
  type ParamValue,
  type Section,
  type Text,
  type TrainingConfig,
} from '@danlu/params';

/** Pure helpers of the Expert page: which fields show, how typed text becomes a value, what changed. */

const levelRank: Record<ExperienceLevel, number> = { beginner: 0, advanced: 1, expert: 2 };

/** Beginner sees beginner fields, advanced sees beginner + advanced, expert sees all. */
export function visibleAtLevel(entry: Pick<ParamEntry, 'level'>, level: ExperienceLevel): boolean {
  return levelRank[entry.level] <= levelRank[level];
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[\s_\-.]+/g, '');
}

/** A search over the kohya key, the catalogue id and both languages' labels; every word must match. */
export function matchesSearch(entry: Pick<ParamEntry, 'id' | 'key' | 'label'>, query: string): boolean {
  const words = query.trim().split(/\s+/).filter(Boolean).map(normalise).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [entry.id, entry.key, entry.label.zh, entry.label.en].map(normalise).join('\n');
  return words.every((word) => haystack.includes(word));
}

export interface FieldFilter {
  family: TrainingConfig['family'];
  trainingType: TrainingConfig['trainingType'];
  level: ExperienceLevel;
  query: string;
  /** Ids shown whatever the level (a rule result pointed at them). */
  revealed?: ReadonlySet<string>;
}

/** The entries to show, in catalogue order, grouped by section (every section present, maybe empty). */
export function visibleFields(
  filter: FieldFilter,
  entries: readonly ParamEntry[] = catalogue,
): Record<Section, ParamEntry[]> {
  const out = Object.fromEntries(sections.map((section) => [section, [] as ParamEntry[]])) as Record<
    Section,
    ParamEntry[]
  >;
  for (const entry of entries) {
    if (!appliesTo(entry, filter.family, filter.trainingType)) continue;
    if (!visibleAtLevel(entry, filter.level) && !filter.revealed?.has(entry.id)) continue;
    if (!matchesSearch(entry, filter.query)) continue;
    out[entry.section].push(entry);
  }
  return out;
}

/** The section to show: the chosen one while it has fields, else the first section that has some. */
export function effectiveSection(chosen: Section, fields: Record<Section, ParamEntry[]>): Section {
  if (fields[chosen].length > 0) return chosen;
  return sections.find((section) => fields[section].length > 0) ?? chosen;
}

/** A value's effective form in a configuration: what it stores, else Danlu's default (null = unset). */
export function valueIn(config: TrainingConfig, entry: ParamEntry): ParamValue | null {
  return effectiveValue(config, entry);
}

export function sameValue(a: ParamValue | null | undefined, b: ParamValue | null | undefined): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => item === b[index]);
  }
  const empty = (v: ParamValue | null | undefined) => v === null || v === undefined || v === '';
  if (empty(a) && empty(b)) return true;
  return a === b;
}

/**
 * The preset as the baseline for the current family and type: the preset's values over Danlu's
 * defaults of the family/type now chosen.
 */
export function baselineFor(
  preset: TrainingConfig | undefined,
  family: TrainingConfig['family'],
  trainingType: TrainingConfig['trainingType'],
): TrainingConfig {
  return { family, trainingType, values: { ...preset?.values }, subsets: [] };
}

/** Whether a field's value differs from the preset's. */
export function changedFromPreset(
  config: TrainingConfig,
  baseline: TrainingConfig,
  entry: ParamEntry,
): boolean {
  return !sameValue(valueIn(config, entry), valueIn(baseline, entry));
}

/** Ids of every applicable field whose value differs from the preset's. */
export function changedIds(config: TrainingConfig, baseline: TrainingConfig): string[] {
  return catalogue
    .filter((entry) => appliesTo(entry, config.family, config.trainingType))
    .filter((entry) => changedFromPreset(config, baseline, entry))
    .map((entry) => entry.id);
}

/** A value as the text a field shows while editing. */
export function formatValue(entry: ParamEntry, value: ParamValue | null): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(entry.type === 'string_list' ? '\n' : ', ');
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

/** 0.0001 → "1e-4" (how kohya users write learning rates), other numbers as they are. */
export function formatNumber(value: number): string {
  if (value !== 0 && Math.abs(value) < 0.001) {
    const [mantissa = '', exponent = ''] = value.toExponential().split('e');
    return `${mantissa}e${exponent.replace('+', '')}`;
  }
  return String(value);
}

export type FieldInput = { ok: true; value: ParamValue | null } | { ok: false; message: Text };

const required: Text = { zh: '此项不能为空', en: 'This cannot be empty' };

/**
 * Text typed into a field → the value to store. Empty means "not set" (left out of the TOML) wherever
 * kohya allows it; it is refused for what kohya needs (the resolution).
 */
export function parseFieldInput(entry: ParamEntry, text: string, _config: TrainingConfig): FieldInput {
  const blank = text.trim() === '';
  if (blank) {
    if (canUnset(entry)) return { ok: true, value: null };
    return { ok: false, message: required };
  }
  const raw =
    entry.type === 'string' || entry.type === 'path' || entry.type === 'string_list' ? text : text.trim();
  const result = coerceValue(entry, raw);
  return result.ok ? { ok: true, value: result.value } : { ok: false, message: result.message };
}

/**
 * The patch that stores a value; `null` = "not set". applyPatch keeps the config minimal (a value equal
 * to Danlu's default is dropped).
 */
export function patchFor(entry: ParamEntry, value: ParamValue | null): Record<string, ParamValue | null> {
  return { [entry.id]: value };
}

/** The step of a number input: the catalogue's, else 1 for whole numbers and "any" for floats. */
export function stepFor(entry: ParamEntry): number | 'any' {
  if (entry.step !== undefined) return entry.step;
  return entry.type === 'int' ? 1 : 'any';
}

/** Lines of `text` that are not in `baseline` (by content), for marking changed TOML lines. */
export function changedLines(text: string, baseline: string): Set<number> {
  const before = new Set(baseline.split('\n'));
  const out = new Set<number>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() !== '' && !before.has(line)) out.add(index);
  });
  return out;
}
