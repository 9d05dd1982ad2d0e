import SaveOutlined from '@mui/icons-material/SaveOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useDatasetStore, type ImageRow } from '../../stores/datasetStore.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { Term } from './Term.js';
import { useThumbnail } from './useThumbnail.js';

/** One image, larger, with its caption to edit (saved atomically; the old text kept as a backup). */
export function CaptionEditor({ image }: { image: ImageRow | undefined }) {
  const { t } = useTranslation('dataset');
  if (!image)
    return (
      <Typography color="text.secondary" sx={{ p: 2 }}>
        {t('editor.pick')}
      </Typography>
    );
  // a new image (or a caption changed elsewhere) starts a fresh form
  const original = image.caption?.text ?? '';
  return <CaptionForm key={`${image.relPath}\n${original}`} image={image} original={original} />;
}

function CaptionForm({ image, original }: { image: ImageRow; original: string }) {
  const { t } = useTranslation('dataset');
  const [text, setText] = useState(original);
  const [saving, setSaving] = useState(false);
  const thumb = useThumbnail(image.problem ? undefined : image.path, image.mtimeMs, 512);
  const save = async () => {
    setSaving(true);
    const result = await useDatasetStore.getState().saveCaption(image, text.trim());
    setSaving(false);
    if (result.ok) useFeedbackStore.getState().show({ kind: 'success', text: t('editor.saved') });
    else
      useFeedbackStore.getState().show({ kind: 'error', text: t('editor.saveFailed'), error: result.error });
  };
  return (
    <Stack spacing={1.5} data-testid="dataset-editor">
      <Box
        sx={{
          display: 'flex',
          justifyContent: 'center',
          bgcolor: 'action.hover',
          borderRadius: 1,
          minHeight: 200,
        }}
      >
        {thumb && thumb !== 'failed' && (
          <Box
            component="img"
            src={thumb.dataUrl}
            alt={image.relPath}
            sx={{ maxWidth: '100%', maxHeight: 320 }}
          />
        )}
      </Box>
      <Typography variant="body2" sx={{ wordBreak: 'break-all', fontWeight: 600 }}>
        {image.relPath}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        {image.width !== undefined && image.height !== undefined
          ? `${String(image.width)}×${String(image.height)} · `
          : ''}
        {image.caption ? image.caption.path.split(/[\\/]/).at(-1) : t('editor.newFile')}
      </Typography>
      <TextField
        label={<Term id="caption" />}
        multiline
        minRows={4}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
        }}
        slotProps={{ htmlInput: { 'data-testid': 'dataset-caption-input', spellCheck: false } }}
        helperText={t('editor.help')}
      />
      <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
        <Button
          onClick={() => {
            setText(original);
          }}
          disabled={text === original}
        >
          {t('editor.revert')}
        </Button>
        <Button
          variant="contained"
          startIcon={<SaveOutlined />}
          disabled={saving || text.trim() === original.trim()}
          onClick={() => {
            void save();
          }}
          data-testid="dataset-caption-save"
        >
          {t('editor.save')}
        </Button>
      </Stack>
    </Stack>
  );
}
