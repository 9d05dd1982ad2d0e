import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { runAction, showNewRun } from '../runs/runActions.js';

/** 导入现场: a path typed or pasted (the browser cannot hand a server-side path to a file picker). */
export function ImportSceneDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('outputs');
  const [file, setFile] = useState('');
  return (
    <Dialog open={open} onClose={onClose} maxWidth="sm" fullWidth>
      <DialogTitle>{t('scene.importTitle')}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
          {t('scene.exportHint')}
        </Typography>
        <TextField
          fullWidth
          size="small"
          label={t('scene.importPath')}
          value={file}
          onChange={(event) => {
            setFile(event.target.value);
          }}
          slotProps={{ htmlInput: { 'data-testid': 'scene-import-path', spellCheck: false } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('scene.cancel')}</Button>
        <Button
          variant="contained"
          data-testid="scene-import-confirm"
          disabled={file.trim() === ''}
          onClick={() => {
            onClose();
            void runAction('runs.importScene', { file: file.trim() }, t('scene.imported')).then((run) => {
              if (run) void showNewRun(run.id);
            });
          }}
        >
          {t('scene.importConfirm')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
