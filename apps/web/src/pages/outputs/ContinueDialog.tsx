import type { RunDetail, SavedModel } from '@danlu/contracts';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useNavigationStore } from '../../stores/navigationStore.js';
import { runAction, showNewRun } from '../runs/runActions.js';

/** runs.continue: resume the latest state folder (picked by the backend), or start anew from a LoRA. */
export function ContinueDialog({
  run,
  model,
  open,
  onClose,
}: {
  run: RunDetail;
  model: SavedModel | undefined;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('outputs');
  const hasState = run.saves.some((s) => s.kind === 'state');
  const [mode, setMode] = useState<'resume_state' | 'from_weights'>(
    hasState ? 'resume_state' : 'from_weights',
  );
  const [extra, setExtra] = useState('2');
  const navigate = useNavigationStore((state) => state.navigate);
  const extraEpochs = Number(extra);
  const validExtra = Number.isInteger(extraEpochs) && extraEpochs >= 1 && extraEpochs <= 1000;
  return (
    <Dialog open={open} onClose={onClose} maxWidth="sm" fullWidth>
      <DialogTitle>{t('continue.title')}</DialogTitle>
      <DialogContent>
        <RadioGroup
          value={mode}
          onChange={(event) => {
            setMode(event.target.value as typeof mode);
          }}
        >
          <FormControlLabel
            value="resume_state"
            disabled={!hasState}
            control={<Radio />}
            label={
              <Stack>
                <Typography variant="body2">{t('continue.resume')}</Typography>
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {hasState ? t('continue.resumeHint') : t('continue.noState')}
                </Typography>
              </Stack>
            }
            sx={{ alignItems: 'flex-start', mb: 1, '& .MuiRadio-root': { pt: 0.25 } }}
          />
          <FormControlLabel
            value="from_weights"
            disabled={!model}
            control={<Radio />}
            label={
              <Stack>
                <Typography variant="body2">{t('continue.fromWeights')}</Typography>
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {t('continue.fromWeightsHint')} {model ? `(${model.name})` : ''}
                </Typography>
              </Stack>
            }
            sx={{ alignItems: 'flex-start', '& .MuiRadio-root': { pt: 0.25 } }}
          />
        </RadioGroup>
        <TextField
          size="small"
          type="number"
          label={t('continue.extraEpochs')}
          value={extra}
          error={!validExtra}
          onChange={(event) => {
            setExtra(event.target.value);
          }}
          sx={{ mt: 2, width: 160 }}
          slotProps={{ htmlInput: { min: 1, max: 1000, 'data-testid': 'continue-epochs' } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('continue.cancel')}</Button>
        <Button
          variant="contained"
          data-testid="continue-confirm"
          disabled={!validExtra}
          onClick={() => {
            onClose();
            void runAction(
              'runs.continue',
              {
                id: run.id,
                mode,
                extraEpochs,
                ...(mode === 'from_weights' && model ? { file: model.file } : {}),
              },
              t('continue.done'),
            ).then(async (created) => {
              if (!created) return;
              await showNewRun(created.id);
              navigate('runs');
            });
          }}
        >
          {t('continue.confirm')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
