import ViewModuleOutlined from '@mui/icons-material/ViewModuleOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { SectionCard } from '../../components/SectionCard.js';
import { useDatasetStore, type BucketResult } from '../../stores/datasetStore.js';
import { monoFontFamily } from '../../theme/theme.js';
import { pick } from './text.js';
import { Term } from './Term.js';

/** kohya's aspect-ratio buckets for this folder: sizes, counts, which image goes where, the steps. */
export function BucketsPanel({ buckets }: { buckets: BucketResult | undefined }) {
  const { t, i18n } = useTranslation('dataset');
  const options = useDatasetStore((s) => s.options);
  const { setOptions, loadBuckets } = useDatasetStore.getState();
  const [open, setOpen] = useState<string | undefined>();
  const max = Math.max(1, ...(buckets?.buckets.map((b) => b.count) ?? [1]));
  const update = (patch: Parameters<typeof setOptions>[0]) => {
    setOptions(patch);
    void loadBuckets();
  };
  return (
    <SectionCard title={<Term id="bucket">{t('buckets.title')}</Term>} icon={<ViewModuleOutlined />}>
      <Typography variant="body2" color="text.secondary">
        {t('buckets.intro', { resolution: options.resolution })}
      </Typography>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
        <TextField
          size="small"
          type="number"
          label={t('buckets.batchSize')}
          value={options.batchSize}
          sx={{ width: 130 }}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 1 && n <= 64) update({ batchSize: n });
          }}
        />
        <TextField
          size="small"
          type="number"
          label={t('buckets.epochs')}
          value={options.epochs}
          sx={{ width: 130 }}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 1 && n <= 1000) update({ epochs: n });
          }}
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={options.bucketNoUpscale}
              onChange={(e) => {
                update({ bucketNoUpscale: e.target.checked });
              }}
            />
          }
          label={<Term id="noUpscale" />}
        />
      </Stack>
      {buckets?.error && <Alert severity="error">{buckets.error}</Alert>}
      {buckets && (
        <>
          <Stack direction="row" spacing={3} useFlexGap sx={{ flexWrap: 'wrap' }} data-testid="dataset-steps">
            <Typography>{t('buckets.samples', { count: buckets.trainImagesWithRepeats })}</Typography>
            <Typography>
              <Term id="steps">{t('buckets.stepsPerEpoch', { count: buckets.steps.stepsPerEpoch })}</Term>
            </Typography>
            <Typography sx={{ fontWeight: 600 }}>
              {t('buckets.totalSteps', { count: buckets.steps.totalSteps, epochs: buckets.steps.epochs })}
            </Typography>
          </Stack>
          {buckets.regBalance && <Alert severity="info">{pick(buckets.regBalance, i18n.language)}</Alert>}
          <Table size="small" aria-label={t('buckets.title')} data-testid="dataset-buckets">
            <TableHead>
              <TableRow>
                <TableCell>{t('buckets.size')}</TableCell>
                <TableCell align="right">{t('buckets.images')}</TableCell>
                <TableCell align="right">{t('buckets.count')}</TableCell>
                <TableCell sx={{ width: '40%' }} />
              </TableRow>
            </TableHead>
            <TableBody>
              {buckets.buckets.map((b) => {
                const key = `${String(b.width)}x${String(b.height)}`;
                const members = buckets.assignments.filter(
                  (a) => a.width === b.width && a.height === b.height,
                );
                return (
                  <Fragment key={key}>
                    <TableRow
                      hover
                      sx={{ cursor: 'pointer' }}
                      onClick={() => {
                        setOpen(open === key ? undefined : key);
                      }}
                    >
                      <TableCell sx={{ fontFamily: monoFontFamily }}>
                        {b.width}×{b.height}
                      </TableCell>
                      <TableCell align="right">{b.images}</TableCell>
                      <TableCell align="right">{b.count}</TableCell>
                      <TableCell>
                        <Box
                          sx={{
                            height: 10,
                            borderRadius: 1,
                            bgcolor: 'primary.main',
                            width: `${String((b.count / max) * 100)}%`,
                          }}
                        />
                      </TableCell>
                    </TableRow>
                    {open === key && (
                      <TableRow>
                        <TableCell colSpan={4}>
                          <Stack spacing={0.25}>
                            {members.map((m) => (
                              <Typography key={m.relPath} variant="body2" sx={{ wordBreak: 'break-all' }}>
                                {m.relPath}
                                <Typography component="span" variant="caption" color="text.secondary">
                                  {'  '}
                                  {t('buckets.resized', {
                                    size: `${String(m.resizedWidth)}×${String(m.resizedHeight)}`,
                                  })}
                                  {m.upscaled ? ` · ${t('buckets.upscaled')}` : ''}
                                  {` · ×${String(m.repeats)}`}
                                </Typography>
                              </Typography>
                            ))}
                          </Stack>
                        </TableCell>
                      </TableRow>
                    )}
                  </Fragment>
                );
              })}
            </TableBody>
          </Table>
          <Typography variant="caption" color="text.secondary">
            {t('buckets.clickHint')}
          </Typography>
        </>
      )}
    </SectionCard>
  );
}
