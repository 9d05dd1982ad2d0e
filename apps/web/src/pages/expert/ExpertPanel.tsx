import {
  checkConfig,
  estimateAll,
  exportKohya,
  parseResolution,
  resolveValues,
  type GpuInfo,
  type RuleResult,
  type TrainingConfig,
} from '@danlu/params';
import CheckCircleOutline from '@mui/icons-material/CheckCircleOutline';
import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import DataObjectOutlined from '@mui/icons-material/DataObjectOutlined';
import ErrorOutline from '@mui/icons-material/ErrorOutline';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import WarningAmberOutlined from '@mui/icons-material/WarningAmberOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ButtonBase from '@mui/material/ButtonBase';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { memo, useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { SectionCard } from '../../components/SectionCard.js';
import { copyText } from '../../lib/clipboard.js';
import { changedLines } from '../../lib/expertFields.js';
import { primaryGpu, shortGpuName, vramGb } from '../../lib/gpu.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { selectBaseline, selectConfig, useExpertStore } from '../../stores/expertStore.js';
import { selectGpuReport, useGpuStore } from '../../stores/gpuStore.js';
import { monoFontFamily } from '../../theme/theme.js';
import { textIn } from './text.js';

function useGpuInfo(): GpuInfo | undefined {
  const report = useGpuStore(selectGpuReport);
  const gpu = primaryGpu(report);
  return useMemo(() => (gpu ? { name: gpu.name, vramGb: vramGb(gpu.memoryTotalMiB) } : undefined), [gpu]);
}

const RuleItem = memo(function RuleItem({ result }: { result: RuleResult }) {
  const { t, i18n } = useTranslation('expert');
  const focusField = useExpertStore((state) => state.focusField);
  const applyFix = useExpertStore((state) => state.applyFix);
  const error = result.severity === 'error';
  const first = result.keys[0];
  return (
    <Box
      component="li"
      data-testid={`expert-rule-${result.id}`}
      data-severity={result.severity}
      sx={(theme) => {
        const color = error ? theme.palette.error.main : theme.palette.warning.main;
        return {
          display: 'flex',
          flexDirection: 'column',
          gap: 0.5,
          borderRadius: 2,
          borderLeft: 3,
          borderColor: color,
          bgcolor: alpha(color, theme.palette.mode === 'dark' ? 0.12 : 0.07),
          px: 1.25,
          py: 1,
        };
      }}
    >
      <ButtonBase
        disabled={first === undefined}
        title={t('rules.goTo')}
        onClick={() => {
          if (first !== undefined) focusField(first);
        }}
        sx={{
          justifyContent: 'flex-start',
          textAlign: 'left',
          gap: 1,
          alignItems: 'flex-start',
          borderRadius: 1,
        }}
      >
        {error ? (
          <ErrorOutline sx={{ fontSize: 18, color: 'error.main', mt: 0.25 }} aria-label={t('rules.error')} />
        ) : (
          <WarningAmberOutlined
            sx={{ fontSize: 18, color: 'warning.main', mt: 0.25 }}
            aria-label={t('rules.warning')}
          />
        )}
        <Typography variant="body2" sx={{ flex: 1, minWidth: 0 }}>
          {textIn(result.text, i18n.language)}
        </Typography>
      </ButtonBase>
      {result.fix && (
        <Box sx={{ pl: 3.25 }}>
          <Button
            size="small"
            variant="outlined"
            color={error ? 'error' : 'warning'}
            data-testid={`expert-fix-${result.id}`}
            onClick={() => {
              if (result.fix) applyFix(result.fix.patch);
            }}
            sx={{ py: 0.125, px: 1, fontSize: '0.8125rem' }}
          >
            {t('rules.applyFix', { fix: textIn(result.fix.text, i18n.language) })}
          </Button>
        </Box>
      )}
    </Box>
  );
});

function RulesCard({ results }: { results: RuleResult[] }) {
  const { t } = useTranslation('expert');
  const errors = results.filter((result) => result.severity === 'error').length;
  const warnings = results.length - errors;
  return (
    // Pinned at the top of the panel while the estimates and the TOML scroll beneath it.
    <Box data-testid="expert-rules" sx={{ position: { lg: 'sticky' }, top: 0, zIndex: 2 }}>
      <SectionCard
        title={t('rules.title')}
        icon={<FactCheckOutlined />}
        aside={
          <Stack direction="row" spacing={0.75}>
            {errors > 0 && <Chip size="small" color="error" label={t('rules.errors', { count: errors })} />}
            {warnings > 0 && (
              <Chip size="small" color="warning" label={t('rules.warnings', { count: warnings })} />
            )}
          </Stack>
        }
      >
        {results.length === 0 ? (
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', color: 'success.main' }}>
            <CheckCircleOutline fontSize="small" aria-hidden />
            <Typography variant="body2">{t('rules.ok')}</Typography>
          </Stack>
        ) : (
          <Stack
            component="ul"
            spacing={1}
            sx={{ listStyle: 'none', p: 0, m: 0, maxHeight: { lg: '32vh' }, overflowY: { lg: 'auto' } }}
          >
            {results.map((result) => (
              <RuleItem key={result.id} result={result} />
            ))}
          </Stack>
        )}
      </SectionCard>
    </Box>
  );
}

function Figure({
  label,
  value,
  explain,
  aside,
  testId,
}: {
  label: string;
  value: string;
  explain: string;
  aside?: React.ReactNode;
  testId: string;
}) {
  return (
    <Box
      data-testid={testId}
      sx={{ py: 1, borderTop: 1, borderColor: 'divider', '&:first-of-type': { borderTop: 0, pt: 0 } }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ color: 'text.secondary', flex: 1, minWidth: 0 }}>
          {label}
        </Typography>
        {aside}
        <Typography variant="h4" component="p" sx={{ fontVariantNumeric: 'tabular-nums' }}>
          {value}
        </Typography>
      </Stack>
      <Typography
        variant="caption"
        sx={{ color: 'text.secondary', display: 'block', lineHeight: 1.5, whiteSpace: 'pre-line' }}
      >
        {explain}
      </Typography>
    </Box>
  );
}

function SmallNumber({
  label,
  value,
  onValue,
  testId,
}: {
  label: string;
  value: number;
  onValue: (n: number) => void;
  testId: string;
}) {
  return (
    <TextField
      size="small"
      label={label}
      type="number"
      value={value}
      onChange={(event) => {
        const n = Math.round(Number(event.target.value));
        if (Number.isFinite(n) && n >= 0 && n <= 100000) onValue(n);
      }}
      sx={{ width: 110 }}
      slotProps={{ htmlInput: { min: 0, step: 1, 'data-testid': testId } }}
    />
  );
}

function EstimatesCard({ config, gpu }: { config: TrainingConfig; gpu: GpuInfo | undefined }) {
  const { t, i18n } = useTranslation('expert');
  const images = useExpertStore((state) => state.estimateImages);
  const repeats = useExpertStore((state) => state.estimateRepeats);
  const setEstimateInput = useExpertStore((state) => state.setEstimateInput);
  const applyFix = useExpertStore((state) => state.applyFix);
  const language = i18n.language;
  const number = useMemo(() => new Intl.NumberFormat(language), [language]);
  const decimal = useMemo(() => new Intl.NumberFormat(language, { maximumFractionDigits: 1 }), [language]);

  const { estimates, values } = useMemo(() => {
    const withImages: TrainingConfig =
      config.subsets.length > 0
        ? config
        : {
            ...config,
            subsets: [{ imageDir: 'dataset', numRepeats: Math.max(1, repeats), imageCount: images }],
          };
    return { estimates: estimateAll(withImages, gpu), values: resolveValues(config) };
  }, [config, gpu, images, repeats]);

  const epochs = values.get('max_train_epochs');
  const batch = Number(values.get('train_batch_size') ?? 1);
  const [w, h] = parseResolution(values.get('resolution'));
  const precision = String(values.get('save_precision') ?? 'fp16');
  const family = t(`families.${config.family}`);
  const { steps, fileSize, vram, time } = estimates;
  const fitColor = vram.fit === 'fits' ? 'success' : vram.fit === 'tight' ? 'warning' : 'error';
  const fitLabel =
    vram.fit === 'fits'
      ? t('estimates.fits')
      : vram.fit === 'tight'
        ? t('estimates.tight')
        : t('estimates.willNotFit');
  const sizeValue =
    fileSize.mb >= 1000
      ? t('estimates.gb', { value: decimal.format(fileSize.mb / 1000) })
      : t('estimates.mb', { value: decimal.format(fileSize.mb) });
  const minutes = time ? Math.max(1, Math.round(time.totalSeconds / 60)) : 0;

  return (
    <SectionCard title={t('estimates.title')} icon={<InsightsOutlined />}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <SmallNumber
          label={t('estimates.images')}
          value={images}
          testId="expert-estimate-images"
          onValue={(n) => {
            setEstimateInput({ images: n });
          }}
        />
        <SmallNumber
          label={t('estimates.repeats')}
          value={repeats}
          testId="expert-estimate-repeats"
          onValue={(n) => {
            setEstimateInput({ repeats: Math.max(1, n) });
          }}
        />
        <Typography variant="caption" sx={{ color: 'text.secondary', flex: 1, minWidth: 0, lineHeight: 1.4 }}>
          {t('estimates.inputsHelp')}
        </Typography>
      </Stack>
      <Box>
        <Figure
          testId="expert-estimate-steps"
          label={t('estimates.steps')}
          value={number.format(steps.totalSteps)}
          explain={
            typeof epochs === 'number'
              ? t('estimates.stepsExplain', { images, repeats, epochs, batch })
              : t('estimates.stepsMaxSteps', { steps: number.format(steps.totalSteps) })
          }
        />
        <Figure
          testId="expert-estimate-size"
          label={fileSize.kind === 'checkpoint' ? t('estimates.sizeCheckpoint') : t('estimates.size')}
          value={sizeValue}
          explain={
            fileSize.kind === 'checkpoint'
              ? t('estimates.sizeExplainCheckpoint', { family, precision })
              : t('estimates.sizeExplain', {
                  family,
                  dim: String(values.get('network_dim') ?? ''),
                  precision,
                })
          }
        />
        <Figure
          testId="expert-estimate-vram"
          label={t('estimates.vram')}
          value={t('estimates.gb', { value: decimal.format(vram.peakGb) })}
          aside={vram.fit && <Chip size="small" color={fitColor} label={fitLabel} />}
          explain={`${t('estimates.vramExplain', {
            resolution: `${w}×${h}`,
            batch,
            precision: String(values.get('mixed_precision') ?? 'no'),
            optimizer: String(values.get('optimizer_type') ?? 'AdamW'),
          })}\n${
            gpu?.name
              ? t('estimates.gpu', { gpu: shortGpuName(gpu.name), gb: gpu.vramGb })
              : t('estimates.noGpu')
          }`}
        />
        {vram.suggestions.length > 0 && (
          <Stack spacing={0.75} sx={{ pb: 1 }}>
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              {t('estimates.suggestions')}
            </Typography>
            {vram.suggestions.map((suggestion) => (
              <Stack
                key={Object.keys(suggestion.patch).join(',')}
                direction="row"
                spacing={1}
                sx={{ alignItems: 'center' }}
              >
                <Typography variant="body2" sx={{ flex: 1, minWidth: 0 }}>
                  {textIn(suggestion.text, language)}
                </Typography>
                <Button
                  size="small"
                  variant="outlined"
                  onClick={() => {
                    applyFix(suggestion.patch);
                  }}
                >
                  {t('estimates.apply')}
                </Button>
              </Stack>
            ))}
          </Stack>
        )}
        {time && gpu?.name && (
          <Figure
            testId="expert-estimate-time"
            label={t('estimates.time')}
            value={
              minutes >= 60
                ? t('estimates.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 })
                : t('estimates.minutes', { minutes })
            }
            explain={t('estimates.timeExplain', {
              gpu: shortGpuName(gpu.name),
              seconds: decimal.format(time.secondsPerStep),
            })}
          />
        )}
      </Box>
    </SectionCard>
  );
}

function TomlCard({ config, baseline }: { config: TrainingConfig; baseline: TrainingConfig }) {
  const { t } = useTranslation('expert');
  const show = useFeedbackStore((state) => state.show);
  const [file, setFile] = useState<'config' | 'dataset'>('config');
  const { current, before } = useMemo(
    () => ({ current: exportKohya(config), before: exportKohya(baseline) }),
    [config, baseline],
  );
  const shownFile = file === 'dataset' && current.datasetToml !== null ? 'dataset' : 'config';
  const text = (shownFile === 'dataset' ? current.datasetToml : current.configToml) ?? '';
  const beforeText = (shownFile === 'dataset' ? before.datasetToml : before.configToml) ?? '';
  const marked = useMemo(() => changedLines(text, beforeText), [text, beforeText]);
  const name = `${shownFile}.toml`;
  const lines = text.replace(/\n$/, '').split('\n');

  return (
    <Box data-testid="expert-toml">
      <SectionCard
        title={t('toml.title')}
        icon={<DataObjectOutlined />}
        aside={
          <Button
            size="small"
            startIcon={<ContentCopyOutlined />}
            data-testid="expert-toml-copy"
            onClick={() => {
              void copyText(text).then((ok) => {
                show(
                  ok
                    ? { kind: 'success', text: t('toml.copied', { file: name }) }
                    : { kind: 'warning', text: t('toml.copyFailed') },
                );
              });
            }}
          >
            {t('toml.copy')}
          </Button>
        }
      >
        <Stack
          direction="row"
          spacing={1}
          sx={{ alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap' }}
        >
          <Tabs
            value={shownFile}
            onChange={(_event, value: 'config' | 'dataset') => {
              setFile(value);
            }}
            sx={{
              minHeight: 32,
              '& .MuiTab-root': { minHeight: 32, py: 0.5, px: 1, fontFamily: monoFontFamily },
            }}
          >
            <Tab value="config" label="config.toml" />
            {current.datasetToml !== null && <Tab value="dataset" label="dataset.toml" />}
          </Tabs>
          <Typography
            variant="caption"
            translate="no"
            sx={{ color: 'text.secondary', fontFamily: monoFontFamily }}
          >
            {current.script}
          </Typography>
        </Stack>
        <Box
          component="pre"
          data-testid="expert-toml-text"
          translate="no"
          sx={{
            m: 0,
            py: 1,
            borderRadius: 2,
            bgcolor: 'action.hover',
            fontFamily: monoFontFamily,
            fontSize: '0.78rem',
            lineHeight: 1.55,
            overflowX: 'auto',
          }}
        >
          {lines.map((line, index) => {
            const changed = marked.has(index);
            return (
              <Box
                // Lines are positional: the text is regenerated as a whole.
                key={index}
                component="span"
                data-changed={changed ? 'true' : undefined}
                sx={(theme) => ({
                  display: 'block',
                  px: 1.25,
                  minHeight: '1.55em',
                  borderLeft: 3,
                  borderColor: changed ? 'primary.main' : 'transparent',
                  bgcolor: changed ? alpha(theme.palette.primary.main, 0.12) : 'transparent',
                  color: line.startsWith('[') ? 'primary.main' : 'text.primary',
                  fontWeight: line.startsWith('[') ? 600 : 400,
                  whiteSpace: 'pre',
                })}
              >
                {line}
              </Box>
            );
          })}
        </Box>
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          {marked.size > 0 ? t('toml.changedHint') : ''}
          {marked.size > 0 && current.datasetToml === null ? ' · ' : ''}
          {current.datasetToml === null ? t('toml.folderMode') : ''}
        </Typography>
      </SectionCard>
    </Box>
  );
}

/**
 * The right-hand panel: rule results, estimates and the TOML preview. They are worked out from a
 * deferred copy of the configuration, so typing stays quick and the panel catches up a moment later.
 */
export function ExpertPanel() {
  const config = useDeferredValue(useExpertStore(selectConfig));
  const baseline = useDeferredValue(useExpertStore(selectBaseline));
  const gpu = useGpuInfo();
  const results = useMemo(() => checkConfig(config, gpu ? { gpu } : {}), [config, gpu]);
  return (
    <Stack spacing={2}>
      <RulesCard results={results} />
      <EstimatesCard config={config} gpu={gpu} />
      <TomlCard config={config} baseline={baseline} />
    </Stack>
  );
}
