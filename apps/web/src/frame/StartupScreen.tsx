import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { BrandMark } from '../components/BrandMark.js';
import { ErrorDetails } from '../components/ErrorDetails.js';
import { selectConnection, useConnectionStore } from '../stores/connectionStore.js';
import { selectSettingsLoadError, useSettingsStore } from '../stores/settingsStore.js';

/** Before the first settings arrive: the brand, and an honest word if the server cannot be reached. */
export function StartupScreen() {
  const { t } = useTranslation();
  const connection = useConnectionStore(selectConnection);
  const loadError = useSettingsStore(selectSettingsLoadError);
  const load = useSettingsStore((state) => state.load);
  const unreachable = !connection.everConnected && connection.failedAttempts >= 2;
  return (
    <Box sx={{ height: '100%', display: 'grid', placeItems: 'center', p: 3 }} data-testid="startup">
      <Stack spacing={3} sx={{ alignItems: 'center', maxWidth: 520, textAlign: 'center' }}>
        <BrandMark size={64} />
        <Typography variant="h2" component="h1">
          {t('brand.name')} {t('brand.latin')}
        </Typography>
        {loadError && connection.status === 'open' ? (
          <Alert
            severity="error"
            sx={{ textAlign: 'left' }}
            action={
              <Button
                color="inherit"
                size="small"
                onClick={() => {
                  void load();
                }}
              >
                {t('actions.retry')}
              </Button>
            }
          >
            <AlertTitle>{t('connection.loadFailedTitle')}</AlertTitle>
            <ErrorDetails error={loadError} />
          </Alert>
        ) : unreachable ? (
          <Alert
            severity="warning"
            icon={<CircularProgress size={18} color="inherit" />}
            sx={{ textAlign: 'left' }}
          >
            <AlertTitle>{t('connection.unreachableTitle')}</AlertTitle>
            {t('connection.unreachableBody')}
          </Alert>
        ) : (
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', color: 'text.secondary' }}>
            <CircularProgress size={18} color="inherit" />
            <Typography>{t('connection.starting')}</Typography>
          </Stack>
        )}
      </Stack>
    </Box>
  );
}
