import type { SettingsPatch } from '@danlu/contracts';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

import { useFeedbackStore } from '../stores/feedbackStore.js';
import { useSettingsStore } from '../stores/settingsStore.js';

/** Applies a settings change at once; if the server refuses it, it is undone and the reason is shown. */
export function useUpdateSettings(): (patch: SettingsPatch) => void {
  const { t } = useTranslation('settings');
  const update = useSettingsStore((state) => state.update);
  const show = useFeedbackStore((state) => state.show);
  return useCallback(
    (patch: SettingsPatch) => {
      void update(patch).then((result) => {
        if (!result.ok) show({ kind: 'error', text: t('saveFailed'), error: result.error });
      });
    },
    [update, show, t],
  );
}
