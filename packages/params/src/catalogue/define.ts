import type { Level, ModelFamily, ParamValue, Section, TrainingType } from '../types';
import type { ParamEntry, ParamType } from './entry';

export const ALL_FAMILIES: ModelFamily[] = ['sd1', 'sd2', 'sdxl'];
export const NETWORK_TYPES: TrainingType[] = ['lora', 'lycoris'];
export const ALL_TYPES: TrainingType[] = ['lora', 'lycoris', 'dreambooth'];
export const DB_ONLY: TrainingType[] = ['dreambooth'];

export type Extra = Partial<
  Omit<ParamEntry, 'key' | 'type' | 'default' | 'level' | 'label' | 'help' | 'section'>
>;

/**
 * Build one entry. Positional arguments keep the long tables readable:
 * key, type, Danlu default, level, zh label, en label, zh help, en help, extras.
 */
export function entryFactory(section: Section, base: Extra = {}) {
  return function o(
    key: string,
    type: ParamType,
    def: ParamValue | null,
    level: Level,
    labelZh: string,
    labelEn: string,
    helpZh: string,
    helpEn: string,
    extra: Extra = {},
  ): ParamEntry {
    const merged = { ...base, ...extra };
    const place = merged.place ?? 'config';
    const id =
      merged.id ?? (place === 'network_args' || place === 'optimizer_args' ? `${place}.${key}` : key);
    return {
      ...merged,
      id,
      key,
      place,
      hasCliOption: merged.hasCliOption ?? (place === 'config' || place === 'dataset'),
      type,
      default: def,
      families: merged.families ?? ALL_FAMILIES,
      types: merged.types ?? NETWORK_TYPES,
      level,
      section,
      label: { zh: labelZh, en: labelEn },
      help: { zh: helpZh, en: helpEn },
    };
  };
}
