import type { PresetList, PresetSummary } from '@danlu/contracts';
import { PRESET_FORMAT_VERSION, TrainingConfigSchema, type Preset } from '@danlu/params';

/** A preset as the pages use it, with where it came from. */
export interface LibraryPreset extends Preset {
  source: PresetSummary['source'];
}

/** `presets.list` → presets the stores can use; a summary whose config does not validate is left out. */
export function presetsFromList(list: PresetList): LibraryPreset[] {
  const out: LibraryPreset[] = [];
  for (const summary of list.presets) {
    const config = TrainingConfigSchema.safeParse(summary.config);
    if (!config.success) continue;
    out.push({
      source: summary.source,
      meta: {
        id: summary.id,
        version: PRESET_FORMAT_VERSION,
        name: summary.name,
        description: summary.description,
        family: summary.family,
        training_type: summary.trainingType,
        kind: summary.kind,
        ...(summary.defaultRepeats !== null ? { default_repeats: summary.defaultRepeats } : {}),
        ...(summary.minVramGb !== null ? { min_vram_gb: summary.minVramGb } : {}),
      },
      config: config.data,
    });
  }
  return out;
}
