import { exportKohya, familyLabel, type ParamValue } from '@danlu/params';
import OpenInNewOutlined from '@mui/icons-material/OpenInNewOutlined';
import PlayArrowRounded from '@mui/icons-material/PlayArrowRounded';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Collapse from '@mui/material/Collapse';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '../../bridge/api.js';
import type { UiError } from '../../bridge/types.js';
import { SectionCard } from '../../components/SectionCard.js';
import { pickLanguage } from '../../lib/apiText.js';
import { formatValue } from '../../lib/expertFields.js';
import { useExpertStore } from '../../stores/expertStore.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { selectNavigate, useNavigationStore } from '../../stores/navigationStore.js';
import { useWizardStore } from '../../stores/wizardStore.js';
import { monoFontFamily } from '../../theme/theme.js';
import { RuleList } from './RuleList.js';
import { Estimates } from './StepParameters.js';
import type { WizardPlan } from './useWizardPlan.js';
import { withPreviewSamples } from './wizardConfig.js';

function show(v: ParamValue | undefined): string {
  if (v === undefined) return '';
  return typeof v === 'number' ? formatValue({ type: 'float' } as never, v) : String(v);
}

/** Step 5: the summary, the blocking errors with their fixes, and Start (runs.create) or Expert. */
export function StepReview({ plan }: { plan: WizardPlan }) {
  const { t } = useTranslation('wizard');
  const tp = useTranslation('expert').t;
  const { i18n } = useTranslation();
  const applyFix = useWizardStore((s) => s.applyFix);
  const navigate = useNavigationStore(selectNavigate);
  const feedback = useFeedbackStore((s) => s.show);
  const [tomlOpen, setTomlOpen] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<UiError | undefined>(undefined);
  const { values: v, choices: c, knobs, config } = plan;
  const none = t('review.none');
  const rows: Array<[string, string]> = [
    [t('review.rows.model'), c.modelPath || none],
    [t('review.rows.family'), familyLabel(c.family)],
    [t('review.rows.kind'), `${t(`what.subjects.${c.subject}`)} · ${t(`what.looks.${c.look}`)}`],
    [t('review.rows.dataset'), `${c.datasetDir || none} (${String(c.imageCount ?? 0)})`],
    [t('review.rows.trigger'), c.triggerWord.trim() || none],
    [
      t('review.rows.length'),
      t('review.length', { epochs: knobs.epochs, steps: plan.estimates.steps.totalSteps }),
    ],
    [t('review.rows.resolution'), show(v.get('resolution')).replace(',', ' × ')],
    [
      t('review.rows.network'),
      t('review.network', { dim: show(v.get('network_dim')), alpha: show(v.get('network_alpha')) }),
    ],
    [
      t('review.rows.lr'),
      t('review.lr', {
        unet: show(v.get('unet_lr')) || none,
        // U-Net only: kohya ignores the text-encoder rate, so it is not shown as if it mattered.
        te:
          v.get('network_train_unet_only') === true
            ? t('review.notTrained')
            : show(v.get('text_encoder_lr')) || none,
      }),
    ],
    [t('review.rows.optimizer'), `${show(v.get('optimizer_type'))} · ${show(v.get('lr_scheduler'))}`],
    [t('review.rows.output'), `${show(v.get('output_dir')) || none} / ${show(v.get('output_name'))}`],
  ];
  const name = c.triggerWord.trim() || 'LoRA';
  const start = async () => {
    setStarting(true);
    setError(undefined);
    const previews = withPreviewSamples(config, c, knobs.resolution);
    const answer = await api.call('runs.create', {
      name,
      config: previews.config,
      samplePrompts: previews.samplePrompts,
    });
    setStarting(false);
    if (!answer.ok) {
      setError(answer.error);
      return;
    }
    feedback({ kind: 'success', text: t('review.started', { name }) });
    navigate('runs');
  };
  return (
    <Stack spacing={2}>
      <SectionCard title={t('review.title')}>
        <Box
          component="dl"
          sx={{
            display: 'grid',
            gridTemplateColumns: { xs: '1fr', sm: '180px minmax(0, 1fr)' },
            columnGap: 2,
            rowGap: 0.75,
            m: 0,
          }}
        >
          {rows.map(([k, value]) => (
            <Box key={k} sx={{ display: 'contents' }}>
              <Typography component="dt" variant="body2" sx={{ color: 'text.secondary' }}>
                {k}
              </Typography>
              <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
                {value}
              </Typography>
            </Box>
          ))}
        </Box>
        <Estimates plan={plan} />
      </SectionCard>
      {plan.errors.length > 0 && (
        <SectionCard title={t('review.blocking')}>
          <RuleList results={plan.errors} onFix={applyFix} />
        </SectionCard>
      )}
      {plan.warnings.length > 0 && (
        <SectionCard title={t('review.warnings')}>
          <RuleList results={plan.warnings} onFix={applyFix} />
        </SectionCard>
      )}
      {plan.results.length === 0 && <Alert severity="success">{t('review.allGood')}</Alert>}
      <Box>
        <Button
          size="small"
          onClick={() => {
            setTomlOpen(!tomlOpen);
          }}
          data-testid="wizard-toml-toggle"
        >
          {t('review.toml')}
        </Button>
        <Collapse in={tomlOpen} unmountOnExit>
          <Box
            component="pre"
            data-testid="wizard-toml"
            sx={{
              fontFamily: monoFontFamily,
              fontSize: '0.75rem',
              p: 1.5,
              borderRadius: 2,
              bgcolor: 'action.hover',
              overflowX: 'auto',
              maxHeight: 360,
            }}
          >
            {exportKohya(config).configToml}
          </Box>
        </Collapse>
      </Box>
      {error && (
        <Alert severity="error" data-testid="wizard-start-error">
          <strong>{t('review.startFailed')}</strong>
          {' — '}
          {pickLanguage(error.message, i18n.language)}
        </Alert>
      )}
      <Stack direction="row" spacing={1.5} sx={{ justifyContent: 'flex-end', flexWrap: 'wrap', rowGap: 1 }}>
        <Button
          variant="outlined"
          startIcon={<OpenInNewOutlined />}
          data-testid="wizard-open-expert"
          onClick={() => {
            useExpertStore.getState().loadConfig(config, plan.preset?.meta.id ?? null);
            navigate('expert');
          }}
        >
          {t('review.openExpert')}
        </Button>
        <Button
          variant="contained"
          size="large"
          startIcon={<PlayArrowRounded />}
          data-testid="wizard-start"
          disabled={starting || plan.errors.length > 0}
          onClick={() => {
            void start();
          }}
        >
          {starting ? t('review.starting') : t('review.start')}
        </Button>
      </Stack>
      <Typography variant="caption" sx={{ color: 'text.secondary', textAlign: 'right' }}>
        {tp('toml.script', { script: exportKohya(config).script })}
      </Typography>
    </Stack>
  );
}
