import type { Theme as ThemeName } from '@danlu/contracts';
import { createTheme, type Theme } from '@mui/material/styles';

export const fontFamily = [
  '"Segoe UI"',
  '"Microsoft YaHei UI"',
  '"Microsoft YaHei"',
  '"PingFang SC"',
  '"Hiragino Sans GB"',
  '"Noto Sans CJK SC"',
  '"Source Han Sans SC"',
  '"WenQuanYi Micro Hei"',
  'sans-serif',
].join(', ');

export const monoFontFamily = [
  '"Cascadia Mono"',
  'Consolas',
  '"JetBrains Mono"',
  '"Sarasa Mono SC"',
  '"Noto Sans Mono CJK SC"',
  'ui-monospace',
  'monospace',
].join(', ');

/** 丹 — cinnabar. One primary colour; everything else is neutral greys, like Windows 11 settings. */
const palettes = {
  light: {
    primary: { main: '#b8432b', light: '#d9623f', dark: '#8f2f1c', contrastText: '#ffffff' },
    background: { default: '#f3f2f1', paper: '#ffffff' },
    text: { primary: '#1f1f1f', secondary: '#5c5c5c' },
    divider: 'rgba(0, 0, 0, 0.09)',
    success: { main: '#2e7d32' },
    warning: { main: '#a15c00', light: '#c77700', dark: '#7a4500', contrastText: '#ffffff' },
  },
  dark: {
    primary: { main: '#f08a68', light: '#f6a98f', dark: '#c8603f', contrastText: '#1b1b1b' },
    background: { default: '#1b1b1c', paper: '#262627' },
    text: { primary: '#f2f2f2', secondary: '#b4b4b4' },
    divider: 'rgba(255, 255, 255, 0.1)',
    success: { main: '#7bc67e' },
    warning: { main: '#f0b45a', contrastText: '#1b1b1b' },
  },
} as const;

export const sidebarWidth = { expanded: 212, collapsed: 68 } as const;

export function createDanluTheme(mode: ThemeName): Theme {
  const palette = palettes[mode];
  const base = createTheme({
    palette: { mode, ...palette },
    shape: { borderRadius: 8 },
    typography: {
      fontFamily,
      fontSize: 14,
      h1: { fontSize: '1.75rem', fontWeight: 600, lineHeight: 1.3 },
      h2: { fontSize: '1.5rem', fontWeight: 600, lineHeight: 1.35 },
      h3: { fontSize: '1.25rem', fontWeight: 600, lineHeight: 1.4 },
      h4: { fontSize: '1.125rem', fontWeight: 600, lineHeight: 1.4 },
      h5: { fontSize: '1rem', fontWeight: 600, lineHeight: 1.5 },
      h6: { fontSize: '0.9375rem', fontWeight: 600, lineHeight: 1.5 },
      subtitle2: { fontWeight: 600 },
      body1: { lineHeight: 1.65 },
      body2: { lineHeight: 1.6 },
      button: { textTransform: 'none', fontWeight: 600, letterSpacing: 0 },
      overline: { letterSpacing: '0.06em', fontWeight: 600 },
    },
  });
  return createTheme(base, {
    components: {
      MuiCssBaseline: {
        styleOverrides: {
          'html, body, #root': { height: '100%' },
          body: { overflow: 'hidden' },
          code: { fontFamily: monoFontFamily, fontSize: '0.875em' },
        },
      },
      MuiPaper: { defaultProps: { elevation: 0 } },
      MuiCard: {
        defaultProps: { variant: 'outlined' },
        styleOverrides: { root: { borderRadius: 12 } },
      },
      MuiButton: {
        defaultProps: { disableElevation: true },
        styleOverrides: { root: { borderRadius: 8, paddingInline: 16 }, sizeLarge: { paddingInline: 28 } },
      },
      MuiAlert: { styleOverrides: { root: { borderRadius: 10 } } },
      MuiChip: { styleOverrides: { root: { fontWeight: 500 } } },
      MuiTooltip: { defaultProps: { arrow: true, enterDelay: 300 } },
      MuiOutlinedInput: { styleOverrides: { root: { borderRadius: 8 } } },
      MuiDialog: { styleOverrides: { paper: { borderRadius: 12 } } },
      MuiListItemButton: { styleOverrides: { root: { borderRadius: 8 } } },
    },
  });
}
