import Box from '@mui/material/Box';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { useTranslation } from 'react-i18next';

import { BrandMark } from '../components/BrandMark.js';
import { pageIds, type PageId } from '../lib/routes.js';
import { RunNavProgress } from '../pages/runs/RunNavProgress.js';
import { selectNavigate, selectPage, useNavigationStore } from '../stores/navigationStore.js';
import { sidebarWidth } from '../theme/theme.js';
import { pageIcons } from './pageIcons.js';

const mainPages = pageIds.filter((id) => id !== 'settings');

function NavItem({ id, collapsed }: { id: PageId; collapsed: boolean }) {
  const { t } = useTranslation('nav');
  const current = useNavigationStore(selectPage) === id;
  const navigate = useNavigationStore(selectNavigate);
  const Icon = pageIcons[id];
  const label = t(id);
  const button = (
    <ListItemButton
      data-testid={`nav-${id}`}
      selected={current}
      aria-current={current ? 'page' : undefined}
      aria-label={collapsed ? label : undefined}
      onClick={() => {
        navigate(id);
      }}
      sx={(theme) => ({
        position: 'relative',
        minHeight: 40,
        mb: 0.5,
        px: collapsed ? 0 : 1.5,
        justifyContent: collapsed ? 'center' : 'flex-start',
        color: 'text.primary',
        '&.Mui-selected': {
          bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.16 : 0.1),
          '&:hover': {
            bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.22 : 0.14),
          },
        },
        // The Windows 11 accent pill beside the current item.
        '&.Mui-selected::before': {
          content: '""',
          position: 'absolute',
          left: 0,
          top: 10,
          bottom: 10,
          width: 3,
          borderRadius: 2,
          bgcolor: 'primary.main',
        },
      })}
    >
      <ListItemIcon
        sx={{
          minWidth: collapsed ? 0 : 36,
          color: current ? 'primary.main' : 'text.secondary',
          '& svg': { fontSize: 21 },
        }}
      >
        <Icon />
      </ListItemIcon>
      {!collapsed && (
        <ListItemText
          primary={label}
          slotProps={{
            primary: { noWrap: true, sx: { fontSize: '0.9375rem', fontWeight: current ? 600 : 400 } },
          }}
        />
      )}
      {id === 'runs' && <RunNavProgress collapsed={collapsed} />}
    </ListItemButton>
  );
  return collapsed ? (
    <Tooltip title={label} placement="right" enterDelay={150}>
      {button}
    </Tooltip>
  ) : (
    button
  );
}

/** The left menu of big plain pages (UI.md "Frame"); icons only below 1366 px. */
export function Sidebar({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation(['common', 'nav']);
  const width = collapsed ? sidebarWidth.collapsed : sidebarWidth.expanded;
  return (
    <Box
      component="nav"
      aria-label={t('nav:mainMenu')}
      sx={{
        width,
        flex: 'none',
        display: 'flex',
        flexDirection: 'column',
        px: collapsed ? 1 : 1.5,
        pb: 1.5,
        overflowY: 'auto',
        overflowX: 'hidden',
      }}
    >
      <Stack
        direction="row"
        spacing={1.25}
        sx={{
          alignItems: 'center',
          justifyContent: collapsed ? 'center' : 'flex-start',
          height: 64,
          px: collapsed ? 0 : 1,
        }}
      >
        <BrandMark size={34} />
        {!collapsed && (
          <Box sx={{ minWidth: 0 }}>
            <Typography sx={{ fontWeight: 700, fontSize: '1.125rem', lineHeight: 1.2 }}>
              {t('common:brand.name')}
            </Typography>
            <Typography
              variant="caption"
              sx={{ color: 'text.secondary', lineHeight: 1.2, letterSpacing: '0.04em' }}
            >
              {t('common:brand.latin')}
            </Typography>
          </Box>
        )}
      </Stack>
      <List disablePadding sx={{ mt: 1 }}>
        {mainPages.map((id) => (
          <NavItem key={id} id={id} collapsed={collapsed} />
        ))}
      </List>
      <Box sx={{ flex: 1 }} />
      <List disablePadding>
        <NavItem id="settings" collapsed={collapsed} />
      </List>
    </Box>
  );
}
