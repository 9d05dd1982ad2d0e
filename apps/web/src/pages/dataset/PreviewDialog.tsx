import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useDatasetStore } from '../../stores/datasetStore.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';

const shown = 200;

/** Tags as chips: removed ones struck through in red, added ones green. */
function Diff({ before, after }: { before: string | null; after: string }) {
  const split = (s: string | null) =>
    (s ?? '')
      .split('\n')[0]
      ?.split(',')
      .map((x) => x.trim())
      .filter(Boolean) ?? [];
  const old = split(before);
  const now = split(after);
  const key = (s: string) => s.toLowerCase().replace(/_/g, ' ');
  const oldKeys = new Set(old.map(key));
  const newKeys = new Set(now.map(key));
  return (
    <Box sx={{ lineHeight: 1.9 }}>
      {now.map((tag, i) => (
        <Box
          component="span"
          key={`n${String(i)}`}
          sx={{
            mr: 0.75,
            px: 0.5,
            borderRadius: 0.5,
            bgcolor: oldKeys.has(key(tag)) ? undefined : 'success.main',
            color: oldKeys.has(key(tag)) ? 'text.primary' : 'success.contrastText',
          }}
        >
          {tag}
        </Box>
      ))}
      {old
        .filter((tag) => !newKeys.has(key(tag)))
        .map((tag, i) => (
          <Box
            component="del"
            key={`o${String(i)}`}
            sx={{ mr: 0.75, px: 0.5, borderRadius: 0.5, bgcolor: 'error.main', color: 'error.contrastText' }}
          >
            {tag}
          </Box>
        ))}
    </Box>
  );
}

/** What a batch action will change, before anything is written; applying keeps a backup for undo. */
export function PreviewDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('dataset');
  const preview = useDatasetStore((s) => s.pendingPreview);
  const [busy, setBusy] = useState(false);
  if (!preview) return null;
  const apply = async () => {
    setBusy(true);
    const result = await useDatasetStore.getState().apply(preview.previewId);
    setBusy(false);
    onClose();
    const feedback = useFeedbackStore.getState();
    if (!result.ok) feedback.show({ kind: 'error', text: t('preview.failed'), error: result.error });
    else if (result.data.conflicts.length > 0 || result.data.failed.length > 0)
      feedback.show({
        kind: 'warning',
        text: t('preview.partly', {
          written: result.data.written,
          skipped: result.data.conflicts.length + result.data.failed.length,
        }),
        detail: [...result.data.conflicts, ...result.data.failed.map((f) => f.file)].join('\n'),
      });
    else feedback.show({ kind: 'success', text: t('preview.applied', { count: result.data.written }) });
  };
  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth aria-labelledby="dataset-preview-title">
      <DialogTitle id="dataset-preview-title">
        {t('preview.title', { count: preview.changes.length })}
      </DialogTitle>
      <DialogContent dividers data-testid="dataset-preview">
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
          {t('preview.summary', { changed: preview.changes.length, unchanged: preview.unchanged })}
        </Typography>
        <Stack spacing={1.25}>
          {preview.changes.slice(0, shown).map((change) => (
            <Box key={change.file}>
              <Typography variant="caption" sx={{ fontWeight: 600, wordBreak: 'break-all' }}>
                {change.relPath}
              </Typography>
              <Diff before={change.before} after={change.after} />
            </Box>
          ))}
          {preview.changes.length > shown && (
            <Typography variant="caption">
              {t('preview.more', { count: preview.changes.length - shown })}
            </Typography>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Typography variant="caption" color="text.secondary" sx={{ flex: 1, pl: 2 }}>
          {t('preview.backupNote')}
        </Typography>
        <Button onClick={onClose}>{t('preview.cancel')}</Button>
        <Button
          variant="contained"
          disabled={busy || preview.changes.length === 0}
          onClick={() => {
            void apply();
          }}
          data-testid="dataset-preview-apply"
        >
          {t('preview.apply', { count: preview.changes.length })}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
