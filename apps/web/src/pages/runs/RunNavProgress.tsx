import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { activeRun, progressFraction } from '../../stores/runsReducers.js';
import { useRunsStore } from '../../stores/runsStore.js';

/** The sidebar's 训练任务 entry while a run trains: a thin bar and the percentage, or a ring when collapsed. */
export function RunNavProgress({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation('runs');
  const run = useRunsStore((state) => activeRun(state.runs));
  if (!run) return null;
  const fraction = progressFraction(run);
  const percent = Math.round((fraction ?? 0) * 100);
  const label = t('sidebar.progress', { percent });
  if (collapsed) {
    return (
      <CircularProgress
        data-testid="nav-run-progress"
        aria-label={label}
        variant={fraction === null ? 'indeterminate' : 'determinate'}
        value={percent}
        size={34}
        thickness={2.5}
        sx={{
          position: 'absolute',
          left: '50%',
          top: '50%',
          ml: '-17px',
          mt: '-17px',
          pointerEvents: 'none',
        }}
      />
    );
  }
  return (
    <Box
      data-testid="nav-run-progress"
      aria-label={label}
      sx={{ position: 'absolute', left: 48, right: 12, bottom: 3 }}
    >
      <LinearProgress
        variant={fraction === null ? 'indeterminate' : 'determinate'}
        value={percent}
        sx={{ height: 3, borderRadius: 2 }}
      />
      <Typography
        component="span"
        sx={{
          position: 'absolute',
          right: 0,
          bottom: 6,
          fontSize: '0.6875rem',
          color: 'primary.main',
          fontWeight: 600,
        }}
      >
        {percent}%
      </Typography>
    </Box>
  );
}
