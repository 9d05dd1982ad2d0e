import { join } from 'node:path';

import type { AppInfo } from '@danlu/contracts';

/** The layout of Danlu's data folder, in one place. */
export function dataPaths(dataDir: string): AppInfo['paths'] {
  return {
    data: dataDir,
    settingsFile: join(dataDir, 'settings.json'),
    logs: join(dataDir, 'logs'),
    runs: join(dataDir, 'runs'),
    cache: join(dataDir, 'cache'),
  };
}
