import type { DoctorCardWire } from '@danlu/contracts';
import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import ErrorOutlined from '@mui/icons-material/ErrorOutlined';
import WarningAmberOutlined from '@mui/icons-material/WarningAmberOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { useBilingual } from './text.js';

const icons = {
  ok: <CheckCircleOutlined color="success" fontSize="small" />,
  warning: <WarningAmberOutlined color="warning" fontSize="small" />,
  error: <ErrorOutlined color="error" fontSize="small" />,
} as const;

/** Fix ids the page can run itself; the others are advice shown as text. */
export type FixHandler = (fixId: string) => void;
const runnableFixes = new Set(['engine.probe', 'engine.attach', 'engine.install']);

/** One doctor card: status, title, explanation, and the fix (a button where Danlu can do it). */
export function DoctorCardRow({ card, onFix }: { card: DoctorCardWire; onFix?: FixHandler | undefined }) {
  const { t } = useTranslation('environment');
  const say = useBilingual();
  return (
    <Box
      data-testid={`doctor-card-${card.id}`}
      data-status={card.status}
      sx={{
        display: 'flex',
        gap: 1.5,
        p: 1.5,
        borderRadius: 2,
        border: 1,
        borderColor: card.status === 'ok' ? 'divider' : `${card.status}.main`,
      }}
    >
      <Box sx={{ pt: 0.25, flex: 'none' }} aria-label={t(`status.${card.status}`)} role="img">
        {icons[card.status]}
      </Box>
      <Box sx={{ flex: 1, minWidth: 0 }}>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {say(card.title)}
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', overflowWrap: 'anywhere' }}>
          {say(card.detail)}
        </Typography>
        {card.fix &&
          (onFix && runnableFixes.has(card.fix.id) ? (
            <Button
              size="small"
              variant="outlined"
              sx={{ mt: 1 }}
              onClick={() => {
                if (card.fix) onFix(card.fix.id);
              }}
            >
              {say(card.fix.label)}
            </Button>
          ) : (
            <Typography variant="caption" sx={{ display: 'block', mt: 0.75, color: 'text.secondary' }}>
              {t('doctor.advice', { fix: say(card.fix.label) })}
            </Typography>
          ))}
      </Box>
    </Box>
  );
}

export function DoctorCardList({ cards, onFix }: { cards: DoctorCardWire[]; onFix?: FixHandler }) {
  return (
    <Stack spacing={1}>
      {cards.map((card) => (
        <DoctorCardRow key={card.id} card={card} onFix={onFix} />
      ))}
    </Stack>
  );
}
