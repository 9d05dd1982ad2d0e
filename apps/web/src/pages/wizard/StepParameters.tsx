import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { SectionCard } from '../../components/SectionCard.js';
import { shortGpuName } from '../../lib/gpu.js';
import { useWizardStore, type Knob } from '../../stores/wizardStore.js';
import { textIn } from '../expert/text.js';
import { RuleList } from './RuleList.js';
import { Term } from './Term.js';
import type { WizardPlan } from './useWizardPlan.js';

const choices: Partial<Record<Knob, number[]>> = {
  resolution: [512, 640, 768, 896, 1024],
  dim: [8, 16, 32, 64, 128],
  batch: [1, 2, 3, 4, 6, 8],
};

function KnobField({
  knob,
  value,
  help,
  label,
  min,
  max,
}: {
  knob: Knob;
  value: number;
  help: string;
  label: string;
  min: number;
  max: number;
}) {
  const setKnob = useWizardStore((s) => s.setKnob);
  const options = choices[knob];
  return (
    <Stack spacing={0.5}>
      <Term help={help}>{label}</Term>
      {options ? (
        <TextField
          select
          size="small"
          value={String(value)}
          onChange={(e) => {
            setKnob(knob, Number(e.target.value));
          }}
          slotProps={{
            htmlInput: { 'data-testid': `wizard-knob-${knob}` },
            select: { inputProps: { 'aria-label': label } },
          }}
        >
          {[...new Set([...options, value])]
            .sort((a, b) => a - b)
            .map((n) => (
              <MenuItem key={n} value={String(n)}>
                {knob === 'resolution' ? `${String(n)} × ${String(n)}` : String(n)}
              </MenuItem>
            ))}
        </TextField>
      ) : (
        <TextField
          size="small"
          type="number"
          value={value}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (e.target.value !== '' && Number.isInteger(n) && n >= min && n <= max) setKnob(knob, n);
          }}
          slotProps={{ htmlInput: { min, max, 'data-testid': `wizard-knob-${knob}`, 'aria-label': label } }}
        />
      )}
    </Stack>
  );
}

function Figure({
  label,
  help,
  value,
  detail,
  testId,
}: {
  label: string;
  help: string;
  value: string;
  detail?: string;
  testId?: string;
}) {
  return (
    <Box
      sx={{ p: 1.5, borderRadius: 2, border: 1, borderColor: 'divider', minWidth: 0 }}
      data-testid={testId}
    >
      <Term help={help} variant="subtitle2">
        {label}
      </Term>
      <Typography variant="h5" component="p" sx={{ mt: 0.5 }}>
        {value}
      </Typography>
      {detail && (
        <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
          {detail}
        </Typography>
      )}
    </Box>
  );
}

export function Estimates({ plan }: { plan: WizardPlan }) {
  const { t } = useTranslation('wizard');
  const { estimates: e, knobs, choices: c, range, gpu } = plan;
  const minutes = e.time ? Math.round(e.time.totalSeconds / 60) : undefined;
  return (
    <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' } }}>
      <Figure
        testId="wizard-total-steps"
        label={t('parameters.steps')}
        help={t('terms.steps')}
        value={String(e.steps.totalSteps)}
        detail={`${t('parameters.stepsExplain', { images: c.imageCount ?? 0, repeats: knobs.repeats, epochs: knobs.epochs, batch: knobs.batch })} · ${t('parameters.stepsRange', range)}`}
      />
      <Figure label={t('parameters.size')} help={t('terms.dim')} value={`${e.fileSize.mb.toFixed(0)} MB`} />
      <Figure
        label={t('parameters.vram')}
        help={t('terms.vram')}
        value={`${e.vram.peakGb.toFixed(1)} GB`}
        detail={
          gpu
            ? `${shortGpuName(gpu.name ?? 'GPU')} ${String(gpu.vramGb)} GB · ${e.vram.fit ? t(`parameters.fit.${e.vram.fit}`) : ''}`
            : t('parameters.noGpu')
        }
      />
      <Figure
        label={t('parameters.time')}
        help={t('terms.steps')}
        value={minutes !== undefined ? `${String(minutes)} min` : '—'}
        detail={gpu ? undefined : t('parameters.noGpu')}
      />
    </Box>
  );
}

/** Step 4: the preset picked from the choices, five knobs, the estimates and the warnings. */
export function StepParameters({ plan }: { plan: WizardPlan }) {
  const { t, i18n } = useTranslation('wizard');
  const applyFix = useWizardStore((s) => s.applyFix);
  const { knobs, preset } = plan;
  const fromFolders = plan.choices.subsets.some((s) => s.fromFolderName);
  return (
    <Stack spacing={2}>
      <SectionCard title={t('parameters.presetTitle')}>
        <Typography variant="subtitle1" data-testid="wizard-preset-name">
          {preset ? textIn(preset.meta.name, i18n.language) : plan.presetId}
        </Typography>
        {preset && (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {textIn(preset.meta.description, i18n.language)}
          </Typography>
        )}
      </SectionCard>
      <SectionCard title={t('parameters.knobsTitle')}>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(5, 1fr)' } }}>
          <KnobField
            knob="epochs"
            value={knobs.epochs}
            label={t('parameters.epochs')}
            help={t('terms.epochs')}
            min={1}
            max={200}
          />
          <KnobField
            knob="repeats"
            value={knobs.repeats}
            label={t('parameters.repeats')}
            help={t('terms.repeats')}
            min={1}
            max={100}
          />
          <KnobField
            knob="resolution"
            value={knobs.resolution}
            label={t('parameters.resolution')}
            help={t('terms.resolution')}
            min={256}
            max={2048}
          />
          <KnobField
            knob="dim"
            value={knobs.dim}
            label={t('parameters.dim')}
            help={t('terms.dim')}
            min={1}
            max={256}
          />
          <KnobField
            knob="batch"
            value={knobs.batch}
            label={t('parameters.batch')}
            help={t('terms.batch')}
            min={1}
            max={16}
          />
        </Box>
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          {t('parameters.alphaNote', { alpha: knobs.dim / 2 })}
          {knobs.suggestion
            ? ` ${t('parameters.suggested', { count: plan.choices.imageCount ?? 0, repeats: knobs.suggestion.repeats, epochs: knobs.suggestion.epochs, steps: knobs.suggestion.totalSteps })}`
            : ''}
        </Typography>
        {fromFolders && <Alert severity="info">{t('parameters.repeatsFromFolders')}</Alert>}
      </SectionCard>
      <SectionCard title={t('parameters.estimatesTitle')}>
        <Estimates plan={plan} />
      </SectionCard>
      {plan.warnings.length > 0 && (
        <SectionCard title={t('parameters.warningsTitle')}>
          <RuleList results={plan.warnings} onFix={applyFix} />
        </SectionCard>
      )}
    </Stack>
  );
}
