import type { Folders } from '@danlu/contracts';
import ArrowForward from '@mui/icons-material/ArrowForward';
import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import FolderOutlined from '@mui/icons-material/FolderOutlined';
import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import LocalFireDepartmentOutlined from '@mui/icons-material/LocalFireDepartmentOutlined';
import MemoryOutlined from '@mui/icons-material/MemoryOutlined';
import PlayArrow from '@mui/icons-material/PlayArrow';
import PlayCircleOutline from '@mui/icons-material/PlayCircleOutline';
import SettingsSuggestOutlined from '@mui/icons-material/SettingsSuggestOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ButtonBase from '@mui/material/ButtonBase';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Link from '@mui/material/Link';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { useTranslation } from 'react-i18next';

import { PageRoot } from '../components/PageRoot.js';
import { SectionCard } from '../components/SectionCard.js';
import { copyText } from '../lib/clipboard.js';
import { shortGpuName, vramGb } from '../lib/gpu.js';
import { useFeedbackStore } from '../stores/feedbackStore.js';
import { selectGpuError, selectGpuReport, useGpuStore } from '../stores/gpuStore.js';
import { selectNavigate, useNavigationStore } from '../stores/navigationStore.js';
import { activeRun } from '../stores/runsReducers.js';
import { useRunsStore } from '../stores/runsStore.js';
import { selectFolders, useSettingsStore } from '../stores/settingsStore.js';
import { monoFontFamily } from '../theme/theme.js';
import { CurrentRunCard } from './runs/CurrentRunCard.js';

function StartCard() {
  const { t } = useTranslation('home');
  const navigate = useNavigationStore(selectNavigate);
  return (
    <Card
      sx={(theme) => ({
        position: 'relative',
        overflow: 'hidden',
        p: { xs: 3, md: 4 },
        borderColor: alpha(theme.palette.primary.main, 0.35),
        background: `linear-gradient(120deg, ${alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.2 : 0.1)} 0%, ${alpha(theme.palette.primary.main, 0.02)} 70%)`,
      })}
    >
      <LocalFireDepartmentOutlined
        aria-hidden
        sx={{
          position: 'absolute',
          right: -12,
          bottom: -24,
          fontSize: 200,
          color: 'primary.main',
          opacity: 0.08,
        }}
      />
      <Stack spacing={1.5} sx={{ position: 'relative', maxWidth: 620 }}>
        <Typography variant="h1" component="h2">
          {t('start.title')}
        </Typography>
        <Typography sx={{ color: 'text.secondary' }}>{t('start.body')}</Typography>
        <Box sx={{ pt: 1 }}>
          <Button
            data-testid="start-training"
            variant="contained"
            size="large"
            endIcon={<PlayArrow />}
            onClick={() => {
              navigate('wizard');
            }}
            sx={{ minWidth: 160, py: 1.25, fontSize: '1rem' }}
          >
            {t('start.action')}
          </Button>
        </Box>
      </Stack>
    </Card>
  );
}

function GpuCard() {
  const { t } = useTranslation('home');
  const report = useGpuStore(selectGpuReport);
  const error = useGpuStore(selectGpuError);
  const gpu = report?.gpus[0];
  // No answer at all, or nvidia-smi is there but failed: not the same as a machine without a GPU.
  const failed = !report || report.error !== undefined;
  let content;
  if (report && gpu) {
    const driver = gpu.driverVersion ?? report.driverVersion;
    const extra = [
      driver ? t('gpu.driver', { version: driver }) : undefined,
      report.cudaVersion ? t('gpu.cuda', { version: report.cudaVersion }) : undefined,
    ].filter((part): part is string => part !== undefined);
    content = (
      <Stack spacing={0.5}>
        <Typography variant="h4" component="p" noWrap title={gpu.name} translate="no">
          {shortGpuName(gpu.name)}
        </Typography>
        <Typography variant="body2">{t('gpu.vram', { gb: vramGb(gpu.memoryTotalMiB) })}</Typography>
        {extra.length > 0 && (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {extra.join(' · ')}
          </Typography>
        )}
        {report.gpus.length > 1 && (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {t('gpu.others', { n: report.gpus.length - 1 })}
          </Typography>
        )}
      </Stack>
    );
  } else if (report || error) {
    content = (
      <Stack spacing={1} sx={{ alignItems: 'flex-start' }}>
        <Chip
          size="small"
          color="warning"
          variant="outlined"
          label={failed ? t('gpu.failedTitle') : t('gpu.noneTitle')}
        />
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {failed ? t('gpu.failedBody') : t('gpu.noneBody')}
        </Typography>
      </Stack>
    );
  } else {
    content = (
      <Stack spacing={0.5}>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('gpu.checking')}
        </Typography>
        <Skeleton width="70%" />
      </Stack>
    );
  }
  return (
    <SectionCard title={t('gpu.title')} icon={<MemoryOutlined />}>
      {content}
    </SectionCard>
  );
}

function EngineCard() {
  const { t } = useTranslation('home');
  const navigate = useNavigationStore(selectNavigate);
  return (
    <SectionCard
      title={t('engine.title')}
      icon={<SettingsSuggestOutlined />}
      aside={<Chip size="small" variant="outlined" label={t('engine.status')} />}
    >
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {t('engine.body')}{' '}
        <Link
          component="button"
          type="button"
          variant="body2"
          underline="hover"
          sx={{
            fontWeight: 600,
            verticalAlign: 'baseline',
            display: 'inline-flex',
            alignItems: 'center',
            gap: 0.25,
          }}
          onClick={() => {
            navigate('environment');
          }}
        >
          {t('engine.action')}
          <ArrowForward sx={{ fontSize: 16 }} aria-hidden />
        </Link>
      </Typography>
    </SectionCard>
  );
}

function RunningCard() {
  const { t } = useTranslation('home');
  const run = useRunsStore((state) => activeRun(state.runs));
  if (run) return <CurrentRunCard run={run} />;
  return (
    <SectionCard title={t('running.title')} icon={<PlayCircleOutline />}>
      <Stack spacing={0.5}>
        <Typography variant="body1">{t('running.none')}</Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('running.body')}
        </Typography>
      </Stack>
    </SectionCard>
  );
}

function RecentRuns() {
  const { t } = useTranslation('home');
  return (
    <SectionCard title={t('recent.title')} icon={<HistoryOutlined />} grow>
      <Stack
        spacing={1}
        sx={{
          flex: 1,
          minHeight: 120,
          alignItems: 'center',
          justifyContent: 'center',
          textAlign: 'center',
          borderRadius: 2,
          border: 1,
          borderStyle: 'dashed',
          borderColor: 'divider',
          px: 3,
          py: 2.5,
        }}
      >
        <HistoryOutlined sx={{ fontSize: 32, color: 'text.disabled' }} aria-hidden />
        <Typography variant="h6" component="p">
          {t('recent.emptyTitle')}
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', maxWidth: 460 }}>
          {t('recent.emptyBody')}
        </Typography>
      </Stack>
    </SectionCard>
  );
}

const folderKeys = ['datasets', 'outputs', 'models'] as const satisfies readonly (keyof Folders)[];

function FolderShortcuts() {
  const { t } = useTranslation(['home', 'common']);
  const folders = useSettingsStore(selectFolders);
  const navigate = useNavigationStore(selectNavigate);
  const show = useFeedbackStore((state) => state.show);
  return (
    <Box>
      <Stack direction="row" sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="h5" component="h2" sx={{ flex: 1 }}>
          {t('home:folders.title')}
        </Typography>
        <Button
          size="small"
          onClick={() => {
            navigate('settings');
          }}
        >
          {t('home:folders.change')}
        </Button>
      </Stack>
      <Grid container spacing={2}>
        {folderKeys.map((key) => {
          const path = folders?.[key] ?? '';
          return (
            <Grid key={key} size={{ xs: 12, md: 4 }}>
              <Tooltip title={t('home:folders.copyHint')}>
                <ButtonBase
                  data-testid={`folder-${key}`}
                  onClick={() => {
                    void copyText(path).then((ok) => {
                      show(
                        ok
                          ? { kind: 'success', text: t('common:copied') }
                          : { kind: 'warning', text: t('common:copyFailed'), detail: path },
                      );
                    });
                  }}
                  sx={(theme) => ({
                    width: '100%',
                    display: 'flex',
                    alignItems: 'center',
                    gap: 1.5,
                    textAlign: 'left',
                    p: 1.75,
                    borderRadius: 3,
                    border: 1,
                    borderColor: 'divider',
                    bgcolor: 'background.paper',
                    transition: theme.transitions.create(['border-color', 'background-color']),
                    '&:hover': { borderColor: alpha(theme.palette.primary.main, 0.5) },
                    '&.Mui-focusVisible': { outline: 2, outlineColor: theme.palette.primary.main },
                    '&:hover .copy-icon': { opacity: 1 },
                  })}
                >
                  <FolderOutlined sx={{ color: 'primary.main', flex: 'none' }} aria-hidden />
                  <Box sx={{ minWidth: 0, flex: 1 }}>
                    <Typography variant="subtitle2" component="span" sx={{ display: 'block' }}>
                      {t(`home:folders.${key}`)}
                    </Typography>
                    <Typography
                      variant="body2"
                      component="span"
                      translate="no"
                      noWrap
                      sx={{
                        display: 'block',
                        color: 'text.secondary',
                        fontFamily: monoFontFamily,
                        fontSize: '0.8125rem',
                      }}
                    >
                      {path}
                    </Typography>
                  </Box>
                  <ContentCopyOutlined
                    className="copy-icon"
                    fontSize="small"
                    sx={{ color: 'text.secondary', opacity: 0.5, flex: 'none' }}
                    aria-hidden
                  />
                </ButtonBase>
              </Tooltip>
            </Grid>
          );
        })}
      </Grid>
    </Box>
  );
}

export function HomePage() {
  return (
    <PageRoot id="home">
      <Stack spacing={2.5}>
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 7, xl: 8 }} sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
            <StartCard />
            <RecentRuns />
          </Grid>
          <Grid size={{ xs: 12, md: 5, xl: 4 }} sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
            <GpuCard />
            <EngineCard />
            <RunningCard />
          </Grid>
        </Grid>
        <FolderShortcuts />
      </Stack>
    </PageRoot>
  );
}
