import FolderOpenOutlined from '@mui/icons-material/FolderOpenOutlined';
import RefreshOutlined from '@mui/icons-material/RefreshOutlined';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import CircularProgress from '@mui/material/CircularProgress';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useTranslation } from 'react-i18next';

import { useDatasetStore } from '../../stores/datasetStore.js';
import { Term } from './Term.js';

const resolutions = [512, 768, 1024] as const;

/** The folder to work on and the few settings every check depends on. */
export function FolderBar() {
  const { t } = useTranslation('dataset');
  const dir = useDatasetStore((s) => s.dir);
  const options = useDatasetStore((s) => s.options);
  const scanning = useDatasetStore((s) => s.scanning);
  const scanned = useDatasetStore((s) => s.scan !== undefined);
  const { setDir, setOptions, open } = useDatasetStore.getState();
  const start = () => {
    if (dir.trim() !== '') void open(true);
  };
  return (
    <Stack spacing={1.5}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={1.5} sx={{ alignItems: { md: 'center' } }}>
        <TextField
          label={t('folder.label')}
          placeholder={t('folder.placeholder')}
          value={dir}
          size="small"
          fullWidth
          onChange={(e) => {
            setDir(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') start();
          }}
          slotProps={{ htmlInput: { 'data-testid': 'dataset-folder', spellCheck: false } }}
          helperText={t('folder.help')}
        />
        <Button
          variant="contained"
          onClick={start}
          disabled={scanning || dir.trim() === ''}
          startIcon={
            scanning ? <CircularProgress size={16} /> : scanned ? <RefreshOutlined /> : <FolderOpenOutlined />
          }
          sx={{ flexShrink: 0, alignSelf: { md: 'flex-start' }, mt: { md: 0.25 } }}
          data-testid="dataset-scan"
        >
          {scanned ? t('folder.rescan') : t('folder.scan')}
        </Button>
      </Stack>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
        <TextField
          select
          size="small"
          label={<Term id="resolution" />}
          value={options.resolution}
          sx={{ minWidth: 150 }}
          onChange={(e) => {
            setOptions({ resolution: Number(e.target.value) });
            if (scanned) void useDatasetStore.getState().open();
          }}
        >
          {resolutions.map((r) => (
            <MenuItem key={r} value={r}>
              {t('folder.resolutionValue', { size: r, model: r === 1024 ? 'SDXL' : 'SD 1.5' })}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          label={<Term id="trigger" />}
          placeholder={t('folder.triggerPlaceholder')}
          value={options.triggerWord}
          sx={{ minWidth: 200 }}
          onChange={(e) => {
            setOptions({ triggerWord: e.target.value });
          }}
          onBlur={() => {
            if (scanned) void useDatasetStore.getState().loadChecks();
          }}
          slotProps={{ htmlInput: { 'data-testid': 'dataset-trigger' } }}
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={options.deep}
              onChange={(e) => {
                setOptions({ deep: e.target.checked });
              }}
            />
          }
          label={<Term id="deep" />}
        />
      </Stack>
    </Stack>
  );
}
