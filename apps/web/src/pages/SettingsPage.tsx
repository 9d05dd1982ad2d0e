import { experienceLevels, languages, themes, type Folders } from '@danlu/contracts';
import FolderOutlined from '@mui/icons-material/FolderOutlined';
import InfoOutlined from '@mui/icons-material/InfoOutlined';
import PaletteOutlined from '@mui/icons-material/PaletteOutlined';
import RestartAltOutlined from '@mui/icons-material/RestartAltOutlined';
import TuneOutlined from '@mui/icons-material/TuneOutlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { UiError } from '../bridge/types.js';
import { ErrorDetails } from '../components/ErrorDetails.js';
import { PageRoot } from '../components/PageRoot.js';
import { SectionCard } from '../components/SectionCard.js';
import { useUpdateSettings } from '../hooks/useUpdateSettings.js';
import { folderPathProblem } from '../lib/folderPath.js';
import { selectAppInfo, selectAppInfoError, useAppInfoStore } from '../stores/appInfoStore.js';
import { useFeedbackStore } from '../stores/feedbackStore.js';
import {
  selectConfirmedFolders,
  selectExperienceLevel,
  selectLanguage,
  selectTheme,
  useSettingsStore,
} from '../stores/settingsStore.js';
import { monoFontFamily } from '../theme/theme.js';

/** A Windows-style settings row: what it is on the left, the control on the right. */
function SettingRow({
  id,
  label,
  help,
  children,
  first = false,
}: {
  id: string;
  label: string;
  help: string;
  children: ReactNode;
  first?: boolean;
}) {
  return (
    <Stack
      direction="row"
      spacing={2}
      sx={{
        alignItems: 'center',
        py: 1.5,
        borderTop: first ? 0 : 1,
        borderColor: 'divider',
        flexWrap: { xs: 'wrap', sm: 'nowrap' },
        rowGap: 1,
      }}
    >
      <Box sx={{ flex: 1, minWidth: 0 }}>
        <Typography id={id} variant="body1" sx={{ fontWeight: 500 }}>
          {label}
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {help}
        </Typography>
      </Box>
      <Box sx={{ flex: 'none', width: 220 }}>{children}</Box>
    </Stack>
  );
}

function AppearanceCard() {
  const { t } = useTranslation(['settings', 'common']);
  const language = useSettingsStore(selectLanguage) ?? 'zh-CN';
  const theme = useSettingsStore(selectTheme) ?? 'light';
  const updateSettings = useUpdateSettings();
  return (
    <SectionCard title={t('settings:appearance.title')} icon={<PaletteOutlined />}>
      <Box>
        <SettingRow
          first
          id="settings-language-label"
          label={t('settings:appearance.language')}
          help={t('settings:appearance.languageHelp')}
        >
          <Select
            data-testid="settings-language"
            labelId="settings-language-label"
            size="small"
            fullWidth
            value={language}
            onChange={(event) => {
              updateSettings({ language: event.target.value });
            }}
          >
            {languages.map((id) => (
              <MenuItem key={id} value={id} lang={id}>
                {t(`common:language.names.${id}`)}
              </MenuItem>
            ))}
          </Select>
        </SettingRow>
        <SettingRow
          id="settings-theme-label"
          label={t('settings:appearance.theme')}
          help={t('settings:appearance.themeHelp')}
        >
          <Select
            data-testid="settings-theme"
            labelId="settings-theme-label"
            size="small"
            fullWidth
            value={theme}
            onChange={(event) => {
              updateSettings({ theme: event.target.value });
            }}
          >
            {themes.map((id) => (
              <MenuItem key={id} value={id}>
                {t(`settings:appearance.themes.${id}`)}
              </MenuItem>
            ))}
          </Select>
        </SettingRow>
      </Box>
    </SectionCard>
  );
}

function LevelCard() {
  const { t } = useTranslation(['settings', 'common']);
  const level = useSettingsStore(selectExperienceLevel) ?? 'beginner';
  const updateSettings = useUpdateSettings();
  return (
    <SectionCard title={t('settings:level.title')} icon={<TuneOutlined />}>
      <SettingRow
        first
        id="settings-level-label"
        label={t('settings:level.label')}
        help={t('settings:level.intro')}
      >
        <Select
          data-testid="settings-level"
          labelId="settings-level-label"
          size="small"
          fullWidth
          value={level}
          onChange={(event) => {
            updateSettings({ experienceLevel: event.target.value });
          }}
        >
          {experienceLevels.map((id) => (
            <MenuItem key={id} value={id}>
              {t(`common:level.${id}`)}
            </MenuItem>
          ))}
        </Select>
      </SettingRow>
      <Stack component="ul" spacing={0.75} sx={{ listStyle: 'none', p: 0, m: 0 }}>
        {experienceLevels.map((id) => (
          <Box
            component="li"
            key={id}
            aria-current={id === level ? 'true' : undefined}
            sx={(muiTheme) => ({
              display: 'flex',
              gap: 1.5,
              px: 1.5,
              py: 1,
              borderRadius: 2,
              border: 1,
              borderColor: id === level ? alpha(muiTheme.palette.primary.main, 0.45) : 'divider',
              bgcolor: id === level ? alpha(muiTheme.palette.primary.main, 0.07) : 'transparent',
            })}
          >
            <Typography
              variant="body2"
              sx={{
                fontWeight: 600,
                minWidth: 72,
                flex: 'none',
                color: id === level ? 'primary.main' : 'text.primary',
              }}
            >
              {t(`common:level.${id}`)}
            </Typography>
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              {t(`settings:level.help.${id}`)}
            </Typography>
          </Box>
        ))}
      </Stack>
    </SectionCard>
  );
}

const folderKeys = ['models', 'datasets', 'outputs'] as const satisfies readonly (keyof Folders)[];

function sameFolders(a: Folders, b: Folders): boolean {
  return folderKeys.every((key) => a[key] === b[key]);
}

function FoldersCard() {
  const { t } = useTranslation(['settings', 'common']);
  const confirmed = useSettingsStore(selectConfirmedFolders);
  const update = useSettingsStore((state) => state.update);
  const show = useFeedbackStore((state) => state.show);
  // Unsaved edits, with the saved folders they started from: when those change underneath (a reset,
  // another window), the edits are dropped and the fields show what is saved now.
  const [edit, setEdit] = useState<{ base: Folders; values: Folders } | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<UiError | undefined>(undefined);
  if (!confirmed) return null;
  const draft = edit && sameFolders(edit.base, confirmed) ? edit.values : undefined;
  const values = draft ?? confirmed;
  const setDraft = (next: Folders | undefined) => {
    setEdit(next ? { base: confirmed, values: next } : undefined);
  };
  const problems = Object.fromEntries(
    folderKeys.map((key) => [key, folderPathProblem(values[key])]),
  ) as Record<keyof Folders, ReturnType<typeof folderPathProblem>>;
  const dirty = folderKeys.some((key) => values[key].trim() !== confirmed[key]);
  const valid = folderKeys.every((key) => problems[key] === undefined);

  const save = async () => {
    const folders = Object.fromEntries(folderKeys.map((key) => [key, values[key].trim()])) as Folders;
    setSaving(true);
    setError(undefined);
    const result = await update({ folders });
    setSaving(false);
    if (result.ok) {
      setDraft(undefined);
      show({ kind: 'success', text: t('settings:folders.saved') });
    } else {
      setError(result.error);
    }
  };

  return (
    <SectionCard title={t('settings:folders.title')} icon={<FolderOutlined />}>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {t('settings:folders.help')}
      </Typography>
      <Box
        component="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (dirty && valid && !saving) void save();
        }}
        sx={{ display: 'flex', flexDirection: 'column', gap: 2, mt: 1 }}
      >
        {folderKeys.map((key) => {
          const problem = problems[key];
          return (
            <TextField
              key={key}
              size="small"
              fullWidth
              label={t(`settings:folders.${key}`)}
              value={values[key]}
              error={problem !== undefined}
              helperText={
                problem === 'required'
                  ? t('settings:folders.required')
                  : problem === 'not_absolute'
                    ? t('settings:folders.notAbsolute')
                    : t(`settings:folders.${key}Help`)
              }
              onChange={(event) => {
                setDraft({ ...values, [key]: event.target.value });
              }}
              slotProps={{
                htmlInput: {
                  'data-testid': `settings-folder-${key}`,
                  spellCheck: false,
                  autoComplete: 'off',
                  style: { fontFamily: monoFontFamily, fontSize: '0.875rem' },
                },
              }}
            />
          );
        })}
        {error && (
          <Alert severity="error" data-testid="settings-folders-error">
            <AlertTitle>{t('settings:folders.saveFailed')}</AlertTitle>
            <ErrorDetails error={error} />
          </Alert>
        )}
        <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
          {dirty && (
            <Button
              onClick={() => {
                setDraft(undefined);
                setError(undefined);
              }}
            >
              {t('settings:folders.undo')}
            </Button>
          )}
          <Button
            data-testid="settings-save"
            type="submit"
            variant="contained"
            disabled={!dirty || !valid || saving}
            startIcon={saving ? <CircularProgress size={16} color="inherit" /> : undefined}
          >
            {t('settings:folders.save')}
          </Button>
        </Stack>
      </Box>
      <ModelFoldersField />
    </SectionCard>
  );
}

/** Parses the one-path-per-line text; blank lines are dropped. */
function parseFolderLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/**
 * Further folders searched for base models (a WebUI's models/Stable-diffusion, a shared drive): the wizard
 * and the Expert page list the checkpoints found in them next to those in the models folder.
 */
function ModelFoldersField() {
  const { t } = useTranslation(['settings']);
  const saved = useSettingsStore((state) => state.confirmed?.modelFolders);
  const update = useSettingsStore((state) => state.update);
  const show = useFeedbackStore((state) => state.show);
  const savedText = (saved ?? []).join('\n');
  const [edit, setEdit] = useState<{ base: string; text: string } | undefined>(undefined);
  const [error, setError] = useState<UiError | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const text = edit && edit.base === savedText ? edit.text : savedText;
  const lines = parseFolderLines(text);
  const bad = lines.find((line) => folderPathProblem(line) !== undefined);
  const dirty = lines.join('\n') !== savedText;
  const valid = bad === undefined && lines.length <= 32;

  const save = async () => {
    setSaving(true);
    setError(undefined);
    const result = await update({ modelFolders: lines });
    setSaving(false);
    if (result.ok) {
      setEdit(undefined);
      show({ kind: 'success', text: t('settings:modelFolders.saved') });
    } else {
      setError(result.error);
    }
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, mt: 2 }}>
      <TextField
        size="small"
        fullWidth
        multiline
        minRows={2}
        label={t('settings:modelFolders.label')}
        value={text}
        error={!valid}
        helperText={
          bad !== undefined
            ? t('settings:modelFolders.notAbsolute', { path: bad })
            : lines.length > 32
              ? t('settings:modelFolders.tooMany')
              : t('settings:modelFolders.help')
        }
        onChange={(event) => {
          setEdit({ base: savedText, text: event.target.value });
        }}
        slotProps={{
          htmlInput: {
            'data-testid': 'settings-model-folders',
            spellCheck: false,
            style: { fontFamily: monoFontFamily, fontSize: '0.875rem' },
          },
        }}
      />
      {error && (
        <Alert severity="error">
          <AlertTitle>{t('settings:modelFolders.saveFailed')}</AlertTitle>
          <ErrorDetails error={error} />
        </Alert>
      )}
      <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
        <Button
          data-testid="settings-model-folders-save"
          variant="outlined"
          disabled={!dirty || !valid || saving}
          onClick={() => void save()}
        >
          {t('settings:modelFolders.save')}
        </Button>
      </Stack>
    </Box>
  );
}

function AboutRow({ label, value, mono = false }: { label: string; value: string; mono?: boolean }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
        {label}
      </Typography>
      <Typography
        variant="body2"
        translate={mono ? 'no' : undefined}
        sx={mono ? { fontFamily: monoFontFamily, fontSize: '0.8125rem', wordBreak: 'break-all' } : undefined}
      >
        {value}
      </Typography>
    </Box>
  );
}

function AboutCard() {
  const { t } = useTranslation('settings');
  const info = useAppInfoStore(selectAppInfo);
  const error = useAppInfoStore(selectAppInfoError);
  return (
    <SectionCard title={t('about.title')} icon={<InfoOutlined />}>
      {info ? (
        <Stack spacing={1.5}>
          <AboutRow label={t('about.version')} value={`${info.name} ${info.version}`} />
          <AboutRow label={t('about.transport')} value={t(`about.transports.${info.transport}`)} />
          <AboutRow
            label={t('about.platform')}
            value={`${info.platform} ${info.arch} · Node ${info.versions.node}`}
          />
          <AboutRow label={t('about.data')} value={info.paths.data} mono />
          <AboutRow label={t('about.settingsFile')} value={info.paths.settingsFile} mono />
          <AboutRow label={t('about.logs')} value={info.paths.logs} mono />
        </Stack>
      ) : error ? (
        <ErrorDetails error={error} />
      ) : (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('about.loading')}
        </Typography>
      )}
    </SectionCard>
  );
}

function ResetButton() {
  const { t } = useTranslation(['settings', 'common']);
  const reset = useSettingsStore((state) => state.reset);
  const show = useFeedbackStore((state) => state.show);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    const result = await reset();
    setBusy(false);
    setOpen(false);
    show(
      result.ok
        ? { kind: 'success', text: t('settings:reset.done') }
        : { kind: 'error', text: t('settings:reset.failed'), error: result.error },
    );
  };
  return (
    <>
      <Button
        data-testid="settings-reset"
        variant="outlined"
        color="inherit"
        startIcon={<RestartAltOutlined />}
        onClick={() => {
          setOpen(true);
        }}
        sx={{ borderColor: 'divider' }}
      >
        {t('settings:reset.action')}
      </Button>
      <Dialog
        open={open}
        onClose={() => {
          if (!busy) setOpen(false);
        }}
        aria-labelledby="settings-reset-title"
        maxWidth="xs"
        fullWidth
      >
        <DialogTitle id="settings-reset-title">{t('settings:reset.title')}</DialogTitle>
        <DialogContent>
          <DialogContentText>{t('settings:reset.body')}</DialogContentText>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2 }}>
          <Button
            disabled={busy}
            onClick={() => {
              setOpen(false);
            }}
          >
            {t('common:actions.cancel')}
          </Button>
          <Button
            data-testid="settings-reset-confirm"
            variant="contained"
            disabled={busy}
            onClick={() => {
              void confirm();
            }}
          >
            {t('settings:reset.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

export function SettingsPage() {
  return (
    <PageRoot id="settings" actions={<ResetButton />}>
      <Grid container spacing={2.5}>
        <Grid size={{ xs: 12, md: 7 }} sx={{ display: 'flex', flexDirection: 'column', gap: 2.5 }}>
          <AppearanceCard />
          <LevelCard />
        </Grid>
        <Grid size={{ xs: 12, md: 5 }} sx={{ display: 'flex', flexDirection: 'column', gap: 2.5 }}>
          <FoldersCard />
          <AboutCard />
        </Grid>
      </Grid>
    </PageRoot>
  );
}
