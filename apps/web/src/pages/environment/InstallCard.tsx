import type { InstallStatus } from '@danlu/contracts';
import DownloadOutlined from '@mui/icons-material/DownloadOutlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Collapse from '@mui/material/Collapse';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { SectionCard } from '../../components/SectionCard.js';
import { useEnvironmentStore, type InstallChoice } from '../../stores/environmentStore.js';
import { monoFontFamily } from '../../theme/theme.js';
import { Term } from './Term.js';
import { useBilingual } from './text.js';

const stageColor = {
  pending: 'default',
  running: 'primary',
  done: 'success',
  failed: 'error',
  skipped: 'default',
} as const;

function Progress({ status }: { status: InstallStatus }) {
  const { t } = useTranslation('environment');
  const say = useBilingual();
  const current = status.current;
  const percent =
    current?.received !== undefined && current.total
      ? Math.min(100, (current.received / current.total) * 100)
      : undefined;
  return (
    <Stack spacing={1} data-testid="install-progress">
      <Stack direction="row" spacing={0.75} sx={{ flexWrap: 'wrap', rowGap: 0.75 }}>
        {status.stages.map((stage) => (
          <Chip
            key={stage.id}
            size="small"
            variant={stage.status === 'running' ? 'filled' : 'outlined'}
            color={stageColor[stage.status]}
            label={`${say(stage.title)} · ${t(`install.stage.${stage.status}`)}`}
          />
        ))}
      </Stack>
      {status.running && (
        <>
          <LinearProgress
            variant={percent === undefined ? 'indeterminate' : 'determinate'}
            value={percent ?? 0}
          />
          {current && (
            <Typography
              variant="caption"
              translate="no"
              sx={{ fontFamily: monoFontFamily, wordBreak: 'break-all' }}
            >
              {current.stage}: {current.line}
              {current.received !== undefined &&
                ` — ${(current.received / 1024 ** 2).toFixed(1)}${current.total ? ` / ${(current.total / 1024 ** 2).toFixed(1)}` : ''} MB`}
            </Typography>
          )}
        </>
      )}
      {status.result && !status.running && (
        <Alert severity={status.result.ok ? 'success' : status.result.cancelled ? 'info' : 'error'}>
          <AlertTitle>
            {status.result.ok
              ? t('install.succeeded')
              : status.result.cancelled
                ? t('install.cancelled')
                : t('install.failed', { stage: status.result.failedStage ?? '?' })}
          </AlertTitle>
          {status.result.explanation && (
            <Typography variant="body2">{say(status.result.explanation)}</Typography>
          )}
          {status.logFile && (
            <Typography
              variant="caption"
              component="p"
              translate="no"
              sx={{ mt: 0.5, wordBreak: 'break-all' }}
            >
              {t('install.log', { file: status.logFile })}
            </Typography>
          )}
        </Alert>
      )}
    </Stack>
  );
}

export function InstallCard() {
  const { t } = useTranslation('environment');
  const say = useBilingual();
  const plan = useEnvironmentStore((state) => state.plan);
  const planError = useEnvironmentStore((state) => state.planError);
  const status = useEnvironmentStore((state) => state.install);
  const { loadPlan, startInstall, cancelInstall } = useEnvironmentStore.getState();
  const [choice, setChoice] = useState<InstallChoice>({});
  const [target, setTarget] = useState('');
  const [showPlan, setShowPlan] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    void loadPlan(choice);
  }, [choice, loadPlan]);

  const running = status?.running ?? false;
  const withTarget = (): InstallChoice => (target.trim() ? { ...choice, targetDir: target.trim() } : choice);
  const start = async () => {
    setError(undefined);
    const result = await startInstall(withTarget());
    if (!result.ok) setError(result.error.message);
  };
  const resumable = plan?.stages.some((stage) => stage.done) ?? false;
  return (
    <SectionCard title={t('install.title')} icon={<DownloadOutlined />} aside={<Term id="mirror" />}>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {t('install.intro')}
      </Typography>
      <Grid container spacing={1.5}>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            size="small"
            fullWidth
            label={t('install.location')}
            placeholder={plan?.targetDir ?? ''}
            value={target}
            disabled={running}
            slotProps={{ htmlInput: { 'data-testid': 'install-target' } }}
            onChange={(event) => {
              setTarget(event.target.value);
            }}
            onBlur={() => {
              const next = target.trim();
              if ((next || undefined) !== choice.targetDir)
                setChoice((previous) => {
                  const { targetDir: _old, ...rest } = previous;
                  return next ? { ...rest, targetDir: next } : rest;
                });
            }}
            helperText={t('install.locationHelp')}
          />
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <TextField
            select
            size="small"
            fullWidth
            label={t('install.mirror')}
            value={choice.mirror ?? plan?.mirror ?? 'official'}
            disabled={running}
            onChange={(event) => {
              setChoice({ ...choice, mirror: event.target.value === 'cn' ? 'cn' : 'official' });
            }}
          >
            <MenuItem value="official">{t('install.mirrors.official')}</MenuItem>
            <MenuItem value="cn">{t('install.mirrors.cn')}</MenuItem>
          </TextField>
        </Grid>
        <Grid size={{ xs: 6, md: 3 }}>
          <TextField
            select
            size="small"
            fullWidth
            label={t('install.gpu')}
            value={choice.gpu ?? plan?.gpu ?? 'rtx40'}
            disabled={running}
            onChange={(event) => {
              const gpu = event.target.value;
              if (gpu === 'rtx50' || gpu === 'rtx40' || gpu === 'cpu') setChoice({ ...choice, gpu });
            }}
          >
            <MenuItem value="rtx50">{t('install.gpus.rtx50')}</MenuItem>
            <MenuItem value="rtx40">{t('install.gpus.rtx40')}</MenuItem>
            <MenuItem value="cpu">{t('install.gpus.cpu')}</MenuItem>
          </TextField>
        </Grid>
      </Grid>
      {planError && <Alert severity="error">{planError.message}</Alert>}
      {plan && (
        <Box>
          <Typography variant="body2" data-testid="install-size">
            {t('install.size', { gb: plan.downloadGb })}
            {plan.gpuDetected && ` ${t('install.detected')}`}
          </Typography>
          {plan.notes.map((note) => (
            <Typography key={note.en} variant="body2" sx={{ color: 'text.secondary' }}>
              {say(note)}
            </Typography>
          ))}
          {resumable && (
            <Typography variant="body2" sx={{ color: 'success.main' }}>
              {t('install.resumable')}
            </Typography>
          )}
          <Link
            component="button"
            type="button"
            variant="body2"
            onClick={() => {
              setShowPlan(!showPlan);
            }}
          >
            {showPlan ? t('install.hidePlan') : t('install.showPlan')}
          </Link>
          <Collapse in={showPlan} unmountOnExit>
            <Box
              component="pre"
              translate="no"
              sx={{
                mt: 1,
                p: 1.5,
                borderRadius: 1,
                bgcolor: 'action.hover',
                fontFamily: monoFontFamily,
                fontSize: '0.75rem',
                whiteSpace: 'pre-wrap',
                wordBreak: 'break-all',
                maxHeight: 320,
                overflow: 'auto',
              }}
            >
              {say(plan.printed)}
            </Box>
          </Collapse>
        </Box>
      )}
      {status && (status.running || status.result) && <Progress status={status} />}
      {error && <Alert severity="error">{error}</Alert>}
      <Stack direction="row" spacing={1}>
        {running ? (
          <Button
            variant="outlined"
            color="warning"
            data-testid="install-cancel"
            onClick={() => void cancelInstall()}
          >
            {t('install.cancel')}
          </Button>
        ) : (
          <Button
            variant="contained"
            data-testid="install-start"
            disabled={!plan}
            onClick={() => void start()}
          >
            {resumable ? t('install.resume') : t('install.start')}
          </Button>
        )}
      </Stack>
    </SectionCard>
  );
}
