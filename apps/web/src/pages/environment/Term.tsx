import InfoOutlined from '@mui/icons-material/InfoOutlined';
import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { monoFontFamily } from '../../theme/theme.js';

export const termIds = [
  'python',
  'venv',
  'torch',
  'cudaBuild',
  'cudaAvailable',
  'driver',
  'cudaDriver',
  'computeCapability',
  'vram',
  'xformers',
  'bitsandbytes',
  'lycoris',
  'sdScripts',
  'probe',
  'mirror',
  'activeEngine',
  'extraEnv',
  'diagnostics',
  'doctorCheck',
  'logSymptom',
  'maskUserPaths',
] as const;
export type TermId = (typeof termIds)[number];

/** A technical word with its explanation one hover (or focus) away, in the interface language. */
export function Term({ id, variant = 'caption' }: { id: TermId; variant?: 'caption' | 'body2' }) {
  const { t } = useTranslation('environment');
  const label = t(`terms.${id}.label`);
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}>
      <Typography variant={variant} component="span" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Tooltip
        title={<Typography variant="body2">{t(`terms.${id}.help`)}</Typography>}
        slotProps={{ tooltip: { sx: { maxWidth: 360, p: 1.25 } } }}
      >
        <Box
          component="span"
          tabIndex={0}
          role="img"
          aria-label={t('termHelp', { label })}
          sx={{ display: 'inline-flex', color: 'text.secondary', cursor: 'help' }}
        >
          <InfoOutlined sx={{ fontSize: 14 }} />
        </Box>
      </Tooltip>
    </Box>
  );
}

/** A fact with a term label: the label above, the value below. */
export function TermFact({ id, value, mono = false }: { id: TermId; value: string; mono?: boolean }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Term id={id} />
      <Typography
        variant="body2"
        translate={mono ? 'no' : undefined}
        sx={mono ? { fontFamily: monoFontFamily, wordBreak: 'break-all' } : undefined}
      >
        {value}
      </Typography>
    </Box>
  );
}
