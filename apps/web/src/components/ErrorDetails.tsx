import Box from '@mui/material/Box';
import Collapse from '@mui/material/Collapse';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { UiError } from '../bridge/types.js';
import { monoFontFamily } from '../theme/theme.js';

/** The translated meaning of an error code, with the server's technical message one click away. */
export function ErrorDetails({ error }: { error: UiError }) {
  const { t } = useTranslation(['errors', 'common']);
  const [open, setOpen] = useState(false);
  return (
    <Box>
      <Typography variant="body2">{t(`errors:${error.code}`)}</Typography>
      {error.message !== '' && (
        <>
          <Link
            component="button"
            type="button"
            variant="body2"
            underline="hover"
            color="inherit"
            sx={{ mt: 0.5, opacity: 0.85 }}
            onClick={() => {
              setOpen((value) => !value);
            }}
          >
            {open ? t('common:actions.hideDetails') : t('common:actions.showDetails')}
          </Link>
          <Collapse in={open}>
            <Typography
              component="pre"
              aria-label={t('errors:detailLabel')}
              sx={{
                m: 0,
                mt: 0.5,
                fontFamily: monoFontFamily,
                fontSize: '0.8125rem',
                whiteSpace: 'pre-wrap',
                wordBreak: 'break-word',
              }}
            >
              {error.message}
            </Typography>
          </Collapse>
        </>
      )}
    </Box>
  );
}
