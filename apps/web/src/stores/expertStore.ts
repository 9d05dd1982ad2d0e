import {
  applyPatch,
  defaultConfig,
  getEntry,
  type ModelFamily,
  type ParamValue,
  type Preset,
  type Section,
  type TrainingConfig,
  type TrainingType,
} from '@danlu/params';
import { create } from 'zustand';

import { baselineFor, matchesSearch, patchFor, valueIn } from '../lib/expertFields.js';
import type { LibraryPreset } from '../lib/presetList.js';
import { builtInPresets } from '../lib/presets.js';

export interface FocusRequest {
  id: string;
  /** Increases with every request, so asking for the same field twice focuses it again. */
  serial: number;
}

export interface ExpertState {
  /** Bundled presets until `presets.list` answers, then bundled + the user's own. */
  presets: readonly LibraryPreset[];
  config: TrainingConfig;
  /** The preset the configuration started from; null = Danlu's defaults. */
  presetId: string | null;
  /** The preset's values for the current family and type: what "changed" and ↺ compare with. */
  baseline: TrainingConfig;
  section: Section;
  query: string;
  /** Fields shown above the experience level because a rule result pointed at them. */
  revealed: ReadonlySet<string>;
  focus: FocusRequest | undefined;
  /** Inputs of the step estimate (the dataset page fills real subsets later). */
  estimateImages: number;
  estimateRepeats: number;
  setValue: (id: string, value: ParamValue | null) => void;
  resetField: (id: string) => void;
  resetAll: () => void;
  applyFix: (patch: Record<string, ParamValue | null>) => void;
  setFamily: (family: ModelFamily) => void;
  setTrainingType: (trainingType: TrainingType) => void;
  choosePreset: (id: string | null) => void;
  /** New preset library (after presets.list / save / rename / delete); the current config is kept. */
  setPresets: (presets: readonly LibraryPreset[]) => void;
  /** Take over a configuration (from the wizard or an imported file), compared with preset `presetId`. */
  loadConfig: (config: TrainingConfig, presetId: string | null) => void;
  setSection: (section: Section) => void;
  setQuery: (query: string) => void;
  focusField: (id: string) => void;
  setEstimateInput: (input: { images?: number; repeats?: number }) => void;
}

function startFrom(
  preset: Preset | undefined,
): Pick<ExpertState, 'config' | 'presetId' | 'baseline' | 'estimateRepeats'> {
  const config = preset ? structuredClone(preset.config) : defaultConfig('sd1', 'lora');
  return {
    config,
    presetId: preset?.meta.id ?? null,
    baseline: baselineFor(preset?.config, config.family, config.trainingType),
    estimateRepeats: preset?.meta.default_repeats ?? 10,
  };
}

export function createExpertStore(initial: readonly Preset[]) {
  const start: LibraryPreset[] = initial.map((preset) => ({ ...preset, source: 'bundled' }));
  return create<ExpertState>()((set, get) => {
    const find = (id: string | null) => get().presets.find((preset) => preset.meta.id === id);
    return {
      presets: start,
      ...startFrom(start[0]),
      section: 'model',
      query: '',
      revealed: new Set(),
      focus: undefined,
      estimateImages: 20,

      setValue(id, value) {
        const entry = getEntry(id);
        if (!entry) return;
        const { config } = get();
        set({ config: applyPatch(config, patchFor(entry, value)) });
      },

      resetField(id) {
        const entry = getEntry(id);
        if (!entry) return;
        get().setValue(id, valueIn(get().baseline, entry));
      },

      resetAll() {
        const { config, baseline } = get();
        set({ config: { ...config, values: { ...baseline.values } } });
      },

      applyFix(patch) {
        set({ config: applyPatch(get().config, patch) });
      },

      setFamily(family) {
        const { config, presetId } = get();
        set({
          config: { ...config, family },
          baseline: baselineFor(find(presetId)?.config, family, config.trainingType),
        });
      },

      setTrainingType(trainingType) {
        const { config, presetId } = get();
        set({
          config: { ...config, trainingType },
          baseline: baselineFor(find(presetId)?.config, config.family, trainingType),
        });
      },

      choosePreset(id) {
        set(startFrom(find(id)));
      },

      setPresets(presets) {
        const { presetId, config } = get();
        const kept = presets.some((preset) => preset.meta.id === presetId);
        const preset = presets.find((p) => p.meta.id === presetId);
        set({
          presets,
          // A deleted preset leaves the configuration as it is, now compared with Danlu's defaults.
          presetId: kept ? presetId : null,
          baseline: baselineFor(preset?.config, config.family, config.trainingType),
        });
      },

      loadConfig(config, presetId) {
        const preset = find(presetId);
        set({
          config: structuredClone(config),
          presetId: preset ? presetId : null,
          baseline: baselineFor(preset?.config, config.family, config.trainingType),
          ...(preset?.meta.default_repeats !== undefined
            ? { estimateRepeats: preset.meta.default_repeats }
            : {}),
        });
      },

      setSection(section) {
        set({ section });
      },

      setQuery(query) {
        set({ query });
      },

      focusField(id) {
        const entry = getEntry(id);
        if (!entry) return;
        const { revealed, focus, query } = get();
        set({
          section: entry.section,
          // A search that hides the field would make the click do nothing.
          query: matchesSearch(entry, query) ? query : '',
          revealed: revealed.has(id) ? revealed : new Set([...revealed, id]),
          focus: { id, serial: (focus?.serial ?? 0) + 1 },
        });
      },

      setEstimateInput({ images, repeats }) {
        set({
          ...(images !== undefined ? { estimateImages: images } : {}),
          ...(repeats !== undefined ? { estimateRepeats: repeats } : {}),
        });
      },
    };
  });
}

export const useExpertStore = createExpertStore(builtInPresets);

export const selectConfig = (state: ExpertState) => state.config;
export const selectFamily = (state: ExpertState) => state.config.family;
export const selectTrainingType = (state: ExpertState) => state.config.trainingType;
export const selectPresetId = (state: ExpertState) => state.presetId;
export const selectPresets = (state: ExpertState) => state.presets;
export const selectBaseline = (state: ExpertState) => state.baseline;
export const selectSection = (state: ExpertState) => state.section;
export const selectQuery = (state: ExpertState) => state.query;
export const selectRevealed = (state: ExpertState) => state.revealed;
/** One field's stored value (undefined = Danlu's default): rows re-render only when theirs changes. */
export const selectStoredValue = (id: string) => (state: ExpertState) => state.config.values[id];
export const selectBaselineValue = (id: string) => (state: ExpertState) => state.baseline.values[id];
/** The focus serial for one field, 0 when another field was asked for. */
export const selectFocusSerial = (id: string) => (state: ExpertState) =>
  state.focus?.id === id ? state.focus.serial : 0;
