import { modelFamilies, trainingTypes } from '@danlu/params';
import ClearOutlined from '@mui/icons-material/ClearOutlined';
import RestartAltOutlined from '@mui/icons-material/RestartAltOutlined';
import SearchOutlined from '@mui/icons-material/SearchOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import InputLabel from '@mui/material/InputLabel';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useDeferredValue, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { changedIds } from '../../lib/expertFields.js';
import {
  selectBaseline,
  selectConfig,
  selectFamily,
  selectPresetId,
  selectPresets,
  selectQuery,
  selectTrainingType,
  useExpertStore,
} from '../../stores/expertStore.js';
import { StartRunButton } from '../runs/StartRunButton.js';
import { PresetActions } from './PresetActions.js';
import { textIn } from './text.js';

const none = '__none__';

function FamilyAndType() {
  const { t } = useTranslation('expert');
  const family = useExpertStore(selectFamily);
  const trainingType = useExpertStore(selectTrainingType);
  const setFamily = useExpertStore((state) => state.setFamily);
  const setTrainingType = useExpertStore((state) => state.setTrainingType);
  return (
    <>
      <FormControl size="small" sx={{ width: 130, flex: 'none' }}>
        <InputLabel id="expert-family-label">{t('toolbar.family')}</InputLabel>
        <Select
          data-testid="expert-family"
          labelId="expert-family-label"
          label={t('toolbar.family')}
          value={family}
          onChange={(event) => {
            setFamily(event.target.value);
          }}
        >
          {modelFamilies.map((id) => (
            <MenuItem key={id} value={id}>
              {t(`families.${id}`)}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl size="small" sx={{ width: 190, flex: 'none' }}>
        <InputLabel id="expert-type-label">{t('toolbar.type')}</InputLabel>
        <Select
          data-testid="expert-type"
          labelId="expert-type-label"
          label={t('toolbar.type')}
          value={trainingType}
          onChange={(event) => {
            setTrainingType(event.target.value);
          }}
        >
          {trainingTypes.map((id) => (
            <MenuItem key={id} value={id}>
              {t(`types.${id}`)}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
    </>
  );
}

function PresetPicker() {
  const { t, i18n } = useTranslation('expert');
  const presetId = useExpertStore(selectPresetId);
  const presets = useExpertStore(selectPresets);
  const choosePreset = useExpertStore((state) => state.choosePreset);
  const findPreset = (id: string | null) => presets.find((p) => p.meta.id === id);
  const user = presets.filter((p) => p.source === 'user');
  const item = (preset: (typeof presets)[number]) => (
    <MenuItem key={preset.meta.id} value={preset.meta.id} sx={{ whiteSpace: 'normal' }}>
      <ListItemText
        primary={textIn(preset.meta.name, i18n.language)}
        secondary={textIn(preset.meta.description, i18n.language)}
        slotProps={{ secondary: { variant: 'caption' } }}
      />
    </MenuItem>
  );
  return (
    <FormControl size="small" sx={{ width: { xs: 240, xl: 300 }, flex: 'none' }}>
      <InputLabel id="expert-preset-label">{t('toolbar.preset')}</InputLabel>
      <Select
        data-testid="expert-preset"
        labelId="expert-preset-label"
        label={t('toolbar.preset')}
        value={presetId ?? none}
        onChange={(event) => {
          choosePreset(event.target.value === none ? null : event.target.value);
        }}
        renderValue={(id) => {
          const preset = findPreset(id === none ? null : id);
          return preset ? textIn(preset.meta.name, i18n.language) : t('toolbar.presetNone');
        }}
        MenuProps={{ slotProps: { paper: { sx: { maxWidth: 460 } } } }}
      >
        {presets.filter((p) => p.source === 'bundled').map(item)}
        {user.length > 0 && <ListSubheader>{t('toolbar.userPresets')}</ListSubheader>}
        {user.map(item)}
        <MenuItem value={none} sx={{ whiteSpace: 'normal' }}>
          <ListItemText
            primary={t('toolbar.presetNone')}
            secondary={t('toolbar.presetNoneDescription')}
            slotProps={{ secondary: { variant: 'caption' } }}
          />
        </MenuItem>
      </Select>
    </FormControl>
  );
}

function SearchBox() {
  const { t } = useTranslation('expert');
  const query = useExpertStore(selectQuery);
  const setQuery = useExpertStore((state) => state.setQuery);
  return (
    <TextField
      size="small"
      value={query}
      placeholder={t('toolbar.searchPlaceholder')}
      onChange={(event) => {
        setQuery(event.target.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setQuery('');
      }}
      sx={{ flex: '1 1 220px', minWidth: 200, maxWidth: 420 }}
      slotProps={{
        input: {
          startAdornment: (
            <InputAdornment position="start">
              <SearchOutlined fontSize="small" />
            </InputAdornment>
          ),
          endAdornment:
            query === '' ? undefined : (
              <InputAdornment position="end">
                <IconButton
                  size="small"
                  edge="end"
                  aria-label={t('toolbar.clearSearch')}
                  onClick={() => {
                    setQuery('');
                  }}
                >
                  <ClearOutlined fontSize="small" />
                </IconButton>
              </InputAdornment>
            ),
        },
        htmlInput: {
          'data-testid': 'expert-search',
          'aria-label': t('toolbar.search'),
          spellCheck: false,
          autoComplete: 'off',
        },
      }}
    />
  );
}

/** The preset's description and how much differs from it, with one button to take it all back. */
function PresetSummary() {
  const { t, i18n } = useTranslation('expert');
  const presetId = useExpertStore(selectPresetId);
  const config = useDeferredValue(useExpertStore(selectConfig));
  const baseline = useExpertStore(selectBaseline);
  const resetAll = useExpertStore((state) => state.resetAll);
  const changed = useMemo(() => changedIds(config, baseline).length, [config, baseline]);
  const preset = useExpertStore(selectPresets).find((p) => p.meta.id === presetId);
  return (
    <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', minWidth: 0, minHeight: 32 }}>
      <Typography
        variant="body2"
        sx={{
          color: 'text.secondary',
          flex: 1,
          minWidth: 0,
          overflow: 'hidden',
          textOverflow: 'ellipsis',
          whiteSpace: 'nowrap',
        }}
      >
        {preset ? textIn(preset.meta.description, i18n.language) : t('toolbar.presetNoneDescription')}
      </Typography>
      <Chip
        size="small"
        data-testid="expert-changed-count"
        color={changed > 0 ? 'primary' : 'default'}
        variant="outlined"
        label={changed > 0 ? t('toolbar.changed', { count: changed }) : t('toolbar.unchanged')}
      />
      <Button
        size="small"
        color="inherit"
        startIcon={<RestartAltOutlined />}
        disabled={changed === 0}
        onClick={resetAll}
        sx={{ flex: 'none' }}
      >
        {t('toolbar.resetAll')}
      </Button>
    </Stack>
  );
}

export function ExpertToolbar() {
  return (
    <Stack spacing={1}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'center', pt: 0.5 }}>
        <FamilyAndType />
        <PresetPicker />
        <PresetActions />
        <SearchBox />
        <Box sx={{ flex: 1 }} />
        <StartRunButton getConfig={() => useExpertStore.getState().config} />
      </Box>
      <PresetSummary />
    </Stack>
  );
}
