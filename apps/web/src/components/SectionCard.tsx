import Card from '@mui/material/Card';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

/** A titled card: an optional icon, the title, an optional item at the right, then the content. */
export function SectionCard({
  title,
  icon,
  aside,
  children,
  grow = false,
}: {
  title: ReactNode;
  icon?: ReactNode;
  aside?: ReactNode;
  children: ReactNode;
  /** Fill the height of a flex column (to line up with the card beside it). */
  grow?: boolean;
}) {
  return (
    <Card sx={{ p: 2.5, display: 'flex', flexDirection: 'column', gap: 1.5, flex: grow ? 1 : undefined }}>
      <Stack direction="row" spacing={1.25} sx={{ alignItems: 'center', minHeight: 28 }}>
        {icon !== undefined && (
          <Stack sx={{ color: 'text.secondary', '& svg': { fontSize: 20 } }} aria-hidden>
            {icon}
          </Stack>
        )}
        <Typography variant="h5" component="h2" sx={{ flex: 1, minWidth: 0 }}>
          {title}
        </Typography>
        {aside}
      </Stack>
      {children}
    </Card>
  );
}
