import AutoAwesomeOutlined from '@mui/icons-material/AutoAwesomeOutlined';
import HandymanOutlined from '@mui/icons-material/HandymanOutlined';
import HelpOutlineOutlined from '@mui/icons-material/HelpOutlineOutlined';
import HomeOutlined from '@mui/icons-material/HomeOutlined';
import Inventory2Outlined from '@mui/icons-material/Inventory2Outlined';
import PhotoLibraryOutlined from '@mui/icons-material/PhotoLibraryOutlined';
import PlayCircleOutline from '@mui/icons-material/PlayCircleOutline';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import TuneOutlined from '@mui/icons-material/TuneOutlined';
import type SvgIcon from '@mui/material/SvgIcon';

import type { PageId } from '../lib/routes.js';

/** One icon per page, shared by the sidebar and the empty states. */
export const pageIcons: Record<PageId, typeof SvgIcon> = {
  home: HomeOutlined,
  wizard: AutoAwesomeOutlined,
  expert: TuneOutlined,
  dataset: PhotoLibraryOutlined,
  runs: PlayCircleOutline,
  outputs: Inventory2Outlined,
  environment: HandymanOutlined,
  troubleshooting: HelpOutlineOutlined,
  settings: SettingsOutlined,
};
