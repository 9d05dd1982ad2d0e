import InfoOutlined from '@mui/icons-material/InfoOutlined';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

/** A term with its explanation behind ⓘ (a tooltip in the UI language). */
export function Term({
  children,
  help,
  variant = 'body2',
}: {
  children: ReactNode;
  help: string;
  variant?: 'body2' | 'h6' | 'subtitle2';
}) {
  return (
    <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center', minWidth: 0 }} component="span">
      <Typography variant={variant} component="span" sx={{ fontWeight: 600 }}>
        {children}
      </Typography>
      <Tooltip
        title={<Typography variant="body2">{help}</Typography>}
        placement="top-start"
        slotProps={{ tooltip: { sx: { maxWidth: 360, p: 1.25 } } }}
      >
        <IconButton size="small" aria-label={help} sx={{ p: 0.25, color: 'text.secondary' }}>
          <InfoOutlined sx={{ fontSize: 16 }} />
        </IconButton>
      </Tooltip>
    </Stack>
  );
}
