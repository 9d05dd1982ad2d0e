import type { RunSummary } from '@danlu/contracts';
import ArrowForward from '@mui/icons-material/ArrowForward';
import PlayCircleOutline from '@mui/icons-material/PlayCircleOutline';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { SectionCard } from '../../components/SectionCard.js';
import { useNavigationStore } from '../../stores/navigationStore.js';
import { progressFraction } from '../../stores/runsReducers.js';
import { useRunsStore } from '../../stores/runsStore.js';
import { formatDuration, formatLoss } from './format.js';
import { StateChip } from './RunBits.js';

/** Home's card for the run in progress: name, bar, step, last loss, time left, and the way to the monitor. */
export function CurrentRunCard({ run }: { run: RunSummary }) {
  const { t } = useTranslation('runs');
  const navigate = useNavigationStore((state) => state.navigate);
  const select = useRunsStore((state) => state.select);
  const fraction = progressFraction(run);
  const p = run.progress;
  const loss = formatLoss(p?.averageLoss);
  const eta = formatDuration(p?.etaSeconds);
  const facts = [
    p ? t('progress.stepOf', { step: p.step, total: p.totalSteps }) : undefined,
    loss !== null ? t('home.lastLoss', { value: loss }) : undefined,
    eta !== null ? t('home.eta', { value: eta }) : undefined,
  ].filter((x): x is string => x !== undefined);
  return (
    <SectionCard title={t('home.title')} icon={<PlayCircleOutline />} aside={<StateChip state={run.state} />}>
      <Stack spacing={1} data-testid="home-current-run">
        <Typography variant="subtitle1" noWrap title={run.name} sx={{ fontWeight: 600 }}>
          {run.name}
        </Typography>
        <LinearProgress
          variant={fraction === null ? 'indeterminate' : 'determinate'}
          value={(fraction ?? 0) * 100}
          sx={{ height: 6, borderRadius: 3 }}
        />
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {facts.join(' · ') || t('progress.waiting')}
        </Typography>
        <Stack direction="row">
          <Button
            size="small"
            endIcon={<ArrowForward />}
            onClick={() => {
              void select(run.id);
              navigate('runs');
            }}
          >
            {t('home.open')}
          </Button>
        </Stack>
      </Stack>
    </SectionCard>
  );
}
