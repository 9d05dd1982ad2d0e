import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { SectionCard } from '../../components/SectionCard.js';
import { pickLanguage } from '../../lib/apiText.js';
import { useWizardStore } from '../../stores/wizardStore.js';
import { textIn } from '../expert/text.js';
import { Term } from './Term.js';

function ScanResult() {
  const { t, i18n } = useTranslation('wizard');
  const dataset = useWizardStore((s) => s.dataset);
  const thumbnails = useWizardStore((s) => s.thumbnails);
  if (dataset.status === 'idle')
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="wizard-dataset-empty">
        {t('dataset.notScanned')}
      </Typography>
    );
  if (dataset.status === 'loading')
    return (
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <CircularProgress size={16} />
        <Typography variant="body2">{t('dataset.scanning')}</Typography>
      </Stack>
    );
  if (dataset.status === 'failed')
    return (
      <Alert severity="error" data-testid="wizard-dataset-error">
        {pickLanguage(dataset.error.message, i18n.language)}
      </Alert>
    );
  const { scan, check } = dataset.data;
  const s = scan.summary;
  const named = scan.subsets.filter((x) => x.fromFolderName || x.isReg);
  return (
    <Stack spacing={1.5} data-testid="wizard-dataset-result">
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
        <Chip
          color="primary"
          data-testid="wizard-image-count"
          label={t('dataset.images', { count: s.usable })}
        />
        <Chip variant="outlined" label={t('dataset.withCaption', { count: s.withCaption })} />
        <Chip variant="outlined" label={t('dataset.withoutCaption', { count: s.withoutCaption })} />
        {s.problems > 0 && (
          <Chip color="error" variant="outlined" label={t('dataset.problems', { count: s.problems })} />
        )}
      </Stack>
      {s.usable > 0 && s.usable < 10 && <Alert severity="warning">{t('dataset.tooFew')}</Alert>}
      {scan.images.length > 0 && (
        <Box sx={{ display: 'grid', gap: 1, gridTemplateColumns: 'repeat(auto-fill, minmax(96px, 1fr))' }}>
          {scan.images.map((img) => (
            <Box
              key={img.path}
              sx={{ aspectRatio: '1', borderRadius: 1.5, overflow: 'hidden', bgcolor: 'action.hover' }}
            >
              {thumbnails[img.path] && (
                <Box
                  component="img"
                  alt={img.relPath}
                  src={thumbnails[img.path]}
                  sx={{ width: '100%', height: '100%', objectFit: 'cover', display: 'block' }}
                />
              )}
            </Box>
          ))}
        </Box>
      )}
      {named.length > 0 && (
        <Stack spacing={0.5}>
          <Typography variant="subtitle2">{t('dataset.subsets')}</Typography>
          {named.map((x) => (
            <Typography key={x.dir} variant="body2" translate="no">
              {x.fromFolderName
                ? t('dataset.subsetRow', {
                    folder: x.relDir || '.',
                    count: x.imageCount,
                    repeats: x.numRepeats,
                  })
                : t('dataset.subsetRowNoRepeats', { folder: x.relDir || '.', count: x.imageCount })}
              {x.isReg ? ` (${t('dataset.reg')})` : ''}
            </Typography>
          ))}
        </Stack>
      )}
      {check && (
        <Stack spacing={1}>
          <Typography variant="subtitle2">{t('dataset.findings')}</Typography>
          {check.findings.length === 0 && <Alert severity="success">{t('dataset.noFindings')}</Alert>}
          {check.findings.slice(0, 5).map((f) => (
            <Alert key={f.id} severity={f.severity}>
              <strong>{textIn(f.title, i18n.language)}</strong> — {textIn(f.message, i18n.language)}
            </Alert>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** Step 2: the image folder — counted, checked and previewed by the dataset service; repeats explained. */
export function StepDataset() {
  const { t } = useTranslation('wizard');
  const dir = useWizardStore((s) => s.datasetDir);
  const set = useWizardStore.getState();
  return (
    <Stack spacing={2}>
      <SectionCard title={t('dataset.title')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void set.scanDataset();
          }}
        >
          <Stack direction="row" spacing={1}>
            <TextField
              size="small"
              fullWidth
              label={t('dataset.path')}
              placeholder={t('dataset.placeholder')}
              value={dir}
              onChange={(e) => {
                set.setDatasetDir(e.target.value);
              }}
              slotProps={{ htmlInput: { 'data-testid': 'wizard-dataset-path', spellCheck: false } }}
            />
            <Button
              type="submit"
              variant="outlined"
              data-testid="wizard-dataset-scan"
              disabled={dir.trim() === ''}
            >
              {t('dataset.scan')}
            </Button>
          </Stack>
        </form>
        <ScanResult />
      </SectionCard>
      <SectionCard
        title={
          <Term help={t('terms.repeats')} variant="h6">
            {t('dataset.repeatsTitle')}
          </Term>
        }
      >
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('dataset.repeatsBody')}
        </Typography>
      </SectionCard>
    </Stack>
  );
}
