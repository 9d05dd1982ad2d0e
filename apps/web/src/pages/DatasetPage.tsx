import type { FindingFix, FindingRow } from '@danlu/contracts';
import CropOutlined from '@mui/icons-material/CropOutlined';
import FolderOpenOutlined from '@mui/icons-material/FolderOpenOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorDetails } from '../components/ErrorDetails.js';
import { PageRoot } from '../components/PageRoot.js';
import { SectionCard } from '../components/SectionCard.js';
import { pickLanguage } from '../lib/apiText.js';
import { useDatasetStore } from '../stores/datasetStore.js';
import { useFeedbackStore } from '../stores/feedbackStore.js';
import { BucketsPanel } from './dataset/BucketsPanel.js';
import { CaptionEditor } from './dataset/CaptionEditor.js';
import { ChecksCard } from './dataset/ChecksCard.js';
import { FolderBar } from './dataset/FolderBar.js';
import { ImageGrid } from './dataset/ImageGrid.js';
import { PrepareDialog } from './dataset/PrepareDialog.js';
import { SummaryCard } from './dataset/SummaryCard.js';
import { TaggerPanel } from './dataset/TaggerPanel.js';
import { TagTable } from './dataset/TagTable.js';

type TabId = 'overview' | 'buckets' | 'captions' | 'tagging';
type GridFilter = 'all' | 'uncaptioned' | 'problems';

const steps = ['scan', 'check', 'tag', 'edit', 'prepare'] as const;

/** 数据集: scan → checks → buckets → captions (grid, editor, batch tags) → auto-tag → prepared copy. */
export function DatasetPage() {
  const { t, i18n } = useTranslation('dataset');
  const scan = useDatasetStore((s) => s.scan);
  const error = useDatasetStore((s) => s.error);
  const checks = useDatasetStore((s) => s.checks);
  const buckets = useDatasetStore((s) => s.buckets);
  const images = useDatasetStore((s) => s.images);
  const selected = useDatasetStore((s) => s.selected);
  const trigger = useDatasetStore((s) => s.options.triggerWord);
  const [tab, setTab] = useState<TabId>('overview');
  const [prepareOpen, setPrepareOpen] = useState(false);
  const [filter, setFilter] = useState<GridFilter>('all');
  const [tagFilter, setTagFilter] = useState('');

  const shown = useMemo(() => {
    const needle = tagFilter.trim().toLowerCase().replace(/_/g, ' ');
    return images.filter((image) => {
      if (filter === 'uncaptioned' && (image.problem || image.caption)) return false;
      if (filter === 'problems' && !image.problem) return false;
      if (needle && !(image.caption?.text ?? '').toLowerCase().replace(/_/g, ' ').includes(needle))
        return false;
      return true;
    });
  }, [images, filter, tagFilter]);
  const selectedImage = images.find((i) => i.relPath === selected);

  const onFix = (kind: FindingFix['kind'], _finding: FindingRow) => {
    if (kind === 'prepare') setPrepareOpen(true);
    // the tagger's default mode (skip captioned images) fills exactly the missing captions
    if (kind === 'auto_tag') setTab('tagging');
    if (kind === 'add_trigger') {
      if (trigger.trim() === '') {
        useFeedbackStore.getState().show({ kind: 'warning', text: t('checks.needTrigger') });
        return;
      }
      setTab('captions');
      void useDatasetStore.getState().preview([{ op: 'addFirst', tag: trigger.trim() }]);
    }
  };

  return (
    <PageRoot
      id="dataset"
      actions={
        scan && (
          <Button
            variant="outlined"
            startIcon={<CropOutlined />}
            onClick={() => {
              setPrepareOpen(true);
            }}
            data-testid="dataset-prepare"
          >
            {t('prepare.open')}
          </Button>
        )
      }
    >
      <Stack spacing={2}>
        <Card sx={{ p: 2.5 }}>
          <FolderBar />
        </Card>
        {error && (
          <Alert severity="error" data-testid="dataset-error">
            <ErrorDetails error={{ ...error, message: pickLanguage(error.message, i18n.language) }} />
          </Alert>
        )}
        {!scan && !error && (
          <SectionCard title={t('intro.title')} icon={<FolderOpenOutlined />}>
            <Typography>{t('intro.body')}</Typography>
            <Stack component="ol" spacing={0.5} sx={{ m: 0, pl: 3 }}>
              {steps.map((step) => (
                <Typography component="li" key={step}>
                  {t(`intro.steps.${step}`)}
                </Typography>
              ))}
            </Stack>
            <Typography variant="body2" color="text.secondary">
              {t('intro.safe')}
            </Typography>
          </SectionCard>
        )}
        {scan && (
          <>
            <Tabs
              value={tab}
              onChange={(_, value: TabId) => {
                setTab(value);
              }}
              variant="scrollable"
              allowScrollButtonsMobile
            >
              <Tab value="overview" label={t('tabs.overview')} data-testid="dataset-tab-overview" />
              <Tab value="buckets" label={t('tabs.buckets')} data-testid="dataset-tab-buckets" />
              <Tab value="captions" label={t('tabs.captions')} data-testid="dataset-tab-captions" />
              <Tab value="tagging" label={t('tabs.tagging')} data-testid="dataset-tab-tagging" />
            </Tabs>
            {tab === 'overview' && (
              <Stack spacing={2}>
                <SummaryCard scan={scan} />
                <ChecksCard checks={checks} onFix={onFix} />
              </Stack>
            )}
            {tab === 'buckets' && <BucketsPanel buckets={buckets} />}
            {tab === 'captions' && (
              <Stack direction={{ xs: 'column', lg: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
                <Card sx={{ p: 2, flex: 3, minWidth: 0, width: '100%' }}>
                  <Stack
                    direction="row"
                    spacing={1}
                    useFlexGap
                    sx={{ flexWrap: 'wrap', alignItems: 'center', mb: 1.5 }}
                  >
                    {(['all', 'uncaptioned', 'problems'] as const).map((f) => (
                      <Chip
                        key={f}
                        label={t(`grid.filters.${f}`)}
                        color={filter === f ? 'primary' : 'default'}
                        variant={filter === f ? 'filled' : 'outlined'}
                        onClick={() => {
                          setFilter(f);
                        }}
                      />
                    ))}
                    <TextField
                      size="small"
                      label={t('grid.tagContains')}
                      value={tagFilter}
                      onChange={(e) => {
                        setTagFilter(e.target.value);
                      }}
                      sx={{ minWidth: 180 }}
                    />
                    <Typography variant="body2" color="text.secondary">
                      {t('grid.count', { shown: shown.length, total: images.length })}
                    </Typography>
                  </Stack>
                  <ImageGrid
                    images={shown}
                    selected={selected}
                    onSelect={(relPath) => {
                      useDatasetStore.getState().select(relPath);
                    }}
                  />
                </Card>
                <Stack spacing={2} sx={{ flex: 2, minWidth: 0, width: '100%' }}>
                  <Card sx={{ p: 2 }}>
                    <CaptionEditor image={selectedImage} />
                  </Card>
                  <TagTable />
                </Stack>
              </Stack>
            )}
            {tab === 'tagging' && <TaggerPanel />}
          </>
        )}
      </Stack>
      <Box>
        <PrepareDialog
          open={prepareOpen}
          onClose={() => {
            setPrepareOpen(false);
          }}
        />
      </Box>
    </PageRoot>
  );
}
