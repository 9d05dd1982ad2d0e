import type { SampleImage } from '@danlu/contracts';
import ChevronLeft from '@mui/icons-material/ChevronLeft';
import ChevronRight from '@mui/icons-material/ChevronRight';
import Close from '@mui/icons-material/Close';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Card from '@mui/material/Card';
import Dialog from '@mui/material/Dialog';
import IconButton from '@mui/material/IconButton';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { sampleGrid, type SampleRow } from './sampleGrid.js';
import { useRunImage } from './useRunImage.js';

const thumbSize = 112;

export function Thumb({ runId, sample, onOpen }: { runId: string; sample: SampleImage; onOpen: () => void }) {
  const { t } = useTranslation('runs');
  const url = useRunImage(runId, sample.file, 'thumb');
  return (
    <Tooltip title={sample.prompt ?? sample.file}>
      <ButtonBase
        data-testid="sample-thumb"
        onClick={onOpen}
        sx={{
          width: thumbSize,
          height: thumbSize,
          borderRadius: 1.5,
          overflow: 'hidden',
          bgcolor: 'action.hover',
        }}
      >
        {url === undefined ? (
          <Skeleton variant="rectangular" width={thumbSize} height={thumbSize} />
        ) : url === null ? (
          <Typography variant="caption" sx={{ color: 'text.secondary', p: 1 }}>
            {t('samples.loadFailed')}
          </Typography>
        ) : (
          <Box
            component="img"
            src={url}
            alt={sample.prompt ?? sample.file}
            sx={{ width: '100%', height: '100%', objectFit: 'cover' }}
          />
        )}
      </ButtonBase>
    </Tooltip>
  );
}

function RowLabel({ row }: { row: SampleRow }) {
  const { t } = useTranslation('runs');
  const text =
    row.kind === 'epoch'
      ? t('samples.rowEpoch', { n: row.value })
      : row.kind === 'step'
        ? t('samples.rowStep', { n: row.value })
        : t('samples.rowStart');
  return (
    <Typography variant="body2" sx={{ fontWeight: 600 }}>
      {text}
    </Typography>
  );
}

export function SampleViewer({
  runId,
  samples,
  index,
  onIndex,
}: {
  runId: string;
  samples: readonly SampleImage[];
  index: number | null;
  onIndex: (index: number | null) => void;
}) {
  const { t } = useTranslation('runs');
  const sample = index === null ? undefined : samples[index];
  const url = useRunImage(runId, sample?.file, 'full');
  const go = (delta: number) => {
    if (index === null || samples.length === 0) return;
    onIndex((index + delta + samples.length) % samples.length);
  };
  return (
    <Dialog
      open={sample !== undefined}
      onClose={() => {
        onIndex(null);
      }}
      maxWidth="lg"
      aria-label={t('samples.viewer')}
      onKeyDown={(event) => {
        if (event.key === 'ArrowLeft') go(-1);
        if (event.key === 'ArrowRight') go(1);
      }}
    >
      <Stack sx={{ p: 1.5 }} spacing={1} data-testid="sample-viewer">
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <IconButton
            aria-label={t('samples.previous')}
            onClick={() => {
              go(-1);
            }}
          >
            <ChevronLeft />
          </IconButton>
          <Typography variant="body2" sx={{ flex: 1, minWidth: 0 }} noWrap title={sample?.prompt ?? ''}>
            {sample?.prompt ?? sample?.file}
          </Typography>
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            {index === null ? '' : `${String(index + 1)} / ${String(samples.length)}`}
          </Typography>
          <IconButton
            aria-label={t('samples.next')}
            onClick={() => {
              go(1);
            }}
          >
            <ChevronRight />
          </IconButton>
          <IconButton
            aria-label={t('samples.close')}
            onClick={() => {
              onIndex(null);
            }}
          >
            <Close />
          </IconButton>
        </Stack>
        <Box sx={{ minWidth: 320, minHeight: 320, display: 'grid', placeItems: 'center' }}>
          {url ? (
            <Box
              component="img"
              src={url}
              alt={sample?.prompt ?? ''}
              sx={{ maxWidth: '100%', maxHeight: '78vh', display: 'block' }}
            />
          ) : url === null ? (
            <Typography>{t('samples.loadFailed')}</Typography>
          ) : (
            <Skeleton variant="rectangular" width={512} height={512} />
          )}
        </Box>
      </Stack>
    </Dialog>
  );
}

/** Rows = epochs (or steps), columns = prompts; the cells fill in as the engine writes images. */
export function SampleGrid({
  runId,
  samples,
  prompts,
}: {
  runId: string;
  samples: readonly SampleImage[];
  prompts: readonly string[];
}) {
  const { t } = useTranslation('runs');
  const grid = useMemo(() => sampleGrid(samples), [samples]);
  const ordered = useMemo(
    () => grid.rows.flatMap((row) => row.cells.filter((c): c is SampleImage => c !== undefined)),
    [grid],
  );
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Card sx={{ p: 2.5 }} data-testid="run-samples">
      <Typography variant="h5" component="h2" sx={{ mb: 1.5 }}>
        {t('samples.title')}
      </Typography>
      {grid.rows.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('samples.none')}
        </Typography>
      ) : (
        <Box sx={{ overflowX: 'auto', pb: 0.5 }}>
          <Box
            sx={{
              display: 'grid',
              gridTemplateColumns: `96px repeat(${String(grid.columns)}, ${String(thumbSize)}px)`,
              gap: 1,
              alignItems: 'center',
              width: 'max-content',
            }}
          >
            <Box />
            {Array.from({ length: grid.columns }, (_, i) => (
              <Typography
                key={i}
                variant="caption"
                noWrap
                sx={{ color: 'text.secondary', width: thumbSize }}
                title={prompts[i] ?? ''}
              >
                {t('samples.prompt', { n: i + 1 })}
              </Typography>
            ))}
            {grid.rows.map((row) => (
              <Box key={row.key} sx={{ display: 'contents' }}>
                <RowLabel row={row} />
                {row.cells.map((cell, i) =>
                  cell ? (
                    <Thumb
                      key={cell.file}
                      runId={runId}
                      sample={cell}
                      onOpen={() => {
                        setOpen(ordered.indexOf(cell));
                      }}
                    />
                  ) : (
                    <Box
                      key={`gap-${String(i)}`}
                      sx={{
                        width: thumbSize,
                        height: thumbSize,
                        borderRadius: 1.5,
                        border: 1,
                        borderStyle: 'dashed',
                        borderColor: 'divider',
                      }}
                    />
                  ),
                )}
              </Box>
            ))}
          </Box>
        </Box>
      )}
      <SampleViewer runId={runId} samples={ordered} index={open} onIndex={setOpen} />
    </Card>
  );
}
