import DarkModeOutlined from '@mui/icons-material/DarkModeOutlined';
import LightModeOutlined from '@mui/icons-material/LightModeOutlined';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { useTranslation } from 'react-i18next';

import { useUpdateSettings } from '../hooks/useUpdateSettings.js';
import { selectTheme, useSettingsStore } from '../stores/settingsStore.js';

export function ThemeToggle() {
  const { t } = useTranslation();
  const theme = useSettingsStore(selectTheme) ?? 'light';
  const updateSettings = useUpdateSettings();
  const label = theme === 'light' ? t('theme.switchToDark') : t('theme.switchToLight');
  return (
    <Tooltip title={label}>
      <IconButton
        data-testid="theme-toggle"
        aria-label={label}
        onClick={() => {
          updateSettings({ theme: theme === 'light' ? 'dark' : 'light' });
        }}
        sx={{ border: 1, borderColor: 'divider', borderRadius: 2, width: 34, height: 34 }}
      >
        {theme === 'light' ? <LightModeOutlined fontSize="small" /> : <DarkModeOutlined fontSize="small" />}
      </IconButton>
    </Tooltip>
  );
}
