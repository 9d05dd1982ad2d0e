import type { RunDetail } from '@danlu/contracts';
import StopCircleOutlined from '@mui/icons-material/StopCircleOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { progressFraction } from '../../stores/runsReducers.js';
import { useRunsStore } from '../../stores/runsStore.js';
import { monoFontFamily } from '../../theme/theme.js';
import { formatDuration, formatLoss, formatRate } from './format.js';
import { runAction } from './runActions.js';
import { canStop, StateChip, Term, type TermKey } from './RunBits.js';

function Stat({
  term,
  label,
  value,
  testId,
}: {
  term: TermKey;
  label: string;
  value: ReactNode;
  testId: string;
}) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
        <Term term={term}>{label}</Term>
      </Typography>
      <Typography
        data-testid={testId}
        variant="subtitle1"
        noWrap
        sx={{ fontFamily: monoFontFamily, fontWeight: 600, fontSize: '1rem' }}
      >
        {value}
      </Typography>
    </Box>
  );
}

function StopButton({ run }: { run: RunDetail }) {
  const { t } = useTranslation('runs');
  const [open, setOpen] = useState(false);
  if (!canStop(run.state)) return null;
  return (
    <>
      <Button
        data-testid="run-stop"
        color="error"
        variant="outlined"
        startIcon={<StopCircleOutlined />}
        onClick={() => {
          setOpen(true);
        }}
      >
        {t('stop.action')}
      </Button>
      <Dialog
        open={open}
        onClose={() => {
          setOpen(false);
        }}
        maxWidth="sm"
      >
        <DialogTitle>{t('stop.title')}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {run.state === 'queued' ? t('stop.queuedBody') : t('stop.body')}
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button
            onClick={() => {
              setOpen(false);
            }}
          >
            {t('stop.cancel')}
          </Button>
          <Button
            data-testid="run-stop-confirm"
            color="error"
            variant="contained"
            onClick={() => {
              setOpen(false);
              void runAction('runs.stop', { id: run.id }, t('stop.done'));
            }}
          >
            {t('stop.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** Title row, progress bar and the numbers of the selected run. */
export function ProgressCard({ run }: { run: RunDetail }) {
  const { t } = useTranslation('runs');
  const lastPoint = useRunsStore((state) => state.points.at(-1));
  const p = run.progress;
  const fraction = progressFraction(run);
  const rate = formatRate(p?.stepsPerSecond);
  const dash = t('progress.unknown');
  const loss = formatLoss(lastPoint?.loss ?? p?.averageLoss);
  const startup = run.startup;
  return (
    <Card sx={{ p: 2.5 }} data-testid="run-progress">
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1.5, minWidth: 0 }}>
        <Typography variant="h4" component="h2" noWrap sx={{ minWidth: 0 }} title={run.name}>
          {run.name}
        </Typography>
        <StateChip state={run.state} />
        {p && run.state === 'running' && (
          <Typography variant="body2" sx={{ color: 'text.secondary' }} noWrap data-testid="run-phase">
            <Term term="phase">{t(`phases.${p.phase}`)}</Term>
          </Typography>
        )}
        <Box sx={{ flex: 1 }} />
        <StopButton run={run} />
      </Stack>
      <LinearProgress
        variant={fraction === null && run.state === 'running' ? 'indeterminate' : 'determinate'}
        value={(fraction ?? 0) * 100}
        sx={{ height: 8, borderRadius: 4, mb: 1.5 }}
        aria-label={t('progress.title')}
      />
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: {
            xs: 'repeat(2, minmax(0, 1fr))',
            md: 'repeat(3, minmax(0, 1fr))',
            xl: 'repeat(6, minmax(0, 1fr))',
          },
        }}
      >
        <Stat
          term="step"
          label={t('charts.step')}
          testId="run-step"
          value={p ? `${String(p.step)} / ${String(p.totalSteps)}` : dash}
        />
        <Stat
          term="epoch"
          label={t('charts.epoch')}
          testId="run-epoch"
          value={p && p.totalEpochs > 0 ? `${String(p.epoch)} / ${String(p.totalEpochs)}` : dash}
        />
        <Stat
          term="rate"
          label={t('progress.rate')}
          testId="run-rate"
          value={
            rate
              ? t(rate.unit === 'it/s' ? 'progress.itPerSecond' : 'progress.secondsPerIt', {
                  value: rate.value,
                })
              : dash
          }
        />
        <Stat
          term="elapsed"
          label={t('progress.elapsed')}
          testId="run-elapsed"
          value={formatDuration(p?.elapsedSeconds) ?? dash}
        />
        <Stat
          term="eta"
          label={t('progress.eta')}
          testId="run-eta"
          // Only a run that is still going has time left; a failed run at step 1 is not "0:00 to go".
          value={(run.state === 'running' ? formatDuration(p?.etaSeconds) : undefined) ?? dash}
        />
        <Stat term="loss" label={t('progress.lastLoss')} testId="run-loss" value={loss ?? dash} />
      </Box>
      {startup?.totalSteps !== null && startup?.totalSteps !== undefined && (
        <Typography variant="caption" component="p" sx={{ color: 'text.secondary', mt: 1.5 }}>
          {t('detail.startup', {
            images: startup.images ?? dash,
            batches: startup.batchesPerEpoch ?? dash,
            steps: startup.totalSteps,
          })}
        </Typography>
      )}
      {!p && (run.state === 'starting' || run.state === 'running') && (
        <Typography variant="body2" sx={{ color: 'text.secondary', mt: 1.5 }}>
          {t('progress.waiting')}
        </Typography>
      )}
    </Card>
  );
}
