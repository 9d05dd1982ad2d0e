import PlayArrow from '@mui/icons-material/PlayArrow';
import Button from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { TrainingConfig } from '@danlu/params';

import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { useNavigationStore } from '../../stores/navigationStore.js';
import { runAction, showNewRun } from './runActions.js';

/**
 * Creates a run from a configuration (the backend validates and rule-checks it) and opens the monitor.
 * The Expert page passes its current config; the wizard can use the same button.
 */
export function StartRunButton({ getConfig, name }: { getConfig: () => TrainingConfig; name?: string }) {
  const { t } = useTranslation('runs');
  const [busy, setBusy] = useState(false);
  const navigate = useNavigationStore((state) => state.navigate);
  return (
    <Tooltip title={t('start.tooltip')}>
      <span>
        <Button
          data-testid="start-training"
          variant="contained"
          startIcon={<PlayArrow />}
          disabled={busy}
          sx={{ flex: 'none' }}
          onClick={() => {
            setBusy(true);
            void runAction('runs.create', { config: getConfig(), ...(name ? { name } : {}) })
              .then(async (created) => {
                if (!created) return;
                useFeedbackStore.getState().show({
                  kind: 'success',
                  text: created.state === 'queued' ? t('start.queued') : t('start.created'),
                });
                await showNewRun(created.id);
                navigate('runs');
              })
              .finally(() => {
                setBusy(false);
              });
          }}
        >
          {t('start.action')}
        </Button>
      </span>
    </Tooltip>
  );
}
