import InfoOutlined from '@mui/icons-material/InfoOutlined';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type TermId =
  | 'bucket'
  | 'repeat'
  | 'trigger'
  | 'threshold'
  | 'characterThreshold'
  | 'caption'
  | 'subset'
  | 'reg'
  | 'resolution'
  | 'noUpscale'
  | 'mcut'
  | 'mode'
  | 'deep'
  | 'crop'
  | 'steps'
  | 'tagFrequency'
  | 'provider';

/** A label with its explanation one hover away (every training term is explained, zh and en). */
export function Term({ id, children }: { id: TermId; children?: ReactNode }) {
  const { t } = useTranslation('dataset');
  return (
    <Stack
      direction="row"
      spacing={0.5}
      component="span"
      sx={{ alignItems: 'center', display: 'inline-flex' }}
    >
      <span>{children ?? t(`terms.${id}.label`)}</span>
      <Tooltip title={t(`terms.${id}.help`)} arrow>
        <InfoOutlined
          tabIndex={0}
          aria-label={t(`terms.${id}.help`)}
          sx={{ fontSize: 16, color: 'text.secondary', cursor: 'help' }}
        />
      </Tooltip>
    </Stack>
  );
}
