import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import type { ReactNode } from 'react';

import type { PageId } from '../lib/routes.js';

/** Every page's outer box: the e2e hook, and the page actions top-right (UI.md "Frame"). */
export function PageRoot({
  id,
  actions,
  children,
}: {
  id: PageId;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Box data-testid={`page-${id}`} component="section">
      {actions !== undefined && (
        <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end', mb: 2 }}>
          {actions}
        </Stack>
      )}
      {children}
    </Box>
  );
}
