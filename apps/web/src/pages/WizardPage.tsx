import RestartAltOutlined from '@mui/icons-material/RestartAltOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepButton from '@mui/material/StepButton';
import Stepper from '@mui/material/Stepper';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { PageRoot } from '../components/PageRoot.js';
import { useWizardStore, wizardSteps } from '../stores/wizardStore.js';
import { refreshPresets } from './expert/presetActions.js';
import { StepCaptions } from './wizard/StepCaptions.js';
import { StepDataset } from './wizard/StepDataset.js';
import { StepParameters } from './wizard/StepParameters.js';
import { StepReview } from './wizard/StepReview.js';
import { StepWhat } from './wizard/StepWhat.js';
import { useWizardPlan } from './wizard/useWizardPlan.js';

/**
 * 新手向导: five steps from a base model and an image folder to a started run. The choices live in the
 * wizard store, so leaving the page and coming back keeps them.
 */
export function WizardPage() {
  const { t } = useTranslation('wizard');
  const step = useWizardStore((s) => s.step);
  const setStep = useWizardStore((s) => s.setStep);
  const reset = useWizardStore((s) => s.reset);
  const model = useWizardStore((s) => s.model);
  const dataset = useWizardStore((s) => s.dataset);
  const plan = useWizardPlan();
  useEffect(() => {
    void refreshPresets();
  }, []);

  const modelOk = model.status === 'done' && model.data.usable;
  const datasetOk = dataset.status === 'done' && (plan.choices.imageCount ?? 0) > 0;
  const blocked =
    step === 0 && !modelOk ? t('nav.needModel') : step === 1 && !datasetOk ? t('nav.needDataset') : undefined;
  const reachable = (i: number) => i <= step || (i >= 1 && modelOk && (i <= 1 || datasetOk));
  const name = wizardSteps[step] ?? 'what';

  return (
    <PageRoot id="wizard">
      <Stack spacing={2} sx={{ maxWidth: 1040, mx: 'auto', width: '100%' }}>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
          <Box sx={{ flex: 1, minWidth: 0 }}>
            <Typography variant="h4" component="h1">
              {t('title')}
            </Typography>
            <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.5 }}>
              {t('intro')}
            </Typography>
          </Box>
          <Button
            color="inherit"
            size="small"
            startIcon={<RestartAltOutlined />}
            onClick={reset}
            data-testid="wizard-reset"
          >
            {t('nav.startOver')}
          </Button>
        </Stack>
        <Box sx={{ py: 1.5, px: 1, borderRadius: 3, border: 1, borderColor: 'divider', overflowX: 'auto' }}>
          <Stepper activeStep={step} alternativeLabel nonLinear>
            {wizardSteps.map((s, i) => (
              <Step key={s} completed={i < step}>
                <StepButton
                  data-testid={`wizard-step-${s}`}
                  disabled={!reachable(i)}
                  onClick={() => {
                    setStep(i);
                  }}
                >
                  {t(`steps.${s}`)}
                </StepButton>
              </Step>
            ))}
          </Stepper>
        </Box>
        <Box data-testid={`wizard-panel-${name}`}>
          {name === 'what' && <StepWhat />}
          {name === 'dataset' && <StepDataset />}
          {name === 'captions' && <StepCaptions />}
          {name === 'parameters' && <StepParameters plan={plan} />}
          {name === 'review' && <StepReview plan={plan} />}
        </Box>
        {step < wizardSteps.length - 1 && (
          <Stack direction="row" spacing={1.5} sx={{ justifyContent: 'space-between' }}>
            <Button
              color="inherit"
              disabled={step === 0}
              data-testid="wizard-back"
              onClick={() => {
                setStep(step - 1);
              }}
            >
              {t('nav.back')}
            </Button>
            <Tooltip title={blocked ?? ''}>
              <span>
                <Button
                  variant="contained"
                  data-testid="wizard-next"
                  disabled={blocked !== undefined}
                  onClick={() => {
                    setStep(step + 1);
                  }}
                >
                  {t('nav.next')}
                </Button>
              </span>
            </Tooltip>
          </Stack>
        )}
        {step === wizardSteps.length - 1 && (
          <Button
            color="inherit"
            sx={{ alignSelf: 'flex-start' }}
            data-testid="wizard-back"
            onClick={() => {
              setStep(step - 1);
            }}
          >
            {t('nav.back')}
          </Button>
        )}
      </Stack>
    </PageRoot>
  );
}
