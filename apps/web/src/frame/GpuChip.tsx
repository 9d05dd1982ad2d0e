import FiberManualRecord from '@mui/icons-material/FiberManualRecord';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { useTranslation } from 'react-i18next';

import { primaryGpu, shortGpuName, vramGb } from '../lib/gpu.js';
import { selectGpuError, selectGpuLoading, selectGpuReport, useGpuStore } from '../stores/gpuStore.js';
import { selectNavigate, useNavigationStore } from '../stores/navigationStore.js';

/** The always-visible GPU status; a click opens the Environment page with the full report. */
export function GpuChip() {
  const { t } = useTranslation();
  const report = useGpuStore(selectGpuReport);
  const loading = useGpuStore(selectGpuLoading);
  const error = useGpuStore(selectGpuError);
  const navigate = useNavigationStore(selectNavigate);
  const gpu = primaryGpu(report);

  let label: string;
  let tone: 'success' | 'warning' | 'default';
  if (gpu) {
    label = `${t('gpu.label')} · ${shortGpuName(gpu.name)} · ${t('gpu.vram', { gb: vramGb(gpu.memoryTotalMiB) })}`;
    tone = 'success';
  } else if (!report && (loading || !error)) {
    label = `${t('gpu.label')} · ${t('gpu.checking')}`;
    tone = 'default';
  } else if (!report || report.error !== undefined) {
    label = `${t('gpu.label')} · ${t('gpu.failed')}`;
    tone = 'warning';
  } else {
    label = t('gpu.none');
    tone = 'warning';
  }

  return (
    <Tooltip title={t('gpu.tooltip')}>
      <Chip
        data-testid="gpu-chip"
        variant="outlined"
        clickable
        onClick={() => {
          navigate('environment');
        }}
        icon={<FiberManualRecord sx={{ fontSize: '10px !important' }} />}
        label={label}
        sx={{
          height: 34,
          borderRadius: 2,
          maxWidth: 300,
          '& .MuiChip-icon': {
            color:
              tone === 'success' ? 'success.main' : tone === 'warning' ? 'warning.main' : 'text.disabled',
            ml: 1.25,
          },
          ...(tone === 'warning' ? { borderColor: 'warning.main', color: 'warning.main' } : {}),
        }}
      />
    </Tooltip>
  );
}
