import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { UiError } from '../../bridge/types.js';
import { ErrorDetails } from '../../components/ErrorDetails.js';
import { newJobId, useDatasetStore } from '../../stores/datasetStore.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { Term } from './Term.js';

const sizes = ['512x512', '512x768', '768x512', '1024x1024', 'keep'] as const;
type Crop = 'focus' | 'center' | 'entropy' | 'keep';

function suggestOut(dir: string): string {
  const trimmed = dir.replace(/[\\/]+$/, '');
  return `${trimmed}_prepared`;
}

/** A processed copy of the folder in a new folder: crop/resize, rotation, alpha, colour; originals untouched. */
export function PrepareDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  // the form is mounted only while open, so each opening starts from fresh suggestions
  return open ? <PrepareForm onClose={onClose} /> : null;
}

function PrepareForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('dataset');
  const dir = useDatasetStore((s) => s.dir);
  const progress = useDatasetStore((s) => s.progress);
  const [outDir, setOutDir] = useState(() => suggestOut(dir));
  const [size, setSize] = useState<(typeof sizes)[number]>('512x512');
  const [crop, setCrop] = useState<Crop>('focus');
  const [job, setJob] = useState<string | undefined>();
  const [error, setError] = useState<UiError | undefined>();
  const live = job ? progress[job] : undefined;
  const start = async () => {
    const id = newJobId('prepare');
    setJob(id);
    setError(undefined);
    const keep = size === 'keep';
    const [w, h] = keep ? [1024, 1024] : size.split('x').map(Number);
    const result = await useDatasetStore.getState().prepare({
      outDir: outDir.trim(),
      crop: keep ? 'keep' : crop,
      ...(keep ? { longSide: 1024 } : { size: [w ?? 512, h ?? 512] as [number, number] }),
      jobId: id,
    });
    setJob(undefined);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    const text = t('prepare.done', { count: result.data.written, dir: result.data.outDir });
    const detail = result.data.failed.map((f) => `${f.relPath}: ${f.message}`).join('\n');
    useFeedbackStore
      .getState()
      .show(detail === '' ? { kind: 'success', text } : { kind: 'warning', text, detail });
    onClose();
    if (!result.data.cancelled) {
      useDatasetStore.getState().setDir(result.data.outDir);
      void useDatasetStore.getState().open(true);
    }
  };
  return (
    <Dialog
      open
      onClose={job ? undefined : onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="dataset-prepare-title"
    >
      <DialogTitle id="dataset-prepare-title">{t('prepare.title')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <Typography variant="body2" color="text.secondary">
            {t('prepare.intro')}
          </Typography>
          <TextField
            label={t('prepare.outDir')}
            value={outDir}
            size="small"
            onChange={(e) => {
              setOutDir(e.target.value);
            }}
            helperText={t('prepare.outHelp')}
            slotProps={{ htmlInput: { 'data-testid': 'dataset-prepare-out', spellCheck: false } }}
          />
          <TextField
            select
            size="small"
            label={t('prepare.size')}
            value={size}
            onChange={(e) => {
              setSize(e.target.value as (typeof sizes)[number]);
            }}
          >
            {sizes.map((s) => (
              <MenuItem key={s} value={s}>
                {s === 'keep' ? t('prepare.keep') : s.replace('x', '×')}
              </MenuItem>
            ))}
          </TextField>
          {size !== 'keep' && (
            <TextField
              select
              size="small"
              label={<Term id="crop" />}
              value={crop}
              onChange={(e) => {
                setCrop(e.target.value as Crop);
              }}
            >
              <MenuItem value="focus">{t('prepare.crops.focus')}</MenuItem>
              <MenuItem value="center">{t('prepare.crops.center')}</MenuItem>
              <MenuItem value="entropy">{t('prepare.crops.entropy')}</MenuItem>
            </TextField>
          )}
          {job && (
            <Stack spacing={0.5}>
              <LinearProgress
                variant={live && live.total > 0 ? 'determinate' : 'indeterminate'}
                value={live && live.total > 0 ? (live.done / live.total) * 100 : 0}
              />
              <Typography variant="caption" noWrap>
                {t('prepare.progress', {
                  done: live?.done ?? 0,
                  total: live?.total ?? 0,
                  file: live?.item ?? '',
                })}
              </Typography>
            </Stack>
          )}
          {error && (
            <Alert severity="error">
              <ErrorDetails error={error} />
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        {job ? (
          <Button
            onClick={() => {
              void useDatasetStore.getState().cancel(job);
            }}
          >
            {t('prepare.cancel')}
          </Button>
        ) : (
          <Button onClick={onClose}>{t('prepare.close')}</Button>
        )}
        <Button
          variant="contained"
          disabled={job !== undefined || outDir.trim() === ''}
          onClick={() => {
            void start();
          }}
          data-testid="dataset-prepare-start"
        >
          {t('prepare.start')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
