import type { Notice } from '@danlu/contracts';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useTranslation } from 'react-i18next';

import { useFeedbackStore } from '../stores/feedbackStore.js';
import { selectNotices, useNoticesStore } from '../stores/noticesStore.js';
import { monoFontFamily } from '../theme/theme.js';

function NoticeAlert({ notice }: { notice: Notice }) {
  const { t } = useTranslation(['notices', 'common']);
  const dismiss = useNoticesStore((state) => state.dismiss);
  const show = useFeedbackStore((state) => state.show);
  const backup = notice.params['backup'];
  const body =
    notice.code === 'settings_repaired'
      ? t('notices:settings_repaired.body', { fields: notice.params['fields'] ?? '' })
      : t('notices:settings_reset.body');
  return (
    <Alert
      data-testid={`notice-${notice.code}`}
      severity={notice.level}
      action={
        <Button
          color="inherit"
          size="small"
          data-testid={`notice-dismiss-${notice.code}`}
          onClick={() => {
            void dismiss(notice.id).then((result) => {
              if (!result.ok) show({ kind: 'error', text: t('notices:dismissFailed'), error: result.error });
            });
          }}
        >
          {t('notices:dismiss')}
        </Button>
      }
    >
      <AlertTitle>{t(`notices:${notice.code}.title`)}</AlertTitle>
      {body}
      {backup !== undefined && (
        <Box
          component="code"
          translate="no"
          sx={{
            display: 'block',
            mt: 0.5,
            fontFamily: monoFontFamily,
            wordBreak: 'break-all',
            userSelect: 'all',
          }}
        >
          {backup}
        </Box>
      )}
    </Alert>
  );
}

/** One-time messages from the backend (a settings file that had to be replaced), above the page. */
export function NoticeArea() {
  const notices = useNoticesStore(selectNotices);
  if (notices.length === 0) return null;
  return (
    <Stack spacing={1.5} sx={{ mb: 2.5 }}>
      {notices.map((notice) => (
        <NoticeAlert key={notice.id} notice={notice} />
      ))}
    </Stack>
  );
}
