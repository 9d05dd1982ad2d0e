import AutoFixHighOutlined from '@mui/icons-material/AutoFixHighOutlined';
import DownloadOutlined from '@mui/icons-material/DownloadOutlined';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Slider from '@mui/material/Slider';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { UiError } from '../../bridge/types.js';
import { ErrorDetails } from '../../components/ErrorDetails.js';
import { SectionCard } from '../../components/SectionCard.js';
import { newJobId, useDatasetStore, type TaggerRunResult } from '../../stores/datasetStore.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { formatBytes, pick } from './text.js';
import { Term } from './Term.js';

type Mode = 'append' | 'overwrite' | 'skip';

/** WD auto-tagging: model (with its download state), thresholds, what to do with existing captions, progress. */
export function TaggerPanel() {
  const { t, i18n } = useTranslation('dataset');
  const models = useDatasetStore((s) => s.models);
  const trigger = useDatasetStore((s) => s.options.triggerWord);
  const progress = useDatasetStore((s) => s.progress);
  const [picked, setModel] = useState<string | undefined>();
  const [general, setGeneral] = useState(0.35);
  const [character, setCharacter] = useState(0.85);
  const [mcut, setMcut] = useState(false);
  const [mode, setMode] = useState<Mode>('skip');
  const [exclude, setExclude] = useState('');
  const [job, setJob] = useState<{ id: string; kind: 'tag' | 'download' } | undefined>();
  const [result, setResult] = useState<TaggerRunResult | undefined>();
  const [error, setError] = useState<UiError | undefined>();
  useEffect(() => {
    void useDatasetStore.getState().loadModels();
  }, []);
  // until the user picks one: a model already on disk, else the recommended one
  const model =
    picked ??
    (models?.models.find((m) => m.state === 'installed') ?? models?.models.find((m) => m.recommended))?.id ??
    '';
  const chosen = models?.models.find((m) => m.id === model);
  const live = job ? progress[job.id] : undefined;

  const download = async () => {
    if (!chosen) return;
    const id = newJobId('download');
    setJob({ id, kind: 'download' });
    setError(undefined);
    const out = await useDatasetStore.getState().download(chosen.id, id);
    setJob(undefined);
    if (!out.ok) setError(out.error);
  };
  const run = async () => {
    if (!chosen) return;
    const id = newJobId('tag');
    setJob({ id, kind: 'tag' });
    setError(undefined);
    setResult(undefined);
    const out = await useDatasetStore.getState().runTagger({
      model: chosen.id,
      mode,
      generalThreshold: general,
      characterThreshold: character,
      generalMcut: mcut,
      characterMcut: mcut,
      trigger: trigger.trim() || undefined,
      exclude: exclude
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      jobId: id,
    });
    setJob(undefined);
    if (out.ok) {
      setResult(out.data);
      useFeedbackStore
        .getState()
        .show({ kind: 'success', text: t('tagger.done', { count: out.data.written }) });
    } else setError(out.error);
  };

  return (
    <SectionCard title={t('tagger.title')} icon={<AutoFixHighOutlined />}>
      <Typography variant="body2" color="text.secondary">
        {t('tagger.intro')}
      </Typography>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={1.5} sx={{ alignItems: { md: 'center' } }}>
        <TextField
          select
          size="small"
          label={t('tagger.model')}
          value={models ? model : ''}
          onChange={(e) => {
            setModel(e.target.value);
          }}
          sx={{ minWidth: 280, flex: 1 }}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'dataset-model' } as object } }}
        >
          {models?.models.map((m) => (
            <MenuItem key={m.id} value={m.id}>
              {m.recommended ? '★ ' : ''}
              {m.id} — {pick(m.description, i18n.language)} ·{' '}
              {m.state === 'installed'
                ? t('tagger.installed')
                : m.state === 'partial'
                  ? t('tagger.partial')
                  : t('tagger.missing')}
            </MenuItem>
          ))}
        </TextField>
        {chosen && chosen.state !== 'installed' && (
          <Button
            variant="outlined"
            startIcon={<DownloadOutlined />}
            disabled={job !== undefined}
            onClick={() => {
              void download();
            }}
          >
            {chosen.state === 'partial' ? t('tagger.resume') : t('tagger.download')}
            {chosen.sizeBytes ? ` (${formatBytes(chosen.sizeBytes)})` : ''}
          </Button>
        )}
      </Stack>
      {models && (
        <Typography variant="caption" color="text.secondary" sx={{ wordBreak: 'break-all' }}>
          {t('tagger.where', { dir: models.modelsDir })} ·{' '}
          <Term id="provider">{t('tagger.providers', { list: models.providers.join(' → ') })}</Term>
        </Typography>
      )}
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={3}>
        <Stack sx={{ flex: 1 }}>
          <Typography variant="body2">
            <Term id="threshold">{t('tagger.general', { value: general.toFixed(2) })}</Term>
          </Typography>
          <Slider
            value={general}
            min={0.1}
            max={0.9}
            step={0.01}
            disabled={mcut}
            onChange={(_, v) => {
              setGeneral(v);
            }}
            aria-label={t('tagger.general', { value: general.toFixed(2) })}
          />
        </Stack>
        <Stack sx={{ flex: 1 }}>
          <Typography variant="body2">
            <Term id="characterThreshold">{t('tagger.character', { value: character.toFixed(2) })}</Term>
          </Typography>
          <Slider
            value={character}
            min={0.3}
            max={1}
            step={0.01}
            disabled={mcut}
            onChange={(_, v) => {
              setCharacter(v);
            }}
            aria-label={t('tagger.character', { value: character.toFixed(2) })}
          />
        </Stack>
        <FormControlLabel
          control={
            <Checkbox
              checked={mcut}
              onChange={(e) => {
                setMcut(e.target.checked);
              }}
            />
          }
          label={<Term id="mcut" />}
        />
      </Stack>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' } }}>
        <Typography variant="body2">
          <Term id="mode" />
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={mode}
          onChange={(_, v: Mode | null) => {
            if (v) setMode(v);
          }}
        >
          <ToggleButton value="skip">{t('tagger.modes.skip')}</ToggleButton>
          <ToggleButton value="append">{t('tagger.modes.append')}</ToggleButton>
          <ToggleButton value="overwrite">{t('tagger.modes.overwrite')}</ToggleButton>
        </ToggleButtonGroup>
        <TextField
          size="small"
          label={t('tagger.exclude')}
          placeholder="simple background, white background"
          value={exclude}
          onChange={(e) => {
            setExclude(e.target.value);
          }}
          sx={{ flex: 1 }}
        />
      </Stack>
      <Typography variant="caption" color="text.secondary">
        {trigger.trim() ? t('tagger.triggerFirst', { trigger: trigger.trim() }) : t('tagger.noTrigger')}
      </Typography>
      {job && (
        <Stack spacing={0.5} data-testid="dataset-tag-progress">
          <LinearProgress
            variant={live && live.total > 0 ? 'determinate' : 'indeterminate'}
            value={live && live.total > 0 ? (live.done / live.total) * 100 : 0}
          />
          <Typography variant="caption">
            {job.kind === 'download'
              ? t('tagger.downloading', {
                  done: formatBytes(live?.done ?? 0),
                  total: formatBytes(live?.total ?? 0),
                  rate: formatBytes(live?.rate ?? 0),
                })
              : t('tagger.tagging', {
                  done: live?.done ?? 0,
                  total: live?.total ?? 0,
                  rate: (live?.rate ?? 0).toFixed(1),
                })}
          </Typography>
        </Stack>
      )}
      {error && (
        <Alert severity="error">
          <ErrorDetails error={error} />
        </Alert>
      )}
      {result && (
        <Alert severity={result.failed.length > 0 ? 'warning' : 'success'} data-testid="dataset-tag-result">
          {t('tagger.summary', {
            written: result.written,
            skipped: result.skipped,
            failed: result.failed.length,
            provider: result.provider,
          })}
          {result.failed.slice(0, 5).map((f) => (
            <Typography key={f.relPath} variant="caption" component="div" sx={{ wordBreak: 'break-all' }}>
              {f.relPath}: {f.message}
            </Typography>
          ))}
        </Alert>
      )}
      <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
        {job && (
          <Button
            color="inherit"
            onClick={() => {
              void useDatasetStore.getState().cancel(job.id);
            }}
          >
            {t('tagger.cancel')}
          </Button>
        )}
        <Button
          variant="contained"
          startIcon={<AutoFixHighOutlined />}
          disabled={job !== undefined || chosen?.state !== 'installed'}
          onClick={() => {
            void run();
          }}
          data-testid="dataset-tag-run"
        >
          {t('tagger.run')}
        </Button>
      </Stack>
    </SectionCard>
  );
}
