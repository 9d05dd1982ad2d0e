import { homedir } from 'node:os';
import { join } from 'node:path';
import { access, constants, mkdir, rm, writeFile } from 'node:fs/promises';

import { DanluError } from '@danlu/contracts';

/**
 * Danlu's own data folder when no shell decides it (Electron passes app.getPath('userData')).
 * DANLU_DATA_DIR wins so tests, portable installs and cloud boxes can point it anywhere.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const override = env['DANLU_DATA_DIR'];
  if (override) return override;
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Danlu');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Danlu');
  return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'danlu');
}

/**
 * Creates `dir` if needed and proves it can be written, so an unwritable folder is reported once, at start,
 * by name, instead of as a failed save much later.
 */
export async function ensureWritableDir(dir: string): Promise<void> {
  const probe = join(dir, `.write-test-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DanluError(
      'data_dir_unwritable',
      `Cannot write to the data folder "${dir}" (${reason}). 无法写入数据文件夹「${dir}」。`,
      { cause: error },
    );
  }
}
