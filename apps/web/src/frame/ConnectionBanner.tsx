import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import CloudOffOutlined from '@mui/icons-material/CloudOffOutlined';
import { useTranslation } from 'react-i18next';

import { selectConnection, selectConnectionLost, useConnectionStore } from '../stores/connectionStore.js';

/** Shown while a connection that once worked is down; it goes away by itself when it comes back. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const lost = useConnectionStore(selectConnectionLost);
  const connection = useConnectionStore(selectConnection);
  if (!lost) return null;
  const seconds = Math.ceil((connection.retryInMs ?? 0) / 1000);
  return (
    <Alert
      data-testid="connection-lost"
      severity="warning"
      variant="filled"
      icon={<CloudOffOutlined />}
      sx={{ mx: 3, mb: 1.5, flex: 'none' }}
    >
      <AlertTitle sx={{ mb: 0 }}>{t('connection.lostTitle')}</AlertTitle>
      {t('connection.lostBody')}{' '}
      {seconds > 0 ? t('connection.retryIn', { seconds }) : t('connection.retryingNow')}
    </Alert>
  );
}
