import { canUnset, defaultFor, type ParamEntry, type ParamValue } from '@danlu/params';
import BackspaceOutlined from '@mui/icons-material/BackspaceOutlined';
import InfoOutlined from '@mui/icons-material/InfoOutlined';
import ReplayOutlined from '@mui/icons-material/ReplayOutlined';
import VisibilityOutlined from '@mui/icons-material/VisibilityOutlined';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { memo, useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

import { formatValue, sameValue } from '../../lib/expertFields.js';
import {
  selectBaselineValue,
  selectFamily,
  selectFocusSerial,
  selectStoredValue,
  selectTrainingType,
  useExpertStore,
} from '../../stores/expertStore.js';
import { monoFontFamily } from '../../theme/theme.js';
import { BaseModelStatus } from './BaseModelStatus.js';
import { FieldControl } from './FieldControl.js';
import { textIn } from './text.js';

/**
 * One catalogue entry: label, kohya key, ⓘ help, the control for its type, a dot when it differs from
 * the preset and ↺ back to the preset's value. It subscribes to its own value only, so typing in one
 * field re-renders that row alone.
 */
export const FieldRow = memo(function FieldRow({
  entry,
  revealed,
}: {
  entry: ParamEntry;
  /** Shown above the experience level because a rule result asked for it. */
  revealed: boolean;
}) {
  const { t, i18n } = useTranslation('expert');
  const family = useExpertStore(selectFamily);
  const trainingType = useExpertStore(selectTrainingType);
  const stored = useExpertStore(selectStoredValue(entry.id));
  const presetStored = useExpertStore(selectBaselineValue(entry.id));
  const focusSerial = useExpertStore(selectFocusSerial(entry.id));
  const setValue = useExpertStore((state) => state.setValue);
  const resetField = useExpertStore((state) => state.resetField);
  const setFamily = useExpertStore((state) => state.setFamily);
  const row = useRef<HTMLDivElement>(null);

  const fallback = defaultFor(entry, family, trainingType);
  // `null` stored = deliberately "not set"; undefined = Danlu's default.
  const value = stored === undefined ? fallback : stored;
  const presetValue = presetStored === undefined ? fallback : presetStored;
  const unsettable = canUnset(entry);
  const notSet = value === null || (Array.isArray(value) && value.length === 0);
  const changed = !sameValue(value, presetValue);
  const labelId = `expert-label-${entry.id}`;
  const label = textIn(entry.label, i18n.language);

  const onChange = useCallback(
    (next: ParamValue | null) => {
      setValue(entry.id, next);
    },
    [entry.id, setValue],
  );

  useEffect(() => {
    if (focusSerial === 0 || !row.current) return;
    row.current.scrollIntoView({ block: 'center', behavior: 'smooth' });
    row.current.querySelector<HTMLElement>('input:not([type=hidden]), textarea, [role=combobox]')?.focus({
      preventScroll: true,
    });
    row.current.animate(
      [{ boxShadow: 'inset 0 0 0 2px currentColor' }, { boxShadow: 'inset 0 0 0 2px transparent' }],
      { duration: 1400, easing: 'ease-out' },
    );
  }, [focusSerial]);

  const presetText = formatValue(entry, presetValue);
  return (
    <Box
      ref={row}
      data-testid={`expert-field-${entry.id}`}
      data-changed={changed ? 'true' : undefined}
      sx={(theme) => ({
        display: 'grid',
        gridTemplateColumns: {
          xs: 'minmax(0, 1fr) 32px',
          md: 'minmax(0, 1fr) minmax(220px, 300px) 32px',
        },
        columnGap: 1.5,
        rowGap: 1,
        alignItems: 'start',
        px: 2,
        py: 1.25,
        borderRadius: 2,
        color: 'primary.main',
        bgcolor: changed
          ? alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.07 : 0.04)
          : 'transparent',
        '&:hover': { bgcolor: 'action.hover' },
        '&:hover .expert-clear, &:focus-within .expert-clear': { opacity: 1 },
      })}
    >
      <Box sx={{ minWidth: 0, pt: 0.5, color: 'text.primary' }}>
        <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center', minWidth: 0 }}>
          <Typography id={labelId} variant="body2" sx={{ fontWeight: 600, minWidth: 0 }}>
            {label}
          </Typography>
          <Tooltip
            title={<Typography variant="body2">{textIn(entry.help, i18n.language)}</Typography>}
            placement="top-start"
            slotProps={{ tooltip: { sx: { maxWidth: 380, p: 1.25 } } }}
          >
            <IconButton
              size="small"
              aria-label={t('field.help', { label })}
              sx={{ p: 0.25, color: 'text.secondary' }}
            >
              <InfoOutlined sx={{ fontSize: 16 }} />
            </IconButton>
          </Tooltip>
          {changed && (
            <Tooltip title={t('field.changed')}>
              <Box
                role="img"
                aria-label={t('field.changed')}
                data-testid="expert-changed-dot"
                sx={{ width: 8, height: 8, borderRadius: '50%', bgcolor: 'primary.main', flex: 'none' }}
              />
            </Tooltip>
          )}
          {unsettable && notSet && (
            <Tooltip title={t('field.notSetHelp')}>
              <Chip
                size="small"
                variant="outlined"
                data-testid={`expert-unset-${entry.id}`}
                label={t('field.notSet')}
                sx={{ height: 20, fontSize: '0.7rem', color: 'text.secondary' }}
              />
            </Tooltip>
          )}
          {unsettable && !notSet && (
            <Tooltip title={t('field.clear')}>
              <IconButton
                size="small"
                className="expert-clear"
                data-testid={`expert-clear-${entry.id}`}
                aria-label={t('field.clear')}
                onClick={() => {
                  setValue(entry.id, null);
                }}
                sx={{ p: 0.25, color: 'text.secondary', opacity: 0, '&:focus-visible': { opacity: 1 } }}
              >
                <BackspaceOutlined sx={{ fontSize: 15 }} />
              </IconButton>
            </Tooltip>
          )}
          {revealed && (
            <Tooltip title={t('field.revealed')}>
              <VisibilityOutlined
                aria-label={t('field.revealed')}
                sx={{ fontSize: 16, color: 'text.secondary' }}
              />
            </Tooltip>
          )}
        </Stack>
        <Typography
          variant="caption"
          translate="no"
          sx={{
            display: 'block',
            color: 'text.secondary',
            fontFamily: monoFontFamily,
            fontSize: '0.75rem',
            overflowWrap: 'anywhere',
          }}
        >
          {entry.id}
        </Typography>
      </Box>
      <Box
        sx={{
          minWidth: 0,
          gridColumn: { xs: '1 / 2', md: 'auto' },
          gridRow: { xs: 2, md: 'auto' },
          color: 'text.primary',
        }}
      >
        <FieldControl
          entry={entry}
          value={value}
          config={{ family, trainingType }}
          labelId={labelId}
          onChange={onChange}
        />
        {entry.id === 'pretrained_model_name_or_path' && (
          <BaseModelStatus
            path={typeof value === 'string' ? value : null}
            family={family}
            onSwitchFamily={setFamily}
          />
        )}
      </Box>
      <Box sx={{ pt: 0.5, gridRow: { xs: 1, md: 'auto' }, gridColumn: { xs: 2, md: 'auto' } }}>
        {changed && (
          <Tooltip
            title={presetText === '' ? t('field.resetUnset') : t('field.reset', { value: presetText })}
          >
            <IconButton
              size="small"
              data-testid={`expert-reset-${entry.id}`}
              aria-label={presetText === '' ? t('field.resetUnset') : t('field.reset', { value: presetText })}
              onClick={() => {
                resetField(entry.id);
              }}
              sx={{ color: 'text.secondary' }}
            >
              <ReplayOutlined fontSize="small" />
            </IconButton>
          </Tooltip>
        )}
      </Box>
    </Box>
  );
});
