import type { Gpu, GpuReport } from '@danlu/contracts';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import MemoryOutlined from '@mui/icons-material/MemoryOutlined';
import RefreshOutlined from '@mui/icons-material/RefreshOutlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import CircularProgress from '@mui/material/CircularProgress';
import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { ErrorDetails } from '../components/ErrorDetails.js';
import { PageRoot } from '../components/PageRoot.js';
import { SectionCard } from '../components/SectionCard.js';
import { vramGb } from '../lib/gpu.js';
import { useEnvironmentStore } from '../stores/environmentStore.js';
import { selectGpuError, selectGpuLoading, selectGpuReport, useGpuStore } from '../stores/gpuStore.js';
import { selectLanguage, useSettingsStore } from '../stores/settingsStore.js';
import { monoFontFamily } from '../theme/theme.js';
import { DoctorCardList } from './environment/DoctorCards.js';
import { EnginesCard } from './environment/EnginesCard.js';
import { InstallCard } from './environment/InstallCard.js';
import { capabilityGuess, useEnvironmentLive } from './environment/live.js';
import { Term } from './environment/Term.js';
import { useBilingual } from './environment/text.js';

function Fact({ label, value, mono = false }: { label: string; value: string; mono?: boolean }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
        {label}
      </Typography>
      <Typography
        variant="body2"
        translate={mono ? 'no' : undefined}
        sx={mono ? { fontFamily: monoFontFamily, wordBreak: 'break-all' } : undefined}
      >
        {value}
      </Typography>
    </Box>
  );
}

function GpuRow({ gpu, chosen, onToggle }: { gpu: Gpu; chosen: boolean; onToggle: () => void }) {
  const { t } = useTranslation(['pages', 'environment']);
  const total = vramGb(gpu.memoryTotalMiB);
  const used = gpu.memoryUsedMiB === undefined ? undefined : vramGb(gpu.memoryUsedMiB);
  return (
    <Box sx={{ p: 2, borderRadius: 2, border: 1, borderColor: 'divider' }}>
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'baseline', mb: 1 }}>
        <Typography variant="caption" sx={{ color: 'text.secondary', fontFamily: monoFontFamily }}>
          #{gpu.index}
        </Typography>
        <Typography
          variant="h5"
          component="p"
          sx={{ flex: 1, minWidth: 0 }}
          noWrap
          title={gpu.name}
          translate="no"
        >
          {gpu.name}
        </Typography>
      </Stack>
      <Typography variant="body2">
        {used === undefined
          ? t('pages:environment.vramTotal', { total })
          : t('pages:environment.vramUsed', { used, total })}
      </Typography>
      <Stack direction="row" spacing={2} sx={{ mt: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Box>
          <Term id="computeCapability" />
          <Typography variant="body2" translate="no" sx={{ fontFamily: monoFontFamily }}>
            {gpu.computeCapability ?? capabilityGuess(gpu.name) ?? '?'}
          </Typography>
        </Box>
        <FormControlLabel
          sx={{ ml: 'auto' }}
          control={
            <Checkbox
              size="small"
              checked={chosen}
              onChange={onToggle}
              data-testid={`gpu-use-${String(gpu.index)}`}
            />
          }
          label={<Typography variant="body2">{t('environment:gpu.useForTraining')}</Typography>}
        />
      </Stack>
      {gpu.memoryUsedMiB !== undefined && gpu.memoryTotalMiB > 0 && (
        <LinearProgress
          variant="determinate"
          value={Math.min(100, (gpu.memoryUsedMiB / gpu.memoryTotalMiB) * 100)}
          sx={{ mt: 1, height: 6, borderRadius: 3 }}
        />
      )}
    </Box>
  );
}

function ReportFacts({ report }: { report: GpuReport }) {
  const { t } = useTranslation('pages');
  const language = useSettingsStore(selectLanguage) ?? 'zh-CN';
  const checked = new Date(report.checkedAt);
  const checkedText = Number.isNaN(checked.getTime())
    ? report.checkedAt
    : new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' }).format(checked);
  const driver = report.driverVersion ?? report.gpus[0]?.driverVersion;
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 6, md: 3 }}>
        <Fact
          label={t('environment.source')}
          value={
            report.source === 'nvidia-smi'
              ? report.source
              : report.error === undefined
                ? t('environment.sourceNone')
                : t('environment.sourceFailed')
          }
        />
      </Grid>
      {driver !== undefined && (
        <Grid size={{ xs: 6, md: 3 }}>
          <Fact label={t('environment.driver')} value={driver} mono />
        </Grid>
      )}
      {report.cudaVersion !== undefined && (
        <Grid size={{ xs: 6, md: 3 }}>
          <Fact label={t('environment.cuda')} value={report.cudaVersion} mono />
        </Grid>
      )}
      <Grid size={{ xs: 6, md: 3 }}>
        <Fact label={t('environment.checkedAt')} value={checkedText} />
      </Grid>
    </Grid>
  );
}

/** One shared empty list: a new [] from a selector on every render would loop forever. */
const noGpus: number[] = [];

function GpuReportCard() {
  const { t } = useTranslation(['pages', 'environment']);
  const report = useGpuStore(selectGpuReport);
  const error = useGpuStore(selectGpuError);
  const chosen = useEnvironmentStore((state) => state.list?.prefs.gpuIndices) ?? noGpus;
  const setGpus = useEnvironmentStore((state) => state.setGpus);
  return (
    <SectionCard title={t('environment.gpuTitle')} icon={<MemoryOutlined />}>
      {error && (
        <Alert severity="error">
          <AlertTitle>{t('environment.errorTitle')}</AlertTitle>
          <ErrorDetails error={error} />
        </Alert>
      )}
      {report ? (
        <>
          {report.gpus.length > 0 && (
            <>
              <Grid container spacing={2}>
                {report.gpus.map((gpu) => (
                  <Grid key={gpu.uuid ?? gpu.index} size={{ xs: 12, md: 6 }}>
                    <GpuRow
                      gpu={gpu}
                      chosen={chosen.length === 0 ? gpu.index === 0 : chosen.includes(gpu.index)}
                      onToggle={() => {
                        const base = chosen.length === 0 ? [0] : chosen;
                        const next = base.includes(gpu.index)
                          ? base.filter((index) => index !== gpu.index)
                          : [...base, gpu.index];
                        void setGpus(next);
                      }}
                    />
                  </Grid>
                ))}
              </Grid>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                {chosen.length > 1
                  ? t('environment:gpu.multi', { count: chosen.length })
                  : t('environment:gpu.single')}
              </Typography>
            </>
          )}
          {report.gpus.length === 0 && report.error === undefined && (
            <Alert severity="warning" variant="outlined">
              <AlertTitle>{t('environment.noneTitle')}</AlertTitle>
              {t('environment.noneBody')}
            </Alert>
          )}
          {report.error !== undefined && (
            <Alert severity="error" variant="outlined">
              <AlertTitle>{t('environment.driverFailedTitle')}</AlertTitle>
              <Typography variant="body2">{t('environment.driverFailedBody')}</Typography>
              <Typography
                variant="body2"
                translate="no"
                sx={{ mt: 1, fontFamily: monoFontFamily, fontSize: '0.8125rem', wordBreak: 'break-word' }}
              >
                {report.error}
              </Typography>
            </Alert>
          )}
          <ReportFacts report={report} />
        </>
      ) : (
        !error && (
          <Stack spacing={1}>
            <Skeleton variant="rounded" height={72} />
            <Skeleton width="40%" />
          </Stack>
        )
      )}
    </SectionCard>
  );
}

function DoctorSection() {
  const { t } = useTranslation('environment');
  const say = useBilingual();
  const doctor = useEnvironmentStore((state) => state.doctor);
  const loading = useEnvironmentStore((state) => state.doctorLoading);
  const error = useEnvironmentStore((state) => state.doctorError);
  const list = useEnvironmentStore((state) => state.list);
  const { runDoctor, probe } = useEnvironmentStore.getState();
  const onFix = (fixId: string) => {
    if (fixId === 'engine.probe' && list?.activeId) void probe(list.activeId);
    else
      document
        .getElementById(fixId === 'engine.install' ? 'engine-install' : 'engine-attach')
        ?.scrollIntoView({ behavior: 'smooth' });
  };
  return (
    <SectionCard
      title={t('doctor.title')}
      icon={<FactCheckOutlined />}
      aside={
        <Button
          size="small"
          data-testid="doctor-run"
          disabled={loading}
          startIcon={loading ? <CircularProgress size={14} color="inherit" /> : <RefreshOutlined />}
          onClick={() => void runDoctor(true)}
        >
          {t('doctor.run')}
        </Button>
      }
    >
      {error && (
        <Alert severity="error">
          <ErrorDetails error={error} />
        </Alert>
      )}
      {doctor ? (
        <>
          <Alert severity={doctor.status === 'ok' ? 'success' : doctor.status} data-testid="doctor-summary">
            {say(doctor.summary)}
          </Alert>
          <DoctorCardList cards={doctor.cards} onFix={onFix} />
        </>
      ) : (
        !error && <Skeleton variant="rounded" height={96} />
      )}
    </SectionCard>
  );
}

export function EnvironmentPage() {
  const { t } = useTranslation(['pages', 'common']);
  const loading = useGpuStore(selectGpuLoading);
  const load = useGpuStore((state) => state.load);
  useEnvironmentLive();
  return (
    <PageRoot
      id="environment"
      actions={
        <Button
          data-testid="gpu-refresh"
          variant="outlined"
          startIcon={loading ? <CircularProgress size={16} color="inherit" /> : <RefreshOutlined />}
          disabled={loading}
          onClick={() => {
            void load(true);
          }}
        >
          {t('pages:environment.refresh')}
        </Button>
      }
    >
      <Stack spacing={2.5}>
        <GpuReportCard />
        <DoctorSection />
        <EnginesCard />
        <Box id="engine-install">
          <InstallCard />
        </Box>
      </Stack>
    </PageRoot>
  );
}
