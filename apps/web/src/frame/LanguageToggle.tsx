import type { Language } from '@danlu/contracts';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Tooltip from '@mui/material/Tooltip';
import { useTranslation } from 'react-i18next';

import { useUpdateSettings } from '../hooks/useUpdateSettings.js';
import { selectLanguage, useSettingsStore } from '../stores/settingsStore.js';

const order: { id: Language; short: string }[] = [
  { id: 'zh-CN', short: '中' },
  { id: 'en', short: 'EN' },
];

/** 中 / EN: one click switches to the other language; the current one is emphasised. */
export function LanguageToggle() {
  const { t } = useTranslation();
  const language = useSettingsStore(selectLanguage) ?? 'zh-CN';
  const updateSettings = useUpdateSettings();
  const other: Language = language === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <Tooltip title={t('language.switch')}>
      <ButtonBase
        data-testid="lang-toggle"
        aria-label={`${t('language.switch')}: ${t(`language.names.${other}`)}`}
        onClick={() => {
          updateSettings({ language: other });
        }}
        sx={{
          height: 34,
          px: 1.25,
          gap: 0.75,
          borderRadius: 2,
          border: 1,
          borderColor: 'divider',
          fontSize: '0.875rem',
          '&:hover': { bgcolor: 'action.hover' },
          '&.Mui-focusVisible': { outline: 2, outlineColor: 'primary.main' },
        }}
      >
        {order.map((entry, index) => (
          <Box key={entry.id} component="span" sx={{ display: 'contents' }}>
            {index > 0 && (
              <Box component="span" aria-hidden sx={{ color: 'text.disabled' }}>
                /
              </Box>
            )}
            <Box
              component="span"
              sx={{
                fontWeight: entry.id === language ? 700 : 400,
                color: entry.id === language ? 'primary.main' : 'text.secondary',
              }}
            >
              {entry.short}
            </Box>
          </Box>
        ))}
      </ButtonBase>
    </Tooltip>
  );
}
