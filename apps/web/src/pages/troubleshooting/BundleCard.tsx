import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import Inventory2Outlined from '@mui/icons-material/Inventory2Outlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import CircularProgress from '@mui/material/CircularProgress';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { UiError } from '../../bridge/types.js';
import { ErrorDetails } from '../../components/ErrorDetails.js';
import { SectionCard } from '../../components/SectionCard.js';
import { copyText } from '../../lib/clipboard.js';
import { useEnvironmentStore } from '../../stores/environmentStore.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { monoFontFamily } from '../../theme/theme.js';
import { Term } from '../environment/Term.js';
import { useLastBundle } from './bundleState.js';

function PathLine({ label, path, testId }: { label: string; path: string; testId: string }) {
  const { t } = useTranslation('environment');
  const show = useFeedbackStore((state) => state.show);
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', minWidth: 0 }}>
      <Box sx={{ flex: 1, minWidth: 0 }}>
        <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
          {label}
        </Typography>
        <Typography
          variant="body2"
          translate="no"
          data-testid={testId}
          sx={{ fontFamily: monoFontFamily, wordBreak: 'break-all', userSelect: 'all' }}
        >
          {path}
        </Typography>
      </Box>
      <Tooltip title={t('trouble.bundle.copy')}>
        <IconButton
          size="small"
          aria-label={t('trouble.bundle.copy')}
          data-testid={`${testId}-copy`}
          onClick={() => {
            void copyText(path).then((ok) => {
              show(
                ok
                  ? { kind: 'success', text: t('trouble.bundle.copied') }
                  : { kind: 'warning', text: t('trouble.bundle.copyFailed') },
              );
            });
          }}
        >
          <ContentCopyOutlined fontSize="small" />
        </IconButton>
      </Tooltip>
    </Stack>
  );
}

/** "Create diagnostics bundle": what goes in, what stays out, and where the file went. */
export function BundleCard() {
  const { t } = useTranslation('environment');
  const bundle = useEnvironmentStore((state) => state.bundle);
  // Bundles get posted in public chats: hiding the user name is the safe default.
  const [mask, setMask] = useState(true);
  const [busy, setBusy] = useState(false);
  const result = useLastBundle((state) => state.result);
  const setResult = useLastBundle((state) => state.set);
  const [error, setError] = useState<UiError | undefined>();
  const create = async () => {
    setBusy(true);
    const outcome = await bundle(mask);
    setBusy(false);
    if (outcome.ok) {
      setResult(outcome.data);
      setError(undefined);
    } else setError(outcome.error);
  };
  return (
    <SectionCard title={t('trouble.bundle.title')} icon={<Inventory2Outlined />}>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        <Term id="diagnostics" />
        {'  '}
        {t('trouble.bundle.intro')}
      </Typography>
      <Typography variant="body2">{t('trouble.bundle.contains')}</Typography>
      <Typography variant="body2">{t('trouble.bundle.secrets')}</Typography>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <FormControlLabel
          control={
            <Checkbox
              size="small"
              checked={mask}
              onChange={(event) => {
                setMask(event.target.checked);
              }}
              data-testid="trouble-bundle-mask"
            />
          }
          label={<Term id="maskUserPaths" variant="body2" />}
        />
        <Box sx={{ flex: 1 }} />
        <Button
          variant="contained"
          data-testid="trouble-bundle-create"
          disabled={busy}
          startIcon={busy ? <CircularProgress size={16} color="inherit" /> : <Inventory2Outlined />}
          onClick={() => void create()}
        >
          {busy ? t('trouble.bundle.creating') : t('trouble.bundle.create')}
        </Button>
      </Stack>
      {error && (
        <Alert severity="error">
          <ErrorDetails error={error} />
        </Alert>
      )}
      {result && (
        <Alert
          severity="success"
          data-testid="trouble-bundle-result"
          sx={{ '& .MuiAlert-message': { flex: 1, minWidth: 0 } }}
        >
          <AlertTitle>{t('trouble.bundle.done')}</AlertTitle>
          <Stack spacing={1}>
            {result.zip !== null && (
              <PathLine label={t('trouble.bundle.zip')} path={result.zip} testId="trouble-bundle-zip" />
            )}
            <PathLine
              label={t('trouble.bundle.folder')}
              path={result.folder}
              testId="trouble-bundle-folder"
            />
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              {t('trouble.bundle.files', { count: result.files.length })}
            </Typography>
          </Stack>
        </Alert>
      )}
    </SectionCard>
  );
}
