import type { Theme as ThemeName } from '@danlu/contracts';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { useEffect, useMemo } from 'react';

import { AppFrame } from './frame/AppFrame.js';
import { FeedbackSnackbar } from './frame/FeedbackSnackbar.js';
import { StartupScreen } from './frame/StartupScreen.js';
import { i18next } from './i18n/i18n.js';
import { writeUiCache } from './lib/uiCache.js';
import { selectReady, useConnectionStore } from './stores/connectionStore.js';
import { selectLanguage, selectTheme, useSettingsStore } from './stores/settingsStore.js';
import { createDanluTheme } from './theme/theme.js';

export function App({ initialTheme }: { initialTheme: ThemeName }) {
  const language = useSettingsStore(selectLanguage);
  const themeName = useSettingsStore(selectTheme) ?? initialTheme;
  const ready = useConnectionStore(selectReady);
  const theme = useMemo(() => createDanluTheme(themeName), [themeName]);

  // Settings are the source of truth for the language; `<html lang>` follows i18next (see main.tsx).
  useEffect(() => {
    if (language && i18next.language !== language) void i18next.changeLanguage(language);
    if (language) writeUiCache({ language });
  }, [language]);

  useEffect(() => {
    document.documentElement.dataset['theme'] = themeName;
    document.documentElement.style.colorScheme = themeName;
    writeUiCache({ theme: themeName });
  }, [themeName]);

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      {ready ? <AppFrame /> : <StartupScreen />}
      <FeedbackSnackbar />
    </ThemeProvider>
  );
}
