import type { RunSummary } from '@danlu/contracts';
import ArrowDownward from '@mui/icons-material/ArrowDownward';
import ArrowUpward from '@mui/icons-material/ArrowUpward';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import EditOutlined from '@mui/icons-material/EditOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { TrainingConfig } from '@danlu/params';

import { api } from '../../bridge/api.js';
import { useExpertStore } from '../../stores/expertStore.js';
import { useNavigationStore } from '../../stores/navigationStore.js';
import { moveInQueue, progressFraction } from '../../stores/runsReducers.js';
import { selectRuns, selectSelectedId, useRunsStore } from '../../stores/runsStore.js';
import { formatTime } from './format.js';
import { runAction } from './runActions.js';
import { StateChip } from './RunBits.js';

function RemoveDialog({ run, onClose }: { run: RunSummary | null; onClose: () => void }) {
  const { t } = useTranslation('runs');
  const [deleteFiles, setDeleteFiles] = useState(false);
  return (
    <Dialog open={run !== null} onClose={onClose} maxWidth="xs" fullWidth>
      <DialogTitle>{t('remove.title')}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
          {t('remove.body')}
        </Typography>
        <FormControlLabel
          control={
            <Checkbox
              checked={deleteFiles}
              onChange={(event) => {
                setDeleteFiles(event.target.checked);
              }}
            />
          }
          label={t('remove.deleteFiles')}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('remove.cancel')}</Button>
        <Button
          color="error"
          variant="contained"
          data-testid="run-remove-confirm"
          onClick={() => {
            if (run) void runAction('runs.remove', { id: run.id, deleteFiles });
            onClose();
          }}
        >
          {t('remove.confirm')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Waiting runs reopen in Expert mode; its Start button then makes a new run (the old one can be removed). */
async function editInExpert(run: RunSummary) {
  const result = await api.call('runs.get', { id: run.id });
  if (!result.ok) return;
  useExpertStore.getState().loadConfig(result.data.config as TrainingConfig, null);
  useNavigationStore.getState().navigate('expert');
}

function QueueItem({ run, queued }: { run: RunSummary; queued: string[] }) {
  const { t, i18n } = useTranslation('runs');
  const selected = useRunsStore(selectSelectedId) === run.id;
  const select = useRunsStore((state) => state.select);
  const [removing, setRemoving] = useState<RunSummary | null>(null);
  const fraction = progressFraction(run);
  const isQueued = run.state === 'queued';
  const active = run.state === 'running' || run.state === 'starting' || run.state === 'stopping';
  const at = queued.indexOf(run.id);
  const move = (delta: -1 | 1) => {
    void runAction('runs.reorder', { ids: moveInQueue(queued, run.id, delta) });
  };
  return (
    <>
      <ListItemButton
        data-testid="run-item"
        data-run-id={run.id}
        selected={selected}
        onClick={() => {
          void select(run.id);
        }}
        draggable={isQueued}
        onDragStart={(event) => {
          event.dataTransfer.setData('text/x-danlu-run', run.id);
        }}
        onDragOver={(event) => {
          if (isQueued) event.preventDefault();
        }}
        onDrop={(event) => {
          const dragged = event.dataTransfer.getData('text/x-danlu-run');
          if (!isQueued || !dragged || dragged === run.id || !queued.includes(dragged)) return;
          const ids = queued.filter((id) => id !== dragged);
          ids.splice(ids.indexOf(run.id), 0, dragged);
          void runAction('runs.reorder', { ids });
        }}
        sx={{ borderRadius: 2, mb: 0.5, alignItems: 'flex-start', flexDirection: 'column', gap: 0.5, py: 1 }}
      >
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', width: '100%', minWidth: 0 }}>
          <Typography variant="subtitle2" noWrap sx={{ flex: 1, minWidth: 0 }} title={run.name}>
            {run.name}
          </Typography>
          <StateChip state={run.state} />
        </Stack>
        <Typography variant="caption" sx={{ color: 'text.secondary' }} noWrap>
          {isQueued && run.queuePosition !== null
            ? t('queue.position', { n: run.queuePosition + 1 })
            : formatTime(run.startedAt ?? run.createdAt, i18n.language)}
          {run.continuesFrom !== null ? ` · ${t('queue.continues')}` : ''}
        </Typography>
        {active && (
          <LinearProgress
            variant={fraction === null ? 'indeterminate' : 'determinate'}
            value={(fraction ?? 0) * 100}
            sx={{ width: '100%', borderRadius: 1 }}
          />
        )}
        {isQueued && (
          <Stack
            direction="row"
            spacing={0.5}
            onClick={(event) => {
              event.stopPropagation();
            }}
          >
            <Tooltip title={t('queue.up')}>
              <span>
                <IconButton
                  size="small"
                  aria-label={t('queue.up')}
                  disabled={at <= 0}
                  onClick={() => {
                    move(-1);
                  }}
                >
                  <ArrowUpward fontSize="small" />
                </IconButton>
              </span>
            </Tooltip>
            <Tooltip title={t('queue.down')}>
              <span>
                <IconButton
                  size="small"
                  aria-label={t('queue.down')}
                  disabled={at < 0 || at >= queued.length - 1}
                  onClick={() => {
                    move(1);
                  }}
                >
                  <ArrowDownward fontSize="small" />
                </IconButton>
              </span>
            </Tooltip>
            <Tooltip title={t('queue.edit')}>
              <IconButton size="small" aria-label={t('queue.edit')} onClick={() => void editInExpert(run)}>
                <EditOutlined fontSize="small" />
              </IconButton>
            </Tooltip>
          </Stack>
        )}
      </ListItemButton>
      {selected && !active && (
        <Box sx={{ display: 'flex', justifyContent: 'flex-end', mt: -0.5, mb: 0.5 }}>
          <Button
            size="small"
            color="inherit"
            data-testid="run-remove"
            startIcon={<DeleteOutline fontSize="small" />}
            onClick={() => {
              setRemoving(run);
            }}
          >
            {t('queue.remove')}
          </Button>
        </Box>
      )}
      <RemoveDialog
        run={removing}
        onClose={() => {
          setRemoving(null);
        }}
      />
    </>
  );
}

/** The left column: the active run, the queue in order (drag or arrows), then the finished runs. */
export function RunQueue() {
  const { t } = useTranslation('runs');
  const runs = useRunsStore(selectRuns);
  const queued = runs.filter((r) => r.state === 'queued').map((r) => r.id);
  return (
    <Card
      // flex: 1 — the card is a flex item of the sticky column and would otherwise shrink to its text.
      sx={{ p: 1.5, display: 'flex', flexDirection: 'column', flex: 1, minWidth: 0, minHeight: 0 }}
      data-testid="run-queue"
    >
      <Stack direction="row" sx={{ alignItems: 'center', px: 1, pb: 1 }}>
        <Tooltip title={t('queue.hint')}>
          <Typography variant="h5" component="h2" sx={{ flex: 1 }}>
            {t('queue.title')}
          </Typography>
        </Tooltip>
      </Stack>
      <List disablePadding sx={{ overflowY: 'auto', minHeight: 0 }}>
        {runs.map((run) => (
          <QueueItem key={run.id} run={run} queued={queued} />
        ))}
      </List>
    </Card>
  );
}
