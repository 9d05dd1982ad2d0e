import { TrainingConfigSchema } from '@danlu/params';
import MoreHorizOutlined from '@mui/icons-material/MoreHorizOutlined';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '../../bridge/api.js';
import type { UiError } from '../../bridge/types.js';
import { pickLanguage } from '../../lib/apiText.js';
import { useExpertStore, selectPresetId, selectPresets } from '../../stores/expertStore.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { deletePreset, renamePreset, saveAsPreset } from './presetActions.js';
import { textIn } from './text.js';

type Mode = 'saveAs' | 'rename' | 'delete' | 'import' | 'export';

/** Save / rename / delete user presets and import / export configurations from a path. */
export function PresetActions() {
  const { t, i18n } = useTranslation('expert');
  const presets = useExpertStore(selectPresets);
  const presetId = useExpertStore(selectPresetId);
  const show = useFeedbackStore((state) => state.show);
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [mode, setMode] = useState<Mode | null>(null);
  const [text, setText] = useState('');
  const [format, setFormat] = useState<'kohya' | 'danlu'>('kohya');
  const [overwrite, setOverwrite] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const current = presets.find((p) => p.meta.id === presetId);
  const isUser = current?.source === 'user';
  const currentName = current ? textIn(current.meta.name, i18n.language) : '';

  const open = (next: Mode) => {
    setAnchor(null);
    setError(undefined);
    setText(
      next === 'rename' || next === 'saveAs' ? (current ? textIn(current.meta.name, i18n.language) : '') : '',
    );
    setMode(next);
  };
  const fail = (e: UiError) => {
    setError(pickLanguage(e.message, i18n.language));
  };
  const done = (message: string) => {
    setMode(null);
    show({ kind: 'success', text: message });
  };

  const submit = async () => {
    if (mode === null) return;
    setBusy(true);
    try {
      const value = text.trim();
      if (mode === 'saveAs') {
        const e = await saveAsPreset(value);
        if (e) fail(e);
        else done(t('presets.saved', { name: value }));
      } else if (mode === 'rename' && presetId) {
        const e = await renamePreset(presetId, value);
        if (e) fail(e);
        else done(t('presets.renamed', { name: value }));
      } else if (mode === 'delete' && presetId) {
        const e = await deletePreset(presetId);
        if (e) fail(e);
        else done(t('presets.deleted'));
      } else if (mode === 'import') {
        const answer = await api.call('presets.import', { path: value });
        if (!answer.ok) {
          fail(answer.error);
          return;
        }
        const config = TrainingConfigSchema.safeParse(answer.data.config);
        if (!config.success) {
          setError(t('presets.importInvalid'));
          return;
        }
        useExpertStore.getState().loadConfig(config.data, null);
        const notes = answer.data.notices.map((n) => textIn(n.text, i18n.language));
        setMode(null);
        show(
          notes.length > 0
            ? {
                kind: 'warning',
                text: t('presets.importedWithNotes', { count: notes.length }),
                detail: notes.join('\n'),
              }
            : { kind: 'success', text: t('presets.imported') },
        );
      } else {
        const { config } = useExpertStore.getState();
        const answer = await api.call('presets.export', { path: value, format, config, overwrite });
        if (!answer.ok) {
          fail(answer.error);
          return;
        }
        done(t('presets.exported', { files: answer.data.files.join(', ') }));
      }
    } finally {
      setBusy(false);
    }
  };

  const needsText = mode !== 'delete';
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        data-testid="expert-preset-actions"
        startIcon={<MoreHorizOutlined />}
        onClick={(event) => {
          setAnchor(event.currentTarget);
        }}
        sx={{ flex: 'none' }}
      >
        {t('presets.actions')}
      </Button>
      <Menu
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => {
          setAnchor(null);
        }}
      >
        <MenuItem
          data-testid="preset-save-as"
          onClick={() => {
            open('saveAs');
          }}
        >
          {t('presets.saveAs')}
        </MenuItem>
        {isUser && (
          <MenuItem
            data-testid="preset-save"
            onClick={() => {
              setAnchor(null);
              if (presetId === null) return;
              void saveAsPreset(currentName, presetId).then((e) => {
                if (e) show({ kind: 'error', text: t('presets.saveFailed'), error: e });
                else
                  show({
                    kind: 'success',
                    text: t('presets.saved', { name: currentName }),
                  });
              });
            }}
          >
            {t('presets.save')}
          </MenuItem>
        )}
        {isUser && (
          <MenuItem
            data-testid="preset-rename"
            onClick={() => {
              open('rename');
            }}
          >
            {t('presets.rename')}
          </MenuItem>
        )}
        {isUser && (
          <MenuItem
            data-testid="preset-delete"
            onClick={() => {
              open('delete');
            }}
          >
            {t('presets.delete')}
          </MenuItem>
        )}
        <MenuItem
          data-testid="preset-import"
          onClick={() => {
            open('import');
          }}
        >
          {t('presets.import')}
        </MenuItem>
        <MenuItem
          data-testid="preset-export"
          onClick={() => {
            open('export');
          }}
        >
          {t('presets.export')}
        </MenuItem>
      </Menu>
      <Dialog
        open={mode !== null}
        onClose={() => {
          setMode(null);
        }}
        fullWidth
        maxWidth="sm"
      >
        {mode !== null && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
          >
            <DialogTitle>{t(`presets.titles.${mode}`)}</DialogTitle>
            <DialogContent>
              <Stack spacing={2} sx={{ pt: 0.5 }}>
                <DialogContentText variant="body2">
                  {mode === 'delete' && current
                    ? t('presets.deleteBody', { name: textIn(current.meta.name, i18n.language) })
                    : t(`presets.bodies.${mode}`)}
                </DialogContentText>
                {mode === 'export' && (
                  <ToggleButtonGroup
                    size="small"
                    exclusive
                    value={format}
                    onChange={(_, next: 'kohya' | 'danlu' | null) => {
                      if (next) setFormat(next);
                    }}
                  >
                    <ToggleButton value="kohya" data-testid="export-format-kohya">
                      {t('presets.formatKohya')}
                    </ToggleButton>
                    <ToggleButton value="danlu" data-testid="export-format-danlu">
                      {t('presets.formatDanlu')}
                    </ToggleButton>
                  </ToggleButtonGroup>
                )}
                {needsText && (
                  <TextField
                    autoFocus
                    size="small"
                    fullWidth
                    value={text}
                    error={error !== undefined}
                    helperText={error}
                    label={mode === 'saveAs' || mode === 'rename' ? t('presets.name') : t('presets.path')}
                    onChange={(event) => {
                      setText(event.target.value);
                      setError(undefined);
                    }}
                    slotProps={{ htmlInput: { 'data-testid': 'preset-dialog-input', spellCheck: false } }}
                  />
                )}
                {!needsText && error && (
                  <DialogContentText variant="body2" color="error">
                    {error}
                  </DialogContentText>
                )}
                {mode === 'export' && (
                  <FormControlLabel
                    control={
                      <Checkbox
                        size="small"
                        checked={overwrite}
                        onChange={(e) => {
                          setOverwrite(e.target.checked);
                        }}
                      />
                    }
                    label={t('presets.overwrite')}
                  />
                )}
              </Stack>
            </DialogContent>
            <DialogActions>
              <Button
                onClick={() => {
                  setMode(null);
                }}
                color="inherit"
              >
                {t('presets.cancel')}
              </Button>
              <Button
                type="submit"
                variant="contained"
                color={mode === 'delete' ? 'error' : 'primary'}
                data-testid="preset-dialog-ok"
                disabled={busy || (needsText && text.trim() === '')}
              >
                {t(`presets.ok.${mode}`)}
              </Button>
            </DialogActions>
          </form>
        )}
      </Dialog>
    </>
  );
}
