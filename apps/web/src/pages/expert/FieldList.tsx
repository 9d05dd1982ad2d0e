import { sections } from '@danlu/params';
import SearchOffOutlined from '@mui/icons-material/SearchOffOutlined';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { effectiveSection, visibleAtLevel, visibleFields } from '../../lib/expertFields.js';
import {
  selectFamily,
  selectQuery,
  selectRevealed,
  selectSection,
  selectTrainingType,
  useExpertStore,
} from '../../stores/expertStore.js';
import { selectExperienceLevel, useSettingsStore } from '../../stores/settingsStore.js';
import { FieldRow } from './FieldRow.js';

/** The section tabs (with the number of matching fields each) and the fields of the current one. */
export function FieldList() {
  const { t } = useTranslation('expert');
  const family = useExpertStore(selectFamily);
  const trainingType = useExpertStore(selectTrainingType);
  const query = useExpertStore(selectQuery);
  const revealed = useExpertStore(selectRevealed);
  const chosen = useExpertStore(selectSection);
  const setSection = useExpertStore((state) => state.setSection);
  const level = useSettingsStore(selectExperienceLevel) ?? 'beginner';

  const fields = useMemo(
    () => visibleFields({ family, trainingType, level, query, revealed }),
    [family, trainingType, level, query, revealed],
  );
  const all = useMemo(
    () => visibleFields({ family, trainingType, level: 'expert', query }),
    [family, trainingType, query],
  );
  const section = effectiveSection(chosen, fields);
  const searching = query.trim() !== '';
  const shown = fields[section];
  const hidden = all[section].filter((entry) => !shown.includes(entry)).length;

  return (
    <Card sx={{ display: 'flex', flexDirection: 'column', minHeight: 0, height: '100%' }}>
      <Tabs
        value={section}
        onChange={(_event, value: typeof section) => {
          setSection(value);
        }}
        variant="scrollable"
        scrollButtons="auto"
        allowScrollButtonsMobile
        sx={{ borderBottom: 1, borderColor: 'divider', flex: 'none', minHeight: 44, px: 1 }}
      >
        {sections.map((id) => {
          const count = fields[id].length;
          return (
            <Tab
              key={id}
              value={id}
              data-testid={`expert-tab-${id}`}
              disabled={count === 0}
              label={
                <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
                  <span>{t(`sections.${id}`)}</span>
                  <Box
                    component="span"
                    sx={{
                      minWidth: 20,
                      px: 0.625,
                      borderRadius: 5,
                      fontSize: '0.75rem',
                      lineHeight: '18px',
                      textAlign: 'center',
                      bgcolor: searching && count > 0 ? 'primary.main' : 'action.selected',
                      color: searching && count > 0 ? 'primary.contrastText' : 'text.secondary',
                    }}
                  >
                    {count}
                  </Box>
                </Stack>
              }
              sx={{ minHeight: 44, px: 1.5, minWidth: 0 }}
            />
          );
        })}
      </Tabs>
      <Box
        data-testid="expert-fields"
        role="tabpanel"
        sx={{ flex: 1, minHeight: 0, overflowY: 'auto', px: 1, py: 1 }}
      >
        {shown.length === 0 ? (
          <Stack spacing={1} sx={{ alignItems: 'center', textAlign: 'center', py: 6, px: 3 }}>
            <SearchOffOutlined sx={{ fontSize: 36, color: 'text.secondary' }} aria-hidden />
            <Typography variant="h5" component="p">
              {t('list.emptyTitle')}
            </Typography>
            <Typography variant="body2" sx={{ color: 'text.secondary', maxWidth: '48ch' }}>
              {t('list.emptyBody')}
            </Typography>
          </Stack>
        ) : (
          shown.map((entry) => (
            <FieldRow key={entry.id} entry={entry} revealed={!visibleAtLevel(entry, level)} />
          ))
        )}
        {hidden > 0 && (
          <Typography variant="body2" sx={{ color: 'text.secondary', px: 2, py: 1.5 }}>
            {t('list.hidden', { count: hidden })}
          </Typography>
        )}
      </Box>
    </Card>
  );
}
