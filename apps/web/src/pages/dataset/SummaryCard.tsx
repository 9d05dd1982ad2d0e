import CollectionsOutlined from '@mui/icons-material/CollectionsOutlined';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { SectionCard } from '../../components/SectionCard.js';
import type { ScanResult } from '../../stores/datasetStore.js';
import { formatBytes } from './text.js';
import { Term } from './Term.js';

function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <Box sx={{ minWidth: 110 }}>
      <Typography variant="h4" component="div" data-testid={testId}>
        {value}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
    </Box>
  );
}

/** What is in the folder: counts, sizes, orientation and the kohya subsets (with `N_name` explained). */
export function SummaryCard({ scan }: { scan: ScanResult }) {
  const { t } = useTranslation('dataset');
  const s = scan.summary;
  return (
    <SectionCard title={t('summary.title')} icon={<CollectionsOutlined />}>
      <Stack direction="row" spacing={3} useFlexGap sx={{ flexWrap: 'wrap' }}>
        <Stat label={t('summary.images')} value={s.usable} testId="dataset-usable" />
        <Stat label={t('summary.captioned')} value={`${String(s.withCaption)} / ${String(s.usable)}`} />
        <Stat label={t('summary.unusable')} value={s.problems} />
        <Stat label={t('summary.size')} value={formatBytes(s.totalBytes)} />
      </Stack>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
        <Chip size="small" label={t('summary.portrait', { count: s.portrait })} />
        <Chip size="small" label={t('summary.landscape', { count: s.landscape })} />
        <Chip size="small" label={t('summary.square', { count: s.square })} />
        {Object.entries(s.formats).map(([format, count]) => (
          <Chip
            key={format}
            size="small"
            variant="outlined"
            label={`${format.toUpperCase()} ${String(count)}`}
          />
        ))}
        {s.smallest && (
          <Chip
            size="small"
            variant="outlined"
            label={t('summary.smallest', {
              size: `${String(s.smallest.width)}×${String(s.smallest.height)}`,
            })}
          />
        )}
        {s.largest && (
          <Chip
            size="small"
            variant="outlined"
            label={t('summary.largest', { size: `${String(s.largest.width)}×${String(s.largest.height)}` })}
          />
        )}
      </Stack>
      <Typography variant="subtitle2" sx={{ mt: 1 }}>
        <Term id="subset">{t('summary.subsets')}</Term>
      </Typography>
      <Table size="small" aria-label={t('summary.subsets')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('summary.folder')}</TableCell>
            <TableCell align="right">{t('summary.images')}</TableCell>
            <TableCell align="right">
              <Term id="repeat" />
            </TableCell>
            <TableCell>{t('summary.meaning')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {scan.subsets.map((subset) => (
            <TableRow key={subset.dir}>
              <TableCell sx={{ wordBreak: 'break-all' }}>
                {subset.relDir === '' ? t('summary.root') : subset.relDir}
              </TableCell>
              <TableCell align="right">{subset.imageCount}</TableCell>
              <TableCell align="right">{subset.numRepeats}</TableCell>
              <TableCell>
                {subset.isReg && (
                  <Chip size="small" color="secondary" label={t('terms.reg.label')} sx={{ mr: 1 }} />
                )}
                {subset.fromFolderName
                  ? t('summary.fromFolderName', {
                      repeats: subset.numRepeats,
                      name: subset.classTokens ?? '',
                      samples: subset.imageCount * subset.numRepeats,
                    })
                  : t('summary.plainFolder')}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </SectionCard>
  );
}
