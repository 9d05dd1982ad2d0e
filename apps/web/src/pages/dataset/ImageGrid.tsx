import BrokenImageOutlined from '@mui/icons-material/BrokenImageOutlined';
import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ImageRow } from '../../stores/datasetStore.js';
import { useThumbnail } from './useThumbnail.js';

const cellWidth = 168;
const cellHeight = 236;
const gap = 12;

function Cell({
  image,
  width,
  selected,
  onSelect,
}: {
  image: ImageRow;
  width: number;
  selected: boolean;
  onSelect: () => void;
}) {
  const { t } = useTranslation('dataset');
  const thumb = useThumbnail(image.problem ? undefined : image.path, image.mtimeMs, 256);
  const caption = image.caption?.text.split('\n')[0] ?? '';
  return (
    <Box
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      data-testid="dataset-cell"
      data-relpath={image.relPath}
      onClick={onSelect}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') onSelect();
      }}
      sx={{
        width,
        height: cellHeight - gap,
        borderRadius: 1.5,
        border: 2,
        borderColor: selected ? 'primary.main' : 'divider',
        overflow: 'hidden',
        cursor: 'pointer',
        display: 'flex',
        flexDirection: 'column',
        bgcolor: 'background.paper',
      }}
    >
      <Box
        sx={{
          height: 150,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          bgcolor: 'action.hover',
        }}
      >
        {image.problem || thumb === 'failed' ? (
          <BrokenImageOutlined color="disabled" aria-label={t('grid.broken')} />
        ) : thumb ? (
          <Box
            component="img"
            src={thumb.dataUrl}
            alt={image.relPath}
            sx={{ maxWidth: '100%', maxHeight: 150 }}
          />
        ) : (
          <Skeleton variant="rectangular" width="100%" height={150} />
        )}
      </Box>
      <Box sx={{ p: 0.75, minHeight: 0, flex: 1 }}>
        <Typography variant="caption" component="div" noWrap title={image.relPath} sx={{ fontWeight: 600 }}>
          {image.relPath.split('/').at(-1)}
        </Typography>
        <Typography
          variant="caption"
          component="div"
          color={caption ? 'text.secondary' : 'warning.main'}
          sx={{ overflow: 'hidden', lineHeight: 1.3, maxHeight: '3.9em', wordBreak: 'break-word' }}
        >
          {caption || t('grid.noCaption')}
        </Typography>
      </Box>
    </Box>
  );
}

/** The images as a virtualised grid of thumbnails, each with its caption under it. */
export function ImageGrid({
  images,
  selected,
  onSelect,
}: {
  images: ImageRow[];
  selected: string | undefined;
  onSelect: (relPath: string) => void;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const [layout, setLayout] = useState({ columns: 4, width: cellWidth - gap });
  useEffect(() => {
    const element = parentRef.current;
    if (!element) return;
    // as many columns as fit, then the cells widen to fill the row
    const measure = () => {
      const columns = Math.max(1, Math.floor((element.clientWidth + gap) / cellWidth));
      setLayout({ columns, width: Math.floor((element.clientWidth - gap * (columns - 1)) / columns) });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, []);
  const { columns, width } = layout;
  const rows = Math.ceil(images.length / columns);
  // TanStack Virtual returns fresh functions each render by design; this component is not memoised anyway
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => parentRef.current,
    estimateSize: () => cellHeight,
    overscan: 3,
  });
  return (
    <Box
      ref={parentRef}
      sx={{ height: 520, overflowY: 'auto', overflowX: 'hidden' }}
      data-testid="dataset-grid"
    >
      <Box sx={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {virtualizer.getVirtualItems().map((row) => (
          <Box
            key={row.key}
            sx={{
              position: 'absolute',
              top: 0,
              left: 0,
              width: '100%',
              height: cellHeight,
              display: 'flex',
              gap: `${String(gap)}px`,
            }}
            style={{ transform: `translateY(${String(row.start)}px)` }}
          >
            {images.slice(row.index * columns, row.index * columns + columns).map((image) => (
              <Cell
                key={image.relPath}
                image={image}
                width={width}
                selected={image.relPath === selected}
                onSelect={() => {
                  onSelect(image.relPath);
                }}
              />
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
