import type { RunState } from '@danlu/contracts';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

const stateColors: Record<RunState, 'default' | 'primary' | 'success' | 'error' | 'warning' | 'info'> = {
  queued: 'default',
  starting: 'info',
  running: 'primary',
  stopping: 'warning',
  completed: 'success',
  failed: 'error',
  stopped: 'default',
  interrupted: 'warning',
};

export function StateChip({ state }: { state: RunState }) {
  const { t } = useTranslation('runs');
  return (
    <Chip
      size="small"
      data-testid="run-state"
      data-state={state}
      color={stateColors[state]}
      variant={state === 'running' || state === 'failed' || state === 'completed' ? 'filled' : 'outlined'}
      label={t(`states.${state}`)}
      sx={{ flex: 'none', fontWeight: 600 }}
    />
  );
}

export type TermKey =
  | 'step'
  | 'epoch'
  | 'rate'
  | 'loss'
  | 'smoothed'
  | 'average'
  | 'epochAverage'
  | 'lr'
  | 'eta'
  | 'elapsed'
  | 'phase';

/** A term with its explanation on hover (dotted underline, as on the Expert page). */
export function Term({ term, children }: { term: TermKey; children: ReactNode }) {
  const { t } = useTranslation('runs');
  return (
    <Tooltip title={t(`terms.${term}`)} enterDelay={250}>
      <Box
        component="span"
        tabIndex={0}
        sx={{ textDecoration: 'underline dotted', textUnderlineOffset: 3, cursor: 'help' }}
      >
        {children}
      </Box>
    </Tooltip>
  );
}

/** A finished run cannot be stopped; one waiting, starting or training can. */
export function canStop(state: RunState): boolean {
  return state === 'queued' || state === 'starting' || state === 'running';
}
