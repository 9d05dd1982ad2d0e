import SearchOutlined from '@mui/icons-material/SearchOutlined';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import InputAdornment from '@mui/material/InputAdornment';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ModelMetadata } from '@danlu/contracts';

import { api } from '../../bridge/api.js';
import { monoFontFamily } from '../../theme/theme.js';
import { filterMetadata, keyFields } from './metadataFields.js';

function useMetadata(runId: string, file: string): ModelMetadata | null | undefined {
  const key = `${runId}\u0000${file}`;
  const [loaded, setLoaded] = useState<{ key: string; meta: ModelMetadata | null } | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void api.call('runs.modelMetadata', { id: runId, file }).then((r) => {
      if (live) setLoaded({ key, meta: r.ok ? r.data : null });
    });
    return () => {
      live = false;
    };
  }, [runId, file, key]);
  return loaded !== undefined && loaded.key === key ? loaded.meta : undefined;
}

const mono = { fontFamily: monoFontFamily, fontSize: '0.8125rem' };

export function MetadataViewer({ runId, file }: { runId: string; file: string }) {
  const { t } = useTranslation('outputs');
  const meta = useMetadata(runId, file);
  const [query, setQuery] = useState('');
  const fields = useMemo(() => (meta ? keyFields(meta.metadata) : []), [meta]);
  const rows = useMemo(() => (meta ? filterMetadata(meta.metadata, query) : []), [meta, query]);
  if (meta === undefined) {
    return (
      <Card sx={{ p: 2.5 }}>
        <Skeleton width="40%" />
        <Skeleton />
        <Skeleton />
      </Card>
    );
  }
  if (meta === null || Object.keys(meta.metadata).length === 0) {
    return (
      <Card sx={{ p: 2.5 }}>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('metadata.none')}
        </Typography>
      </Card>
    );
  }
  return (
    <Card sx={{ p: 2.5 }} data-testid="model-metadata">
      <Typography variant="h5" component="h2" sx={{ mb: 1.5 }}>
        {t('metadata.title')}
      </Typography>
      <Box
        data-testid="metadata-key-fields"
        sx={{
          display: 'grid',
          gap: 1.5,
          gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))',
          mb: 2,
        }}
      >
        {fields.map((field) => {
          const label = t(`metadata.fields.${field.id}`);
          return (
            <Box key={field.id} sx={{ minWidth: 0 }}>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                {field.id === 'dimAlpha' ? (
                  <Tooltip title={t('metadata.terms.dimAlpha')}>
                    <Box
                      component="span"
                      tabIndex={0}
                      sx={{ textDecoration: 'underline dotted', cursor: 'help' }}
                    >
                      {label}
                    </Box>
                  </Tooltip>
                ) : (
                  label
                )}
              </Typography>
              <Typography variant="body2" noWrap title={field.value} sx={{ fontWeight: 600 }}>
                {field.value}
              </Typography>
            </Box>
          );
        })}
      </Box>
      {meta.tagFrequency.length > 0 && (
        <Box sx={{ mb: 2 }}>
          <Tooltip title={t('metadata.terms.tags')}>
            <Typography
              variant="subtitle2"
              sx={{ mb: 0.5, display: 'inline-block', textDecoration: 'underline dotted', cursor: 'help' }}
              tabIndex={0}
            >
              {t('metadata.tags')}
            </Typography>
          </Tooltip>
          <Box sx={{ maxHeight: 220, overflow: 'auto' }}>
            <Table size="small" stickyHeader data-testid="metadata-tags">
              <TableHead>
                <TableRow>
                  <TableCell>{t('metadata.tag')}</TableCell>
                  <TableCell align="right">{t('metadata.count')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {meta.tagFrequency.slice(0, 200).map((tag) => (
                  <TableRow key={tag.tag}>
                    <TableCell sx={{ ...mono, wordBreak: 'break-word' }} translate="no">
                      {tag.tag}
                    </TableCell>
                    <TableCell align="right" sx={mono}>
                      {tag.count}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        </Box>
      )}
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="subtitle2" sx={{ flex: 1 }}>
          {t('metadata.all')}
        </Typography>
        <TextField
          size="small"
          value={query}
          placeholder={t('metadata.search')}
          onChange={(event) => {
            setQuery(event.target.value);
          }}
          sx={{ width: 220 }}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchOutlined fontSize="small" />
                </InputAdornment>
              ),
            },
            htmlInput: {
              'aria-label': t('metadata.search'),
              'data-testid': 'metadata-search',
              spellCheck: false,
            },
          }}
        />
      </Stack>
      <Box sx={{ maxHeight: 360, overflow: 'auto' }}>
        <Table size="small" data-testid="metadata-all">
          <TableBody>
            {rows.map(([key, value]) => (
              <TableRow key={key}>
                <TableCell
                  sx={{ ...mono, width: '38%', verticalAlign: 'top', wordBreak: 'break-all' }}
                  translate="no"
                >
                  {key}
                </TableCell>
                <TableCell sx={{ ...mono, wordBreak: 'break-word', whiteSpace: 'pre-wrap' }} translate="no">
                  {value.length > 600 ? `${value.slice(0, 600)}…` : value}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Card>
  );
}
