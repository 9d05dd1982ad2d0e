import LocalOfferOutlined from '@mui/icons-material/LocalOfferOutlined';
import UndoOutlined from '@mui/icons-material/UndoOutlined';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { TagOperationInput } from '@danlu/contracts';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { SectionCard } from '../../components/SectionCard.js';
import { useDatasetStore } from '../../stores/datasetStore.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { PreviewDialog } from './PreviewDialog.js';
import { Term } from './Term.js';

/**
 * The tag frequency table (how many captions hold each tag) and the batch actions over all captions:
 * trigger word first, remove selected tags, replace, de-duplicate, sort. Each action is previewed first;
 * every applied batch can be undone from its backup.
 */
export function TagTable() {
  const { t } = useTranslation('dataset');
  const tags = useDatasetStore((s) => s.tags);
  const backups = useDatasetStore((s) => s.backups);
  const trigger = useDatasetStore((s) => s.options.triggerWord);
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  // the page's trigger word until the user types another one here
  const [typedTrigger, setTriggerText] = useState<string | undefined>();
  const triggerText = typedTrigger ?? trigger;
  useEffect(() => {
    void useDatasetStore.getState().loadBackups();
  }, []);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (f ? tags.filter((row) => row.tag.toLowerCase().includes(f)) : tags).slice(0, 300);
  }, [tags, filter]);

  const run = async (operations: TagOperationInput[]) => {
    const result = await useDatasetStore.getState().preview(operations);
    if (!result.ok)
      useFeedbackStore.getState().show({ kind: 'error', text: t('tags.previewFailed'), error: result.error });
  };

  const undo = async (backupId: string) => {
    const result = await useDatasetStore.getState().restore(backupId);
    if (result.ok)
      useFeedbackStore
        .getState()
        .show({ kind: 'success', text: t('tags.restored', { count: result.data.restored }) });
    else
      useFeedbackStore.getState().show({ kind: 'error', text: t('tags.restoreFailed'), error: result.error });
  };

  return (
    <SectionCard title={<Term id="tagFrequency">{t('tags.title')}</Term>} icon={<LocalOfferOutlined />}>
      <Stack spacing={1} data-testid="dataset-batch">
        <Stack direction="row" spacing={1}>
          <TextField
            size="small"
            label={<Term id="trigger" />}
            value={triggerText}
            onChange={(e) => {
              setTriggerText(e.target.value);
            }}
            sx={{ flex: 1 }}
            slotProps={{ htmlInput: { 'data-testid': 'dataset-batch-trigger' } }}
          />
          <Button
            variant="contained"
            disabled={triggerText.trim() === ''}
            onClick={() => {
              void run([{ op: 'addFirst', tag: triggerText.trim() }]);
            }}
            data-testid="dataset-add-trigger"
          >
            {t('tags.addFirst')}
          </Button>
        </Stack>
        <Stack direction="row" spacing={1}>
          <TextField
            size="small"
            label={t('tags.replaceFrom')}
            value={from}
            onChange={(e) => {
              setFrom(e.target.value);
            }}
            sx={{ flex: 1 }}
          />
          <TextField
            size="small"
            label={t('tags.replaceTo')}
            value={to}
            onChange={(e) => {
              setTo(e.target.value);
            }}
            sx={{ flex: 1 }}
          />
          <Button
            variant="outlined"
            disabled={from.trim() === ''}
            onClick={() => {
              void run([{ op: 'replace', from: from.trim(), to: to.trim() }]);
            }}
          >
            {t('tags.replace')}
          </Button>
        </Stack>
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
          <Button
            size="small"
            variant="outlined"
            color="error"
            disabled={chosen.size === 0}
            onClick={() => {
              void run([{ op: 'remove', tags: [...chosen] }]);
            }}
            data-testid="dataset-remove-tags"
          >
            {t('tags.removeSelected', { count: chosen.size })}
          </Button>
          <Button
            size="small"
            variant="outlined"
            onClick={() => {
              void run([{ op: 'dedupe' }]);
            }}
          >
            {t('tags.dedupe')}
          </Button>
          <Button
            size="small"
            variant="outlined"
            onClick={() => {
              void run([{ op: 'sort', by: 'frequency', keep: trigger.trim() ? 1 : 0 }]);
            }}
          >
            {t('tags.sortFrequency')}
          </Button>
          <Button
            size="small"
            variant="outlined"
            onClick={() => {
              void run([{ op: 'sort', by: 'alpha', keep: trigger.trim() ? 1 : 0 }]);
            }}
          >
            {t('tags.sortAlpha')}
          </Button>
        </Stack>
      </Stack>
      <Divider />
      <TextField
        size="small"
        label={t('tags.filter')}
        value={filter}
        onChange={(e) => {
          setFilter(e.target.value);
        }}
      />
      <Typography variant="caption" color="text.secondary">
        {t('tags.hint')}
      </Typography>
      <Table size="small" stickyHeader aria-label={t('tags.title')} data-testid="dataset-tags">
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox" />
            <TableCell>{t('tags.tag')}</TableCell>
            <TableCell align="right">{t('tags.count')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map((row) => (
            <TableRow
              key={row.tag}
              hover
              selected={chosen.has(row.tag)}
              onClick={() => {
                const next = new Set(chosen);
                if (next.has(row.tag)) next.delete(row.tag);
                else next.add(row.tag);
                setChosen(next);
              }}
              sx={{ cursor: 'pointer' }}
            >
              <TableCell padding="checkbox">
                <Checkbox
                  size="small"
                  checked={chosen.has(row.tag)}
                  slotProps={{ input: { 'aria-label': row.tag } }}
                />
              </TableCell>
              <TableCell sx={{ wordBreak: 'break-word' }}>{row.tag}</TableCell>
              <TableCell align="right">{row.count}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {tags.length === 0 && <Typography color="text.secondary">{t('tags.none')}</Typography>}
      {backups.length > 0 && (
        <>
          <Divider />
          <Typography variant="subtitle2">{t('tags.undoTitle')}</Typography>
          <Stack spacing={0.5} data-testid="dataset-backups">
            {backups.slice(0, 5).map((backup) => (
              <Stack key={backup.id} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                <Typography variant="body2" sx={{ flex: 1, minWidth: 0 }} noWrap title={backup.label}>
                  {new Date(backup.createdAt).toLocaleString()} · {backup.label || t('tags.batch')} ·{' '}
                  {t('tags.files', { count: backup.files })}
                </Typography>
                <Button
                  size="small"
                  startIcon={<UndoOutlined />}
                  onClick={() => {
                    void undo(backup.id);
                  }}
                >
                  {t('tags.undo')}
                </Button>
              </Stack>
            ))}
          </Stack>
        </>
      )}
      <PreviewDialog
        onClose={() => {
          useDatasetStore.getState().closePreview();
          setChosen(new Set());
        }}
      />
    </SectionCard>
  );
}
