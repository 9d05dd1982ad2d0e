import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { selectPage, useNavigationStore } from '../stores/navigationStore.js';
import { GpuChip } from './GpuChip.js';
import { LanguageToggle } from './LanguageToggle.js';
import { LevelSelect } from './LevelSelect.js';
import { ThemeToggle } from './ThemeToggle.js';

export function TopBar() {
  const { t } = useTranslation('nav');
  const page = useNavigationStore(selectPage);
  return (
    <Box
      component="header"
      sx={{ height: 64, flex: 'none', display: 'flex', alignItems: 'center', gap: 2, px: 3, minWidth: 0 }}
    >
      <Typography variant="h3" component="h1" noWrap sx={{ flex: 1, minWidth: 0 }}>
        {t(page)}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flex: 'none' }}>
        <LanguageToggle />
        <ThemeToggle />
        <LevelSelect />
        <GpuChip />
      </Stack>
    </Box>
  );
}
