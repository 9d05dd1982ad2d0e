import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App.js';
import { startBridge } from './bridge/bridge.js';
import { guessLanguage, i18next, initI18n } from './i18n/i18n.js';
import { readUiCache } from './lib/uiCache.js';
import { startHashRouting } from './stores/navigationStore.js';

const cache = readUiCache();
i18next.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});
await initI18n(cache.language ?? guessLanguage(navigator.languages));
document.documentElement.lang = i18next.language;
document.documentElement.dataset['theme'] = cache.theme ?? 'light';

startHashRouting(window);
startBridge(window);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App initialTheme={cache.theme ?? 'light'} />
  </StrictMode>,
);
