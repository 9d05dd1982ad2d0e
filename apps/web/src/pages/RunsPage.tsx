import ArrowForward from '@mui/icons-material/ArrowForward';
import AutoFixHighOutlined from '@mui/icons-material/AutoFixHighOutlined';
import TuneOutlined from '@mui/icons-material/TuneOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { PageRoot } from '../components/PageRoot.js';
import { pageIcons } from '../frame/pageIcons.js';
import { useNavigationStore } from '../stores/navigationStore.js';
import { activeRun } from '../stores/runsReducers.js';
import { selectDetail, selectRuns, selectSelectedId, useRunsStore } from '../stores/runsStore.js';
import { DiagnosisCard } from './runs/DiagnosisCard.js';
import { LogPanel } from './runs/LogPanel.js';
import { LossCharts } from './runs/LossCharts.js';
import { ProgressCard } from './runs/ProgressCard.js';
import { RunQueue } from './runs/RunQueue.js';
import { SampleGrid } from './runs/SampleGrid.js';

function EmptyState() {
  const { t } = useTranslation('runs');
  const navigate = useNavigationStore((state) => state.navigate);
  const Icon = pageIcons.runs;
  return (
    <Card sx={{ p: { xs: 3, md: 5 } }} data-testid="runs-empty">
      <Stack spacing={2} sx={{ alignItems: 'center', textAlign: 'center', maxWidth: 560, mx: 'auto' }}>
        <Icon sx={{ fontSize: 48, color: 'primary.main', opacity: 0.7 }} />
        <Typography variant="h4" component="h2">
          {t('empty.title')}
        </Typography>
        <Typography sx={{ color: 'text.secondary' }}>{t('empty.body')}</Typography>
        <Stack
          direction="row"
          spacing={1.5}
          sx={{ pt: 1, flexWrap: 'wrap', justifyContent: 'center', rowGap: 1 }}
        >
          <Button
            variant="contained"
            startIcon={<AutoFixHighOutlined />}
            onClick={() => {
              navigate('wizard');
            }}
          >
            {t('empty.wizard')}
          </Button>
          <Button
            variant="outlined"
            startIcon={<TuneOutlined />}
            onClick={() => {
              navigate('expert');
            }}
          >
            {t('empty.expert')}
          </Button>
        </Stack>
      </Stack>
    </Card>
  );
}

function SelectedRun() {
  const { t } = useTranslation('runs');
  const detail = useRunsStore(selectDetail);
  const navigate = useNavigationStore((state) => state.navigate);
  if (!detail) return null;
  return (
    <Stack spacing={2} sx={{ minWidth: 0 }} data-testid="run-detail" data-run-id={detail.id}>
      <ProgressCard run={detail} />
      <DiagnosisCard run={detail} />
      <LossCharts key={detail.id} />
      <SampleGrid runId={detail.id} samples={detail.samples} prompts={detail.prompts} />
      {detail.saves.length > 0 && (
        <Box>
          <Button
            endIcon={<ArrowForward />}
            onClick={() => {
              navigate('outputs');
            }}
            data-testid="run-open-outputs"
          >
            {t('detail.openOutputs')}
          </Button>
        </Box>
      )}
      <LogPanel key={detail.id} runId={detail.id} />
    </Stack>
  );
}

/** 训练任务: the queue on the left, the selected run live on the right. */
export function RunsPage() {
  const runs = useRunsStore(selectRuns);
  const loaded = useRunsStore((state) => state.loaded);
  const selectedId = useRunsStore(selectSelectedId);
  const select = useRunsStore((state) => state.select);
  const load = useRunsStore((state) => state.load);

  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);

  // Nothing chosen (or the chosen run was removed): show the running one, else the newest.
  useEffect(() => {
    if (!loaded) return;
    if (selectedId !== null && runs.some((r) => r.id === selectedId)) return;
    const next = activeRun(runs) ?? runs[0];
    void select(next?.id ?? null);
  }, [loaded, runs, selectedId, select]);

  return (
    <PageRoot id="runs">
      {loaded && runs.length === 0 ? (
        <EmptyState />
      ) : (
        <Box
          sx={{
            display: 'grid',
            gap: 2,
            alignItems: 'start',
            gridTemplateColumns: {
              xs: 'minmax(0, 1fr)',
              lg: '280px minmax(0, 1fr)',
              xl: '320px minmax(0, 1fr)',
            },
          }}
        >
          <Box
            sx={{
              position: { lg: 'sticky' },
              top: { lg: 0 },
              maxHeight: { lg: 'calc(100vh - 100px)' },
              display: 'flex',
              minHeight: 0,
            }}
          >
            <Box sx={{ flex: 1, minWidth: 0, display: 'flex' }}>
              <RunQueue />
            </Box>
          </Box>
          <SelectedRun />
        </Box>
      )}
    </PageRoot>
  );
}
