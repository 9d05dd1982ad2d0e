import type { EngineProfile, ProbeOutcomeWire } from '@danlu/contracts';
import SettingsSuggestOutlined from '@mui/icons-material/SettingsSuggestOutlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { SectionCard } from '../../components/SectionCard.js';
import { useEnvironmentStore, type SearchResult } from '../../stores/environmentStore.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { monoFontFamily } from '../../theme/theme.js';
import { Term, TermFact } from './Term.js';
import { useBilingual } from './text.js';

function packageVersion(probe: ProbeOutcomeWire | undefined, name: string): string | undefined {
  return probe?.report?.packages.find((entry) => entry.name === name)?.version ?? undefined;
}

function ProbeFacts({ probe }: { probe: ProbeOutcomeWire | undefined }) {
  const { t } = useTranslation('environment');
  const say = useBilingual();
  if (!probe) return <Typography variant="body2">{t('engines.notProbed')}</Typography>;
  if (probe.status !== 'ok' || !probe.report)
    return (
      <Alert severity="error" variant="outlined">
        <AlertTitle>{t(`probeStatus.${probe.status}`)}</AlertTitle>
        <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
          {say(probe.message)}
        </Typography>
      </Alert>
    );
  const torch = probe.report.torch;
  const none = t('engines.none');
  const version = (name: string) => packageVersion(probe, name) ?? none;
  return (
    <Grid container spacing={1.5}>
      <Grid size={{ xs: 6, md: 3 }}>
        <TermFact id="python" value={probe.report.python.version} mono />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <TermFact id="torch" value={torch.importable ? (torch.version ?? '?') : t('engines.missing')} mono />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <TermFact
          id="cudaBuild"
          value={torch.importable ? (torch.cudaBuild ?? t('engines.cpuOnly')) : none}
          mono
        />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <TermFact
          id="cudaAvailable"
          value={torch.importable ? (torch.cudaAvailable ? t('engines.yes') : t('engines.no')) : none}
        />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <TermFact id="xformers" value={version('xformers')} mono />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <TermFact id="bitsandbytes" value={version('bitsandbytes')} mono />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <TermFact id="lycoris" value={version('lycoris-lora')} mono />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <TermFact
          id="sdScripts"
          value={
            probe.report.sdScripts?.tags?.[0] ??
            probe.report.sdScripts?.commit?.slice(0, 8) ??
            t('engines.unknown')
          }
          mono
        />
      </Grid>
    </Grid>
  );
}

function EnvDialog({ engine, onClose }: { engine: EngineProfile; onClose: () => void }) {
  const { t } = useTranslation(['environment', 'common']);
  const setEnv = useEnvironmentStore((state) => state.setEnv);
  const [value, setValue] = useState(
    Object.entries(engine.env)
      .map(([key, entry]) => `${key}=${entry}`)
      .join('\n'),
  );
  const [error, setError] = useState<string | undefined>(undefined);
  const save = async () => {
    const env: Record<string, string> = {};
    for (const line of value.split('\n')) {
      if (!line.trim()) continue;
      const equals = line.indexOf('=');
      if (equals <= 0) {
        setError(t('environment:env.badLine', { line }));
        return;
      }
      env[line.slice(0, equals).trim()] = line.slice(equals + 1);
    }
    const result = await setEnv(engine.id, env);
    if (result.ok) onClose();
    else setError(result.error.message);
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{t('environment:env.title')}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1.5 }}>
          {t('environment:env.help')}
        </Typography>
        <TextField
          data-testid="engine-env-editor"
          multiline
          minRows={4}
          fullWidth
          value={value}
          placeholder="HF_ENDPOINT=https://hf-mirror.com"
          slotProps={{ htmlInput: { style: { fontFamily: monoFontFamily } } }}
          onChange={(event) => {
            setValue(event.target.value);
            setError(undefined);
          }}
          error={error !== undefined}
          helperText={error}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common:actions.cancel')}</Button>
        <Button variant="contained" data-testid="engine-env-save" onClick={() => void save()}>
          {t('environment:env.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function EngineRow({ engine, active }: { engine: EngineProfile; active: boolean }) {
  const { t } = useTranslation('environment');
  const say = useBilingual();
  const probe = useEnvironmentStore((state) => state.list?.probes[engine.id]);
  const probing = useEnvironmentStore((state) => state.probing.includes(engine.id));
  const { probe: runProbe, setActive, detach } = useEnvironmentStore.getState();
  const [editing, setEditing] = useState(false);
  const envCount = Object.keys(engine.env).length;
  return (
    <Box
      data-testid={`engine-${engine.id}`}
      sx={{ p: 2, borderRadius: 2, border: 1, borderColor: active ? 'primary.main' : 'divider' }}
    >
      <Stack
        direction="row"
        spacing={1}
        sx={{ alignItems: 'center', mb: 0.5, flexWrap: 'wrap', rowGap: 0.5 }}
      >
        <Typography variant="body1" sx={{ fontWeight: 600, flex: 1, minWidth: 0 }} translate="no">
          {say(engine.label)}
        </Typography>
        {active && (
          <Chip size="small" color="primary" label={t('engines.active')} data-testid="engine-active-chip" />
        )}
        {probe && (
          <Chip
            size="small"
            variant="outlined"
            color={probe.status === 'ok' ? (probe.report?.torch.importable ? 'success' : 'warning') : 'error'}
            label={
              probe.status === 'ok'
                ? probe.report?.torch.importable
                  ? t('engines.ready')
                  : t('engines.noTorch')
                : t(`probeStatus.${probe.status}`)
            }
          />
        )}
      </Stack>
      <Typography
        variant="caption"
        component="p"
        translate="no"
        sx={{ color: 'text.secondary', fontFamily: monoFontFamily, wordBreak: 'break-all', mb: 1 }}
      >
        {engine.sdScriptsDir}
        {' · '}
        {engine.pythonExe ?? t('engines.noPython')}
      </Typography>
      <ProbeFacts probe={probe} />
      <Stack direction="row" spacing={1} sx={{ mt: 1.5, flexWrap: 'wrap', rowGap: 1 }}>
        {!active && (
          <Button
            size="small"
            variant="contained"
            data-testid="engine-set-active"
            onClick={() => void setActive(engine.id)}
          >
            {t('engines.setActive')}
          </Button>
        )}
        <Button
          size="small"
          variant="outlined"
          data-testid="engine-probe"
          disabled={probing}
          startIcon={probing ? <CircularProgress size={14} color="inherit" /> : undefined}
          onClick={() => void runProbe(engine.id)}
        >
          {t('engines.probe')}
        </Button>
        <Button
          size="small"
          variant="outlined"
          onClick={() => {
            setEditing(true);
          }}
        >
          {envCount ? t('engines.envCount', { count: envCount }) : t('engines.env')}
        </Button>
        <Button size="small" color="inherit" onClick={() => void detach(engine.id)}>
          {t('engines.detach')}
        </Button>
      </Stack>
      {editing && (
        <EnvDialog
          engine={engine}
          onClose={() => {
            setEditing(false);
          }}
        />
      )}
    </Box>
  );
}

function AttachForm() {
  const { t } = useTranslation('environment');
  const say = useBilingual();
  const { attach, search } = useEnvironmentStore.getState();
  const show = useFeedbackStore((state) => state.show);
  const [path, setPath] = useState('');
  const [python, setPython] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ reason: string; expected: string[] } | undefined>(undefined);
  const [found, setFound] = useState<SearchResult | undefined>(undefined);
  const submit = async (folder = path) => {
    if (!folder.trim()) return;
    setBusy(true);
    setProblem(undefined);
    const result = await attach(folder.trim(), python.trim() || undefined);
    setBusy(false);
    if (!result.ok) setProblem({ reason: result.error.message, expected: [] });
    else if (!result.data.ok) setProblem({ reason: say(result.data.reason), expected: result.data.expected });
    else {
      show({ kind: 'success', text: t('attach.done') });
      setPath('');
      setPython('');
    }
  };
  const runSearch = async () => {
    setBusy(true);
    const result = await search(path.trim() ? [path.trim()] : []);
    setBusy(false);
    if (result.ok) setFound(result.data);
  };
  return (
    <Box id="engine-attach">
      <Typography variant="body2" sx={{ fontWeight: 600, mb: 0.5 }}>
        {t('attach.title')}
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1.5 }}>
        {t('attach.help')}
      </Typography>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={1}>
        <TextField
          size="small"
          fullWidth
          label={t('attach.folder')}
          placeholder="D:\\lora-scripts"
          value={path}
          slotProps={{ htmlInput: { 'data-testid': 'engine-attach-path' } }}
          onChange={(event) => {
            setPath(event.target.value);
          }}
        />
        <TextField
          size="small"
          fullWidth
          label={t('attach.python')}
          placeholder={t('attach.pythonPlaceholder')}
          value={python}
          slotProps={{ htmlInput: { 'data-testid': 'engine-attach-python' } }}
          onChange={(event) => {
            setPython(event.target.value);
          }}
        />
        <Stack direction="row" spacing={1} sx={{ flex: 'none' }}>
          <Button
            variant="contained"
            data-testid="engine-attach"
            disabled={busy || !path.trim()}
            onClick={() => void submit()}
          >
            {t('attach.button')}
          </Button>
          <Button
            variant="outlined"
            data-testid="engine-search"
            disabled={busy}
            onClick={() => void runSearch()}
          >
            {t('attach.search')}
          </Button>
        </Stack>
      </Stack>
      {problem && (
        <Alert severity="error" sx={{ mt: 1.5 }} data-testid="engine-attach-error">
          <AlertTitle>{t('attach.failed')}</AlertTitle>
          <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
            {problem.reason}
          </Typography>
          {problem.expected.length > 0 && (
            <Typography variant="caption" component="p" sx={{ mt: 0.5 }} translate="no">
              {t('attach.expected')} {problem.expected.join(' · ')}
            </Typography>
          )}
        </Alert>
      )}
      {found && (
        <Box sx={{ mt: 1.5 }} data-testid="engine-search-result">
          {found.found.length === 0 ? (
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              {t('attach.nothingFound')}
            </Typography>
          ) : (
            <Stack spacing={1}>
              {found.found.map((profile) => (
                <Stack key={profile.id} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <Typography
                    variant="body2"
                    sx={{ flex: 1, minWidth: 0, wordBreak: 'break-all' }}
                    translate="no"
                  >
                    {say(profile.label)} — {profile.root}
                  </Typography>
                  <Button size="small" variant="outlined" onClick={() => void submit(profile.root)}>
                    {t('attach.button')}
                  </Button>
                </Stack>
              ))}
            </Stack>
          )}
        </Box>
      )}
    </Box>
  );
}

export function EnginesCard() {
  const { t } = useTranslation('environment');
  const list = useEnvironmentStore((state) => state.list);
  const engines = list?.engines ?? [];
  return (
    <SectionCard
      title={t('engines.title')}
      icon={<SettingsSuggestOutlined />}
      aside={<Term id="activeEngine" />}
    >
      {engines.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="engines-empty">
          {t('engines.empty')}
        </Typography>
      ) : (
        <Stack spacing={1.5}>
          {engines.map((engine) => (
            <EngineRow key={engine.id} engine={engine} active={engine.id === list?.activeId} />
          ))}
        </Stack>
      )}
      <AttachForm />
    </SectionCard>
  );
}
