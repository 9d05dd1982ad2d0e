import type { ModelFamily, TrainingType } from '../types';
import { captionEntries } from './captions';
import { datasetEntries } from './dataset';
import type { ParamEntry } from './entry';
import { modelEntries } from './model';
import { networkEntries } from './network';
import { noiseEntries } from './noise';
import { optimizerEntries } from './optimizer';
import { advancedEntries, samplingEntries, savingEntries } from './output';
import { trainingEntries } from './training';

export * from './entry';
export { optimizerNames, schedulerNames } from './optimizer';

/** Every option Danlu knows, in display order (section by section). */
export const catalogue: readonly ParamEntry[] = Object.freeze([
  ...modelEntries,
  ...datasetEntries,
  ...captionEntries,
  ...networkEntries,
  ...optimizerEntries,
  ...trainingEntries,
  ...samplingEntries,
  ...savingEntries,
  ...noiseEntries,
  ...advancedEntries,
]);

const byId = new Map<string, ParamEntry>(catalogue.map((e) => [e.id, e]));

export function getEntry(id: string): ParamEntry | undefined {
  return byId.get(id);
}

export function entryOrThrow(id: string): ParamEntry {
  const e = byId.get(id);
  if (!e) throw new Error(`unknown catalogue id: ${id}`);
  return e;
}

/** Whether an option exists for this model family and training type (the script's option set). */
export function appliesTo(entry: ParamEntry, family: ModelFamily, type: TrainingType): boolean {
  return entry.families.includes(family) && entry.types.includes(type);
}

/**
 * Whether a value can be cleared to "not set" (left out of the TOML so kohya's own behaviour applies).
 * Booleans are "not set" when off already (kohya's flags are store_true), so they have no separate state.
 */
export function canUnset(entry: ParamEntry): boolean {
  return entry.required !== true && entry.type !== 'bool';
}

/** Danlu's default for an entry in this context (type overrides family overrides base). */
export function defaultFor(entry: ParamEntry, family: ModelFamily, type: TrainingType) {
  const byType = entry.typeDefaults?.[type];
  if (byType !== undefined) return byType;
  const byFamily = entry.familyDefaults?.[family];
  if (byFamily !== undefined) return byFamily;
  return entry.default;
}
