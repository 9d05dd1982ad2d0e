import {
  checkConfig,
  estimateAll,
  resolveValues,
  STEP_RANGES,
  type GpuInfo,
  type TrainingConfig,
} from '@danlu/params';
import { useMemo } from 'react';

import { primaryGpu, vramGb } from '../../lib/gpu.js';
import { selectPresets, useExpertStore } from '../../stores/expertStore.js';
import { selectGpuReport, useGpuStore } from '../../stores/gpuStore.js';
import { selectFolders, useSettingsStore } from '../../stores/settingsStore.js';
import { useWizardStore } from '../../stores/wizardStore.js';
import {
  buildWizardConfig,
  effectiveKind,
  knobDefaults,
  pickPresetId,
  type WizardChoices,
} from './wizardConfig.js';

/** The wizard's choices only (not its loading states), so the plan is recomputed when they change. */
function useChoices(): WizardChoices {
  const s = useWizardStore();
  return useMemo(
    () => ({
      subject: s.subject,
      look: s.look,
      modelPath: s.modelPath,
      family: s.family,
      datasetDir: s.datasetDir,
      imageCount: s.imageCount,
      subsets: s.subsets,
      triggerWord: s.triggerWord,
      epochs: s.epochs,
      repeats: s.repeats,
      resolution: s.resolution,
      dim: s.dim,
      batch: s.batch,
      patch: s.patch,
    }),
    [
      s.subject,
      s.look,
      s.modelPath,
      s.family,
      s.datasetDir,
      s.imageCount,
      s.subsets,
      s.triggerWord,
      s.epochs,
      s.repeats,
      s.resolution,
      s.dim,
      s.batch,
      s.patch,
    ],
  );
}

export function useGpuInfo(): GpuInfo | undefined {
  const report = useGpuStore(selectGpuReport);
  const gpu = primaryGpu(report);
  return useMemo(() => (gpu ? { name: gpu.name, vramGb: vramGb(gpu.memoryTotalMiB) } : undefined), [gpu]);
}

/** Everything the steps show: the preset, the knobs, the config, the rule results and the estimates. */
export function useWizardPlan() {
  const choices = useChoices();
  const presets = useExpertStore(selectPresets);
  const gpu = useGpuInfo();
  const outputs = useSettingsStore(selectFolders)?.outputs;
  return useMemo(() => {
    const presetId = pickPresetId(choices, gpu?.vramGb);
    const preset = presets.find((p) => p.meta.id === presetId);
    const knobs = knobDefaults(choices, preset);
    const config: TrainingConfig = buildWizardConfig(choices, preset, outputs);
    const results = checkConfig(config, gpu ? { gpu } : {});
    const estimates = estimateAll(config, gpu);
    const values = resolveValues(config);
    return {
      choices,
      presetId,
      preset,
      knobs,
      config,
      values,
      results,
      errors: results.filter((r) => r.severity === 'error'),
      warnings: results.filter((r) => r.severity === 'warning'),
      estimates,
      range: STEP_RANGES[effectiveKind(choices)],
      gpu,
    };
  }, [choices, presets, gpu, outputs]);
}

export type WizardPlan = ReturnType<typeof useWizardPlan>;
