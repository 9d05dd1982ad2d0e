import type { UiError } from '../../bridge/types.js';
import { api } from '../../bridge/api.js';
import { presetsFromList } from '../../lib/presetList.js';
import { useExpertStore } from '../../stores/expertStore.js';

/** The preset library from the backend into the Expert store; the bundled copy stays on failure. */
export async function refreshPresets(): Promise<UiError | undefined> {
  const answer = await api.call('presets.list', {});
  if (!answer.ok) return answer.error;
  useExpertStore.getState().setPresets(presetsFromList(answer.data));
  return undefined;
}

export async function saveAsPreset(name: string, overwriteId?: string): Promise<UiError | undefined> {
  const { config } = useExpertStore.getState();
  const answer = await api.call('presets.save', {
    name,
    config,
    ...(overwriteId ? { id: overwriteId } : {}),
    ...(config.kind ? { kind: config.kind } : {}),
  });
  if (!answer.ok) return answer.error;
  const failed = await refreshPresets();
  if (failed) return failed;
  // The saved preset becomes the baseline: nothing differs from it now.
  useExpertStore.getState().loadConfig(config, answer.data.id);
  return undefined;
}

export async function renamePreset(id: string, name: string): Promise<UiError | undefined> {
  const answer = await api.call('presets.rename', { id, name });
  if (!answer.ok) return answer.error;
  return refreshPresets();
}

export async function deletePreset(id: string): Promise<UiError | undefined> {
  const answer = await api.call('presets.delete', { id });
  if (!answer.ok) return answer.error;
  return refreshPresets();
}
