import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import SearchOutlined from '@mui/icons-material/SearchOutlined';
import VerticalAlignBottom from '@mui/icons-material/VerticalAlignBottom';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api } from '../../bridge/api.js';
import { copyText } from '../../lib/clipboard.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { useRunsStore } from '../../stores/runsStore.js';
import { monoFontFamily } from '../../theme/theme.js';

const rowHeight = 20;

interface Found {
  lines: string[];
  numbers: number[];
}

/** Server-side search over the whole log (not only the lines in memory). */
function useLogSearch(runId: string, query: string, totalLines: number): Found | null {
  const [found, setFound] = useState<{ query: string; found: Found } | null>(null);
  // Re-run the search when the log grew, at most every few hundred lines, not on every update.
  const bucket = Math.floor(totalLines / 200);
  useEffect(() => {
    if (query.trim() === '') return;
    let live = true;
    const timer = setTimeout(() => {
      void api.call('runs.log', { id: runId, search: query, from: 0, limit: 20_000 }).then((result) => {
        if (!live || !result.ok) return;
        const first = result.data.first;
        setFound({
          query,
          found: {
            lines: result.data.lines,
            numbers: result.data.lineNumbers ?? result.data.lines.map((_, i) => first + i),
          },
        });
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [runId, query, bucket]);
  return query.trim() !== '' && found?.query === query ? found.found : null;
}

export function LogPanel({ runId }: { runId: string }) {
  const { t } = useTranslation('runs');
  const log = useRunsStore((state) => state.log);
  const loadingOlder = useRunsStore((state) => state.loadingOlderLog);
  const loadOlder = useRunsStore((state) => state.loadOlderLog);
  const show = useFeedbackStore((state) => state.show);
  const [query, setQuery] = useState('');
  const found = useLogSearch(runId, useDeferredValue(query), log.total);
  const lines = found ? found.lines : log.lines;
  const numberOf = (i: number) => (found ? (found.numbers[i] ?? 0) : log.first + i);
  const scroller = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  // TanStack Virtual returns fresh functions each render by design; this panel is not memoised anyway.
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 20,
  });

  // Follow the tail while the user has not scrolled up.
  useLayoutEffect(() => {
    if (follow && !found && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [follow, found, lines.length, virtualizer]);

  // When older lines were put in front, keep the same lines in view.
  const firstBefore = useRef(log.first);
  useLayoutEffect(() => {
    const added = firstBefore.current - log.first;
    firstBefore.current = log.first;
    if (added > 0 && scroller.current) scroller.current.scrollTop += added * rowHeight;
  }, [log.first]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < rowHeight * 2;
    setFollow(atBottom);
    if (!found && el.scrollTop < rowHeight * 5 && log.first > 0) void loadOlder();
  };

  const numberWidth = String(Math.max(log.total, 1)).length + 1;
  return (
    <Card sx={{ p: 2.5 }} data-testid="run-log">
      <Stack
        direction="row"
        spacing={1.5}
        sx={{ alignItems: 'center', mb: 1.5, flexWrap: 'wrap', rowGap: 1 }}
      >
        <Typography variant="h5" component="h2">
          {t('log.title')}
        </Typography>
        <Typography variant="caption" sx={{ color: 'text.secondary', flex: 1 }}>
          {found ? t('log.matches', { n: found.lines.length }) : t('log.lines', { n: log.total })}
          {loadingOlder ? ` · ${t('log.older')}` : ''}
        </Typography>
        <TextField
          size="small"
          value={query}
          placeholder={t('log.search')}
          onChange={(event) => {
            setQuery(event.target.value);
          }}
          sx={{ width: 240 }}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchOutlined fontSize="small" />
                </InputAdornment>
              ),
            },
            htmlInput: { 'aria-label': t('log.search'), 'data-testid': 'log-search', spellCheck: false },
          }}
        />
        <Button
          size="small"
          startIcon={<ContentCopyOutlined fontSize="small" />}
          data-testid="log-copy"
          onClick={() => {
            void copyText(lines.join('\n')).then((ok) => {
              show(
                ok
                  ? { kind: 'success', text: t('log.copied', { n: lines.length }) }
                  : { kind: 'warning', text: t('actionFailed') },
              );
            });
          }}
        >
          {t('log.copy')}
        </Button>
        <Button
          size="small"
          startIcon={<VerticalAlignBottom fontSize="small" />}
          disabled={follow || found !== null}
          onClick={() => {
            setFollow(true);
          }}
        >
          {t('log.follow')}
        </Button>
      </Stack>
      <Box
        ref={scroller}
        onScroll={onScroll}
        data-testid="log-lines"
        translate="no"
        sx={{
          height: 320,
          overflow: 'auto',
          borderRadius: 1.5,
          bgcolor: (theme) => (theme.palette.mode === 'dark' ? 'rgba(0,0,0,0.35)' : 'rgba(15,23,42,0.04)'),
          fontFamily: monoFontFamily,
          fontSize: '0.78rem',
        }}
      >
        {lines.length === 0 ? (
          <Typography variant="body2" sx={{ color: 'text.secondary', p: 1.5 }}>
            {t('log.empty')}
          </Typography>
        ) : (
          <Box
            sx={{
              height: virtualizer.getTotalSize(),
              position: 'relative',
              minWidth: '100%',
              width: 'max-content',
            }}
          >
            {virtualizer.getVirtualItems().map((item) => (
              <Box
                key={item.key}
                data-testid="log-line"
                sx={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  transform: `translateY(${String(item.start)}px)`,
                  height: rowHeight,
                  lineHeight: `${String(rowHeight)}px`,
                  whiteSpace: 'pre',
                  px: 1,
                }}
              >
                <Box
                  component="span"
                  sx={{
                    color: 'text.disabled',
                    display: 'inline-block',
                    width: `${String(numberWidth)}ch`,
                    userSelect: 'none',
                  }}
                >
                  {numberOf(item.index) + 1}
                </Box>{' '}
                {lines[item.index]}
              </Box>
            ))}
          </Box>
        )}
      </Box>
    </Card>
  );
}
