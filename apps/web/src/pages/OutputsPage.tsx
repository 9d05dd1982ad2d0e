import type { RunDetail, SampleImage, SavedModel } from '@danlu/contracts';
import ArchiveOutlined from '@mui/icons-material/ArchiveOutlined';
import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import FileOpenOutlined from '@mui/icons-material/FileOpenOutlined';
import Inventory2Outlined from '@mui/icons-material/Inventory2Outlined';
import ReplayOutlined from '@mui/icons-material/ReplayOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import IconButton from '@mui/material/IconButton';
import InputLabel from '@mui/material/InputLabel';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PageRoot } from '../components/PageRoot.js';
import { copyText } from '../lib/clipboard.js';
import { useConnectionStore } from '../stores/connectionStore.js';
import { useFeedbackStore } from '../stores/feedbackStore.js';
import { selectDetail, selectRuns, useRunsStore } from '../stores/runsStore.js';
import { monoFontFamily } from '../theme/theme.js';
import { ContinueDialog } from './outputs/ContinueDialog.js';
import { MetadataViewer } from './outputs/MetadataViewer.js';
import { ImportSceneDialog } from './outputs/SceneDialogs.js';
import { formatBytes, formatTime } from './runs/format.js';
import { runAction } from './runs/runActions.js';
import { StateChip } from './runs/RunBits.js';
import { SampleViewer, Thumb } from './runs/SampleGrid.js';

/** The run folder's own separator, so a copied Windows path pastes into Explorer as it is. */
export function joinRunPath(runDir: string, file: string): string {
  const sep = runDir.includes('\\') ? '\\' : '/';
  return `${runDir.replace(/[\\/]+$/, '')}${sep}${file.split('/').join(sep)}`;
}

/** Models first by epoch/step, the final one last; state folders are listed on their own. */
function sortModels(saves: readonly SavedModel[]): SavedModel[] {
  const rank = (s: SavedModel) => (s.kind === 'final' ? Number.MAX_SAFE_INTEGER : (s.step ?? s.epoch ?? 0));
  return saves
    .filter((s) => s.kind !== 'state')
    .sort((a, b) => rank(a) - rank(b) || a.savedAt.localeCompare(b.savedAt));
}

function modelLabel(model: SavedModel, t: ReturnType<typeof useTranslation<'outputs'>>['t']): string {
  if (model.kind === 'final') return t('models.final');
  if (model.kind === 'epoch' && model.epoch !== null) return t('models.epoch', { n: model.epoch });
  if (model.step !== null) return t('models.step', { n: model.step });
  return model.name;
}

/** Samples made at the moment this model was saved (same epoch, or same step). */
function samplesOf(run: RunDetail, model: SavedModel): SampleImage[] {
  const lastEpoch = run.samples.reduce((max, s) => Math.max(max, s.epoch ?? 0), 0);
  // Step-based sampling (sample_every_n_steps) names no epoch: the final model goes with the last step's.
  const lastStep = run.samples.reduce((max, s) => Math.max(max, s.epoch === null ? (s.step ?? 0) : 0), 0);
  return run.samples
    .filter((s) => {
      if (model.kind === 'final') {
        if (lastEpoch > 0)
          return s.epoch === (model.epoch ?? lastEpoch) || (s.epoch !== null && s.epoch === lastEpoch);
        return s.step !== null && s.step === (model.step ?? lastStep);
      }
      if (model.epoch !== null && s.epoch !== null) return s.epoch === model.epoch;
      return model.step !== null && s.step === model.step;
    })
    .sort((a, b) => a.promptIndex - b.promptIndex);
}

function CopyPathButton({ path }: { path: string }) {
  const { t } = useTranslation(['outputs', 'common']);
  const show = useFeedbackStore((state) => state.show);
  const browser = useConnectionStore((state) => state.transport) === 'websocket';
  return (
    <Tooltip title={browser ? t('outputs:models.openFolder') : t('outputs:models.copyPath')}>
      <IconButton
        size="small"
        aria-label={t('outputs:models.copyPath')}
        data-testid="model-copy-path"
        onClick={(event) => {
          event.stopPropagation();
          void copyText(path).then((ok) => {
            show(
              ok
                ? { kind: 'success', text: t('common:copied') }
                : { kind: 'warning', text: t('common:copyFailed'), detail: path },
            );
          });
        }}
      >
        <ContentCopyOutlined fontSize="small" />
      </IconButton>
    </Tooltip>
  );
}

function ModelList({
  run,
  models,
  chosen,
  onChoose,
}: {
  run: RunDetail;
  models: SavedModel[];
  chosen: string | undefined;
  onChoose: (file: string) => void;
}) {
  const { t, i18n } = useTranslation('outputs');
  const states = run.saves.filter((s) => s.kind === 'state');
  return (
    <Card sx={{ p: 1.5 }} data-testid="model-list">
      <Typography variant="h5" component="h2" sx={{ px: 1, pb: 1 }}>
        {t('models.title')}
      </Typography>
      {models.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 1, pb: 1 }}>
          {t('noModels')}
        </Typography>
      ) : (
        <List disablePadding>
          {models.map((model) => (
            <ListItemButton
              key={model.file}
              data-testid="model-item"
              selected={model.file === chosen}
              onClick={() => {
                onChoose(model.file);
              }}
              sx={{ borderRadius: 2, mb: 0.5, gap: 1 }}
            >
              <Box sx={{ flex: 1, minWidth: 0 }}>
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <Typography variant="subtitle2">{modelLabel(model, t)}</Typography>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                    {formatBytes(model.sizeBytes)}
                  </Typography>
                </Stack>
                <Typography
                  variant="caption"
                  component="div"
                  noWrap
                  title={model.file}
                  sx={{ color: 'text.secondary', fontFamily: monoFontFamily }}
                  translate="no"
                >
                  {model.name}
                </Typography>
                <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                  {formatTime(model.savedAt, i18n.language)}
                </Typography>
              </Box>
              <CopyPathButton path={joinRunPath(run.runDir, model.file)} />
            </ListItemButton>
          ))}
        </List>
      )}
      {states.length > 0 && (
        <Stack direction="row" spacing={1} sx={{ px: 1, pt: 1, flexWrap: 'wrap', rowGap: 1 }}>
          {states.map((s) => (
            <Tooltip key={s.file} title={t('models.stateHint')}>
              <Chip
                size="small"
                variant="outlined"
                label={`${t('models.state')} · ${s.epoch !== null ? t('models.epoch', { n: s.epoch }) : s.name}`}
              />
            </Tooltip>
          ))}
        </Stack>
      )}
    </Card>
  );
}

function EpochSamples({ run, samples }: { run: RunDetail; samples: SampleImage[] }) {
  const { t } = useTranslation('outputs');
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Card sx={{ p: 2.5 }} data-testid="model-samples">
      <Typography variant="h5" component="h2" sx={{ mb: 1.5 }}>
        {t('samples.title')}
      </Typography>
      {samples.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('samples.none')}
        </Typography>
      ) : (
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
          {samples.map((s, i) => (
            <Thumb
              key={s.file}
              runId={run.id}
              sample={s}
              onOpen={() => {
                setOpen(i);
              }}
            />
          ))}
        </Box>
      )}
      <SampleViewer runId={run.id} samples={samples} index={open} onIndex={setOpen} />
    </Card>
  );
}

function RunActions({ run, model }: { run: RunDetail; model: SavedModel | undefined }) {
  const { t } = useTranslation('outputs');
  const [continuing, setContinuing] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
      <Button
        variant="contained"
        startIcon={<ReplayOutlined />}
        data-testid="output-continue"
        disabled={run.saves.length === 0}
        onClick={() => {
          setContinuing(true);
        }}
      >
        {t('continue.action')}
      </Button>
      <Tooltip title={t('scene.exportHint')}>
        <span>
          <Button
            variant="outlined"
            startIcon={<ArchiveOutlined />}
            data-testid="output-export-scene"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void runAction('runs.exportScene', { id: run.id })
                .then((result) => {
                  if (!result) return;
                  setExported(result.file);
                  useFeedbackStore
                    .getState()
                    .show({ kind: 'success', text: t('scene.exported', { file: result.file }) });
                })
                .finally(() => {
                  setBusy(false);
                });
            }}
          >
            {t('scene.export')}
          </Button>
        </span>
      </Tooltip>
      {exported !== null && (
        <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center', minWidth: 0, flex: '1 1 240px' }}>
          <Typography
            variant="caption"
            noWrap
            title={exported}
            data-testid="scene-file"
            translate="no"
            sx={{ fontFamily: monoFontFamily, color: 'text.secondary', minWidth: 0 }}
          >
            {exported}
          </Typography>
          <CopyPathButton path={exported} />
        </Stack>
      )}
      <ContinueDialog
        run={run}
        model={model}
        open={continuing}
        onClose={() => {
          setContinuing(false);
        }}
      />
    </Stack>
  );
}

/** 模型输出: per run, the saved models with their metadata and samples; continue; save the scene. */
export function OutputsPage() {
  const { t } = useTranslation('outputs');
  const runs = useRunsStore(selectRuns);
  const loaded = useRunsStore((state) => state.loaded);
  const detail = useRunsStore(selectDetail);
  const selectedId = useRunsStore((state) => state.selectedId);
  const select = useRunsStore((state) => state.select);
  const load = useRunsStore((state) => state.load);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [importing, setImporting] = useState(false);
  const finished = useMemo(() => runs.filter((r) => r.state !== 'queued'), [runs]);

  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  useEffect(() => {
    if (!loaded || (selectedId !== null && runs.some((r) => r.id === selectedId))) return;
    const first = finished.find((r) => r.state === 'completed') ?? finished[0];
    if (first) void select(first.id);
  }, [loaded, runs, finished, selectedId, select]);

  const models = useMemo(() => (detail ? sortModels(detail.saves) : []), [detail]);
  const model = models.find((m) => m.file === chosen) ?? models.at(-1);
  const samples = useMemo(() => (detail && model ? samplesOf(detail, model) : []), [detail, model]);

  const importButton = (
    <Button
      startIcon={<FileOpenOutlined />}
      data-testid="output-import-scene"
      onClick={() => {
        setImporting(true);
      }}
    >
      {t('scene.import')}
    </Button>
  );

  return (
    <PageRoot id="outputs" actions={importButton}>
      {loaded && finished.length === 0 ? (
        <Card sx={{ p: { xs: 3, md: 5 } }} data-testid="outputs-empty">
          <Stack spacing={1.5} sx={{ alignItems: 'center', textAlign: 'center', maxWidth: 520, mx: 'auto' }}>
            <Inventory2Outlined sx={{ fontSize: 48, color: 'primary.main', opacity: 0.7 }} />
            <Typography variant="h4" component="h2">
              {t('empty.title')}
            </Typography>
            <Typography sx={{ color: 'text.secondary' }}>{t('empty.body')}</Typography>
          </Stack>
        </Card>
      ) : (
        <Stack spacing={2}>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1.5 }}>
            <FormControl size="small" sx={{ minWidth: 280, maxWidth: 480 }}>
              <InputLabel id="outputs-run-label">{t('run')}</InputLabel>
              <Select
                labelId="outputs-run-label"
                label={t('run')}
                data-testid="outputs-run"
                value={detail && finished.some((r) => r.id === detail.id) ? detail.id : ''}
                onChange={(event) => {
                  setChosen(undefined);
                  void select(event.target.value);
                }}
              >
                {finished.map((r) => (
                  <MenuItem key={r.id} value={r.id}>
                    <Stack
                      direction="row"
                      spacing={1}
                      sx={{ alignItems: 'center', minWidth: 0, width: '100%' }}
                    >
                      <Typography noWrap sx={{ flex: 1, minWidth: 0 }}>
                        {r.name}
                      </Typography>
                      <StateChip state={r.state} />
                    </Stack>
                  </MenuItem>
                ))}
              </Select>
            </FormControl>
            {detail && <RunActions run={detail} model={model} />}
          </Stack>
          {detail && (
            <Box
              sx={{
                display: 'grid',
                gap: 2,
                alignItems: 'start',
                gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: '320px minmax(0, 1fr)' },
              }}
            >
              <ModelList run={detail} models={models} chosen={model?.file} onChoose={setChosen} />
              <Stack spacing={2} sx={{ minWidth: 0 }}>
                {model && <EpochSamples run={detail} samples={samples} />}
                {model && <MetadataViewer runId={detail.id} file={model.file} />}
              </Stack>
            </Box>
          )}
        </Stack>
      )}
      <ImportSceneDialog
        open={importing}
        onClose={() => {
          setImporting(false);
        }}
      />
    </PageRoot>
  );
}
