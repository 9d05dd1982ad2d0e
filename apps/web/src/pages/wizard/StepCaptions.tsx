import ArrowForward from '@mui/icons-material/ArrowForward';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { SectionCard } from '../../components/SectionCard.js';
import { selectNavigate, useNavigationStore } from '../../stores/navigationStore.js';
import { useWizardStore } from '../../stores/wizardStore.js';
import { Term } from './Term.js';

/** Step 3: the trigger word and the tag files, with the way to the Dataset page's auto-tagger. */
export function StepCaptions() {
  const { t } = useTranslation('wizard');
  const trigger = useWizardStore((s) => s.triggerWord);
  const dataset = useWizardStore((s) => s.dataset);
  const setTrigger = useWizardStore((s) => s.setTriggerWord);
  const navigate = useNavigationStore(selectNavigate);
  const summary = dataset.status === 'done' ? dataset.data.scan.summary : undefined;
  return (
    <Stack spacing={2}>
      <SectionCard
        title={
          <Term help={t('terms.trigger')} variant="h6">
            {t('captions.triggerTitle')}
          </Term>
        }
      >
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('captions.triggerHelp')}
        </Typography>
        <TextField
          size="small"
          label={t('captions.trigger')}
          placeholder={t('captions.triggerPlaceholder')}
          value={trigger}
          onChange={(e) => {
            setTrigger(e.target.value);
          }}
          sx={{ maxWidth: 360 }}
          slotProps={{ htmlInput: { 'data-testid': 'wizard-trigger', spellCheck: false, maxLength: 200 } }}
        />
      </SectionCard>
      <SectionCard
        title={
          <Term help={t('terms.captions')} variant="h6">
            {t('captions.captionsTitle')}
          </Term>
        }
      >
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('captions.captionsBody')}
        </Typography>
        {summary ? (
          <Stack spacing={0.75} data-testid="wizard-caption-stats">
            <Typography variant="body2">
              {t('captions.stats', { with: summary.withCaption, total: summary.usable })}
            </Typography>
            <LinearProgress
              variant="determinate"
              value={summary.usable > 0 ? (100 * summary.withCaption) / summary.usable : 0}
              sx={{ maxWidth: 360, height: 6, borderRadius: 3 }}
            />
          </Stack>
        ) : (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {t('captions.noDataset')}
          </Typography>
        )}
        <Button
          sx={{ alignSelf: 'flex-start' }}
          endIcon={<ArrowForward />}
          data-testid="wizard-open-dataset"
          onClick={() => {
            navigate('dataset');
          }}
        >
          {t('captions.openDataset')}
        </Button>
      </SectionCard>
    </Stack>
  );
}
