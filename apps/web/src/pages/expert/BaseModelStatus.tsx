import type { ModelFamily } from '@danlu/params';
import { familyLabel } from '@danlu/params';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { pickLanguage } from '../../lib/apiText.js';
import { useModelInspection } from '../../lib/useModelInspection.js';
import { textIn } from './text.js';

/**
 * What the chosen base model is (read from its header by the backend): a family badge with the evidence
 * in its tooltip, warnings, and a clear error for a LoRA / VAE / wrong-family file, with the offer to
 * switch the family when that is the fix.
 */
export function BaseModelStatus({
  path,
  family,
  onSwitchFamily,
}: {
  path: string | null;
  family: ModelFamily;
  onSwitchFamily: (family: ModelFamily) => void;
}) {
  const { t, i18n } = useTranslation('expert');
  const state = useModelInspection(path, family);
  if (state.status === 'idle') return null;
  if (state.status === 'loading')
    return (
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mt: 0.75 }} data-testid="model-status">
        <CircularProgress size={14} />
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          {t('model.reading')}
        </Typography>
      </Stack>
    );
  if (state.status === 'failed')
    return (
      <Alert severity="error" sx={{ mt: 0.75, py: 0 }} data-testid="model-status" data-state="unreadable">
        {pickLanguage(state.error.message, i18n.language)}
      </Alert>
    );
  const r = state.result;
  const evidence = r.evidence.map((e) => textIn(e, i18n.language)).join('\n');
  const kind = t(`model.kinds.${r.kind}`);
  return (
    <Stack spacing={0.75} sx={{ mt: 0.75 }} data-testid="model-status" data-state={r.usable ? 'ok' : 'error'}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
        <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{evidence || t('model.noEvidence')}</span>}>
          <Chip
            size="small"
            data-testid="model-family"
            color={r.usable ? 'success' : 'error'}
            variant="outlined"
            label={`${familyLabel(r.family)} · ${kind}`}
          />
        </Tooltip>
        {r.vPrediction === true && <Chip size="small" variant="outlined" label={t('model.vpred')} />}
        {r.basis === 'name' && (
          <Typography variant="caption" sx={{ color: 'warning.main' }}>
            {t('model.byName')}
          </Typography>
        )}
      </Stack>
      {r.error && (
        <Alert
          severity="error"
          sx={{ py: 0.25 }}
          data-testid="model-error"
          action={
            r.switchTo ? (
              <Button
                color="inherit"
                size="small"
                data-testid="model-switch-family"
                onClick={() => {
                  if (r.switchTo) onSwitchFamily(r.switchTo);
                }}
              >
                {t('model.switchTo', { family: familyLabel(r.switchTo) })}
              </Button>
            ) : undefined
          }
        >
          {textIn(r.error, i18n.language)}
        </Alert>
      )}
      {r.warnings.map((w) => (
        <Typography key={w.en} variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
          {textIn(w, i18n.language)}
        </Typography>
      ))}
    </Stack>
  );
}
