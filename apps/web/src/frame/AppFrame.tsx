import Box from '@mui/material/Box';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

import { PageView } from '../pages/PageView.js';
import { selectPage, useNavigationStore } from '../stores/navigationStore.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { NoticeArea } from './NoticeArea.js';
import { Sidebar } from './Sidebar.js';
import { TopBar } from './TopBar.js';

/** Below this width the sidebar shows icons only (UI.md: 1366 px). */
export const wideLayoutQuery = '(min-width: 1366px)';

export function AppFrame() {
  const wide = useMediaQuery(wideLayoutQuery, { noSsr: true });
  const page = useNavigationStore(selectPage);
  const { t } = useTranslation(['nav', 'common']);
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    document.title = `${t(`nav:${page}`)} · ${t('common:brand.name')} ${t('common:brand.latin')}`;
  }, [page, t]);
  useEffect(() => {
    main.current?.scrollTo({ top: 0 });
  }, [page]);

  return (
    <Box sx={{ display: 'flex', height: '100%', overflow: 'hidden', bgcolor: 'background.default' }}>
      <Sidebar collapsed={!wide} />
      <Box sx={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        <TopBar />
        <ConnectionBanner />
        <Box
          component="main"
          ref={main}
          sx={{ flex: 1, minHeight: 0, overflowY: 'auto', overflowX: 'hidden', px: 3, pb: 3 }}
        >
          <Box sx={{ maxWidth: 1480 }}>
            <NoticeArea />
            <PageView page={page} />
          </Box>
        </Box>
      </Box>
    </Box>
  );
}
