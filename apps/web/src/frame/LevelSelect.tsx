import { experienceLevels } from '@danlu/contracts';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Tooltip from '@mui/material/Tooltip';
import { useTranslation } from 'react-i18next';

import { useUpdateSettings } from '../hooks/useUpdateSettings.js';
import { selectExperienceLevel, useSettingsStore } from '../stores/settingsStore.js';

/** 新手 / 高级 / 专家, like the launcher's 配置模式: how many options the pages show. */
export function LevelSelect() {
  const { t } = useTranslation();
  const level = useSettingsStore(selectExperienceLevel) ?? 'beginner';
  const updateSettings = useUpdateSettings();
  return (
    <Tooltip title={t('level.label')} placement="bottom">
      <Select
        data-testid="level-select"
        size="small"
        value={level}
        inputProps={{ 'aria-label': t('level.label') }}
        onChange={(event) => {
          updateSettings({ experienceLevel: event.target.value });
        }}
        sx={{ height: 34, minWidth: 96, fontSize: '0.875rem', borderRadius: 2 }}
      >
        {experienceLevels.map((id) => (
          <MenuItem key={id} value={id}>
            {t(`level.${id}`)}
          </MenuItem>
        ))}
      </Select>
    </Tooltip>
  );
}
