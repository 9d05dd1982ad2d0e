import { familyLabel, modelFamilies, trainingKinds, type ModelFamily } from '@danlu/params';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import type { ModelFile } from '@danlu/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '../../bridge/api.js';

import { SectionCard } from '../../components/SectionCard.js';
import { pickLanguage } from '../../lib/apiText.js';
import { useWizardStore } from '../../stores/wizardStore.js';
import { textIn } from '../expert/text.js';
import { Term } from './Term.js';

function ModelCheck() {
  const { t, i18n } = useTranslation('wizard');
  const tx = useTranslation('expert').t;
  const model = useWizardStore((s) => s.model);
  const family = useWizardStore((s) => s.family);
  const setFamily = useWizardStore((s) => s.setFamily);
  if (model.status === 'idle') return null;
  if (model.status === 'loading')
    return (
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <CircularProgress size={16} />
        <Typography variant="body2">{tx('model.reading')}</Typography>
      </Stack>
    );
  if (model.status === 'failed')
    return (
      <Alert severity="error" data-testid="wizard-model-error">
        {pickLanguage(model.error.message, i18n.language)}
      </Alert>
    );
  const r = model.data;
  return (
    <Stack spacing={1} data-testid="wizard-model-result" data-usable={r.usable ? 'true' : 'false'}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <Chip
          data-testid="wizard-model-family"
          color={r.usable ? 'success' : 'error'}
          variant="outlined"
          label={`${familyLabel(r.family)} · ${tx(`model.kinds.${r.kind}`)}`}
        />
        {r.usable && (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {t('what.familyFound', { family: familyLabel(family) })}
          </Typography>
        )}
      </Stack>
      {r.evidence.map((e) => (
        <Typography key={e.en} variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
          {textIn(e, i18n.language)}
        </Typography>
      ))}
      {r.error && <Alert severity="error">{textIn(r.error, i18n.language)}</Alert>}
      {r.warnings.map((w) => (
        <Alert key={w.en} severity="warning">
          {textIn(w, i18n.language)}
        </Alert>
      ))}
      {r.usable && r.basis === 'name' && (
        <TextField
          select
          size="small"
          label={t('what.familyManual')}
          value={family}
          onChange={(e) => {
            setFamily(e.target.value as ModelFamily);
          }}
          sx={{ width: 200 }}
        >
          {modelFamilies.map((f) => (
            <MenuItem key={f} value={f}>
              {familyLabel(f)}
            </MenuItem>
          ))}
        </TextField>
      )}
    </Stack>
  );
}

/** Base models found in the configured model folders (LoRAs and VAEs left out), one click to pick. */
function FoundModels() {
  const { t } = useTranslation('wizard');
  const [models, setModels] = useState<ModelFile[]>([]);
  useEffect(() => {
    let live = true;
    void api.call('models.list', { inspect: true }).then((answer) => {
      if (live && answer.ok)
        setModels(answer.data.models.filter((m) => m.kind === 'checkpoint').slice(0, 12));
    });
    return () => {
      live = false;
    };
  }, []);
  if (models.length === 0) return null;
  return (
    <Stack spacing={0.75}>
      <Typography variant="caption" sx={{ color: 'text.secondary' }}>
        {t('what.found')}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
        {models.map((m) => (
          <Chip
            key={m.path}
            size="small"
            variant="outlined"
            data-testid="wizard-found-model"
            label={`${m.name}${m.family ? ` · ${familyLabel(m.family)}` : ''}`}
            onClick={() => {
              const store = useWizardStore.getState();
              store.setModelPath(m.path);
              void store.inspectModel();
            }}
          />
        ))}
      </Stack>
    </Stack>
  );
}

/** Step 1: what to train (subject, look) and the base model, whose family is read from the file. */
export function StepWhat() {
  const { t } = useTranslation('wizard');
  const subject = useWizardStore((s) => s.subject);
  const look = useWizardStore((s) => s.look);
  const modelPath = useWizardStore((s) => s.modelPath);
  const set = useWizardStore.getState();
  return (
    <Stack spacing={2}>
      <SectionCard
        title={
          <Term help={t('terms.subject')} variant="h6">
            {t('what.subjectTitle')}
          </Term>
        }
      >
        <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' } }}>
          {trainingKinds.map((k) => (
            <Box
              key={k}
              component="button"
              type="button"
              data-testid={`wizard-subject-${k}`}
              aria-pressed={subject === k}
              onClick={() => {
                set.setSubject(k);
              }}
              sx={(theme) => ({
                textAlign: 'left',
                cursor: 'pointer',
                p: 1.5,
                borderRadius: 2,
                border: 2,
                borderColor: subject === k ? 'primary.main' : 'divider',
                bgcolor: subject === k ? 'action.selected' : 'background.paper',
                color: 'text.primary',
                font: 'inherit',
                '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
              })}
            >
              <Typography variant="subtitle2">{t(`what.subjects.${k}`)}</Typography>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                {t(`what.subjectHints.${k}`)}
              </Typography>
            </Box>
          ))}
        </Box>
        <Term help={t('terms.look')}>{t('what.lookTitle')}</Term>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={look}
          onChange={(_, v: 'anime' | 'realistic' | null) => {
            if (v) set.setLook(v);
          }}
        >
          <ToggleButton value="anime" data-testid="wizard-look-anime">
            {t('what.looks.anime')}
          </ToggleButton>
          <ToggleButton value="realistic" data-testid="wizard-look-realistic">
            {t('what.looks.realistic')}
          </ToggleButton>
        </ToggleButtonGroup>
      </SectionCard>
      <SectionCard
        title={
          <Term help={t('terms.baseModel')} variant="h6">
            {t('what.modelTitle')}
          </Term>
        }
      >
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('what.modelHint')}
        </Typography>
        <FoundModels />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void set.inspectModel();
          }}
        >
          <Stack direction="row" spacing={1}>
            <TextField
              size="small"
              fullWidth
              label={t('what.modelPath')}
              placeholder={t('what.modelPlaceholder')}
              value={modelPath}
              onChange={(e) => {
                set.setModelPath(e.target.value);
              }}
              onBlur={() => {
                if (useWizardStore.getState().model.status === 'idle') void set.inspectModel();
              }}
              slotProps={{ htmlInput: { 'data-testid': 'wizard-model-path', spellCheck: false } }}
            />
            <Button
              type="submit"
              variant="outlined"
              data-testid="wizard-model-check"
              disabled={modelPath.trim() === ''}
            >
              {t('what.check')}
            </Button>
          </Stack>
        </form>
        <Term help={t('terms.family')}>{t('what.familyManual')}</Term>
        <ModelCheck />
      </SectionCard>
    </Stack>
  );
}
