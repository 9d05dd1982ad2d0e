import { canUnset, type ParamEntry, type ParamValue, type TrainingConfig } from '@danlu/params';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

import {
  formatNumber,
  formatValue,
  parseFieldInput,
  sameValue,
  stepFor,
  type FieldInput,
} from '../../lib/expertFields.js';
import { monoFontFamily } from '../../theme/theme.js';
import { textIn } from './text.js';

export interface FieldControlProps {
  entry: ParamEntry;
  /** The effective value (stored, else Danlu's default; null = not set). */
  value: ParamValue | null;
  config: Pick<TrainingConfig, 'family' | 'trainingType'>;
  labelId: string;
  onChange: (value: ParamValue | null) => void;
}

/** What the user typed, and the value it was typed over: when the value changes elsewhere it wins. */
interface Draft {
  text: string;
  base: ParamValue | null;
  error?: string;
}

/** Local text while typing; a valid text is stored at once, an invalid one stays here with its reason. */
function useDraft({ entry, value, config, onChange }: FieldControlProps) {
  const { i18n } = useTranslation();
  const [draft, setDraft] = useState<Draft | undefined>(undefined);
  const live = draft !== undefined && sameValue(draft.base, value) ? draft : undefined;
  const edit = (text: string, parse: (text: string) => FieldInput) => {
    const result = parse(text);
    if (result.ok) {
      setDraft({ text, base: result.value });
      onChange(result.value);
    } else {
      setDraft({ text, base: value, error: textIn(result.message, i18n.language) });
    }
  };
  const typed = (text: string) => {
    edit(text, (t) => parseFieldInput(entry, t, { ...config, values: {}, subsets: [] }));
  };
  return {
    text: live?.text,
    error: live?.error,
    typed,
    edit,
    /** Leaving a valid field shows the value in its usual form again. */
    settle: () => {
      if (live && live.error === undefined) setDraft(undefined);
    },
  };
}

const monoInput = { fontFamily: monoFontFamily, fontSize: '0.8125rem' };

function NumberField(props: FieldControlProps) {
  const { entry, value, labelId } = props;
  const { t } = useTranslation('expert');
  const draft = useDraft(props);
  const text = draft.text ?? formatValue(entry, value);
  const step = stepFor(entry);
  const nudge = (event: KeyboardEvent, direction: 1 | -1) => {
    const current = Number(text);
    if (text.trim() === '' || !Number.isFinite(current)) return;
    event.preventDefault();
    const by = step === 'any' ? (Math.abs(current) < 1 && current !== 0 ? Math.abs(current) / 10 : 1) : step;
    let next = current + direction * by;
    if (entry.min !== undefined) next = Math.max(entry.min, next);
    if (entry.max !== undefined) next = Math.min(entry.max, next);
    draft.typed(formatNumber(Number(next.toPrecision(12))));
  };
  const range =
    entry.min !== undefined && entry.max !== undefined
      ? t('field.range', { min: formatNumber(entry.min), max: formatNumber(entry.max) })
      : undefined;
  const unset = value === null;
  return (
    <TextField
      size="small"
      fullWidth
      value={text}
      error={draft.error !== undefined}
      helperText={draft.error}
      placeholder={unset ? t('field.notSet') : range}
      onChange={(event) => {
        draft.typed(event.target.value);
      }}
      onBlur={draft.settle}
      slotProps={{
        input: entry.unit
          ? { endAdornment: <InputAdornment position="end">{entry.unit}</InputAdornment> }
          : undefined,
        htmlInput: {
          role: 'spinbutton',
          inputMode: entry.type === 'int' ? 'numeric' : 'decimal',
          'aria-labelledby': labelId,
          'aria-valuemin': entry.min,
          'aria-valuemax': entry.max,
          'aria-valuenow': typeof value === 'number' ? value : undefined,
          spellCheck: false,
          autoComplete: 'off',
          title: range,
          style: monoInput,
          onKeyDown: (event: KeyboardEvent) => {
            if (event.key === 'ArrowUp') nudge(event, 1);
            if (event.key === 'ArrowDown') nudge(event, -1);
          },
        },
      }}
    />
  );
}

function TextInput(props: FieldControlProps) {
  const { entry, value, labelId } = props;
  const { t } = useTranslation('expert');
  const draft = useDraft(props);
  const multiline = entry.type === 'string_list';
  const mono = entry.type !== 'string';
  const hint =
    entry.type === 'string_list'
      ? t('field.listHint')
      : entry.type === 'float_list' || entry.type === 'pair'
        ? t('field.numberListHint')
        : undefined;
  return (
    <TextField
      size="small"
      fullWidth
      multiline={multiline}
      minRows={multiline ? 2 : undefined}
      maxRows={multiline ? 6 : undefined}
      value={draft.text ?? formatValue(entry, value)}
      error={draft.error !== undefined}
      helperText={draft.error ?? hint}
      placeholder={value === null ? t('field.notSet') : undefined}
      onChange={(event) => {
        draft.typed(event.target.value);
      }}
      onBlur={draft.settle}
      slotProps={{
        htmlInput: {
          'aria-labelledby': labelId,
          spellCheck: false,
          autoComplete: 'off',
          translate: 'no',
          style: mono ? monoInput : undefined,
        },
      }}
    />
  );
}

function ResolutionField(props: FieldControlProps) {
  const { entry, value, labelId } = props;
  const { t } = useTranslation('expert');
  const draft = useDraft(props);
  const [w = '', h = ''] = (draft.text ?? (typeof value === 'string' ? value : '')).split(',');
  const set = (width: string, height: string) => {
    draft.edit(`${width},${height}`, (text) =>
      parseFieldInput(entry, text.replace(/^,|,$/g, ''), { ...props.config, values: {}, subsets: [] }),
    );
  };
  const input = (label: string, v: string, onValue: (text: string) => void) => (
    <TextField
      size="small"
      value={v}
      error={draft.error !== undefined}
      onChange={(event) => {
        onValue(event.target.value.trim());
      }}
      onBlur={draft.settle}
      sx={{ flex: 1, minWidth: 0 }}
      slotProps={{
        input: { endAdornment: <InputAdornment position="end">px</InputAdornment> },
        htmlInput: {
          inputMode: 'numeric',
          'aria-label': label,
          'aria-describedby': labelId,
          autoComplete: 'off',
          style: monoInput,
        },
      }}
    />
  );
  return (
    <Stack spacing={0.5}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        {input(t('field.width'), w, (text) => {
          set(text, h);
        })}
        <Typography aria-hidden sx={{ color: 'text.secondary' }}>
          ×
        </Typography>
        {input(t('field.height'), h, (text) => {
          set(w, text);
        })}
      </Stack>
      {draft.error !== undefined && (
        <Typography variant="caption" sx={{ color: 'error.main', px: 1.75 }}>
          {draft.error}
        </Typography>
      )}
    </Stack>
  );
}

function EnumField({ entry, value, labelId, onChange }: FieldControlProps) {
  const { t } = useTranslation('expert');
  const choices = entry.choices ?? [];
  const unset = canUnset(entry);
  const current = typeof value === 'string' ? value : '';
  // A custom value from an imported file (a dotted optimizer class) is shown as it is.
  const options = current !== '' && !choices.includes(current) ? [...choices, current] : choices;
  return (
    <Select
      size="small"
      fullWidth
      displayEmpty
      value={current}
      inputProps={{ 'aria-labelledby': labelId }}
      onChange={(event) => {
        onChange(event.target.value === '' ? null : event.target.value);
      }}
      sx={{ '& .MuiSelect-select': monoInput }}
      renderValue={(selected) =>
        selected === '' ? (
          <Typography component="span" sx={{ color: 'text.secondary', fontSize: '0.875rem' }}>
            {t('field.notSet')}
          </Typography>
        ) : (
          <span translate="no">{selected}</span>
        )
      }
    >
      {unset && (
        <MenuItem value="">
          <Typography component="span" sx={{ color: 'text.secondary', fontSize: '0.875rem' }}>
            {t('field.notSet')}
          </Typography>
        </MenuItem>
      )}
      {options.map((choice) => (
        <MenuItem key={choice} value={choice} translate="no" sx={monoInput}>
          {choice}
        </MenuItem>
      ))}
    </Select>
  );
}

function NumberChoiceField({ entry, value, labelId, onChange }: FieldControlProps) {
  const choices = entry.choices ?? [];
  return (
    <Select
      size="small"
      fullWidth
      value={typeof value === 'number' ? String(value) : ''}
      inputProps={{ 'aria-labelledby': labelId }}
      onChange={(event) => {
        onChange(Number(event.target.value));
      }}
      sx={{ '& .MuiSelect-select': monoInput }}
    >
      {choices.map((choice) => (
        <MenuItem key={choice} value={choice} sx={monoInput}>
          {choice}
        </MenuItem>
      ))}
    </Select>
  );
}

function BoolField({ value, labelId, onChange }: FieldControlProps) {
  const { t } = useTranslation('expert');
  const checked = value === true;
  return (
    <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center', minHeight: 40 }}>
      <Switch
        checked={checked}
        onChange={(event) => {
          onChange(event.target.checked);
        }}
        slotProps={{ input: { 'aria-labelledby': labelId } }}
      />
      <Typography variant="body2" sx={{ color: checked ? 'text.primary' : 'text.secondary' }}>
        {checked ? t('field.on') : t('field.off')}
      </Typography>
    </Stack>
  );
}

/** One control per catalogue type; nothing here knows any particular option. */
export function FieldControl(props: FieldControlProps) {
  switch (props.entry.type) {
    case 'bool':
      return <BoolField {...props} />;
    case 'enum':
      return <EnumField {...props} />;
    case 'int':
    case 'float':
      return props.entry.choices ? <NumberChoiceField {...props} /> : <NumberField {...props} />;
    case 'resolution':
      return <ResolutionField {...props} />;
    case 'string':
    case 'path':
    case 'pair':
    case 'string_list':
    case 'float_list':
      return <TextInput {...props} />;
  }
}
