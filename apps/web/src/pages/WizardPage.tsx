import ArrowForward from '@mui/icons-material/ArrowForward';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { ComingSoon } from '../components/ComingSoon.js';
import { PageRoot } from '../components/PageRoot.js';
import { pageIcons } from '../frame/pageIcons.js';
import { selectNavigate, useNavigationStore } from '../stores/navigationStore.js';

const steps = ['baseModel', 'dataset', 'prepare', 'plan', 'review'] as const;

export function WizardPage() {
  const { t } = useTranslation('pages');
  const navigate = useNavigationStore(selectNavigate);
  return (
    <PageRoot id="wizard">
      <ComingSoon icon={pageIcons.wizard} title={t('wizard.title')} body={t('wizard.body')}>
        <Box sx={{ width: '100%', py: 1.5, px: 1, borderRadius: 3, border: 1, borderColor: 'divider' }}>
          <Stepper activeStep={-1} alternativeLabel aria-disabled>
            {steps.map((step) => (
              <Step key={step} disabled>
                <StepLabel
                  optional={
                    <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
                      {t(`wizard.steps.${step}Hint`)}
                    </Typography>
                  }
                >
                  {t(`wizard.steps.${step}`)}
                </StepLabel>
              </Step>
            ))}
          </Stepper>
        </Box>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {t('wizard.meanwhile')}
          </Typography>
          <Button
            size="small"
            endIcon={<ArrowForward />}
            onClick={() => {
              navigate('settings');
            }}
          >
            {t('wizard.openSettings')}
          </Button>
        </Stack>
      </ComingSoon>
    </PageRoot>
  );
}
