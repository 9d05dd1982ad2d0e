import Box from '@mui/material/Box';
import { useEffect } from 'react';

import { PageRoot } from '../components/PageRoot.js';
import { ExpertPanel } from './expert/ExpertPanel.js';
import { ExpertToolbar } from './expert/ExpertToolbar.js';
import { FieldList } from './expert/FieldList.js';
import { refreshPresets } from './expert/presetActions.js';

/**
 * 专家模式: every catalogue option for the chosen family and type, in section tabs, with the checks,
 * estimates and TOML beside them. From 1200 px wide the page fills the window and the two columns
 * scroll on their own; narrower, the panel goes below the fields.
 */
export function ExpertPage() {
  useEffect(() => {
    // The bundled presets show at once; the backend adds the user's own.
    void refreshPresets();
  }, []);
  return (
    <PageRoot id="expert">
      <Box
        sx={{
          display: 'flex',
          flexDirection: 'column',
          gap: 1.5,
          // The top bar (64 px) and the main area's bottom padding (24 px).
          height: { lg: 'calc(100vh - 88px)' },
          minHeight: { lg: 520 },
        }}
      >
        <ExpertToolbar />
        <Box
          sx={{
            flex: 1,
            minHeight: 0,
            display: 'grid',
            gap: 2,
            gridTemplateColumns: {
              xs: 'minmax(0, 1fr)',
              lg: 'minmax(0, 1fr) 400px',
              xl: 'minmax(0, 1fr) 460px',
            },
          }}
        >
          <Box sx={{ minWidth: 0, minHeight: 0, height: { xs: '70vh', lg: 'auto' } }}>
            <FieldList />
          </Box>
          <Box
            component="aside"
            sx={{ minWidth: 0, minHeight: 0, overflowY: { lg: 'auto' }, pr: { lg: 0.5 }, pb: { lg: 0.5 } }}
          >
            <ExpertPanel />
          </Box>
        </Box>
      </Box>
    </PageRoot>
  );
}
