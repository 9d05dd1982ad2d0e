import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Files the main process loads, relative to the bundled main script (`dist/main.cjs`). */
export interface DesktopLayout {
  preloadFile: string;
  /** The built web UI: copied into `dist/web` for packaging, read from apps/web in development. */
  webRoot: string;
  /** Danlu's resources/ folder (presets, Python helpers): a real folder the user's Python can read. */
  resourcesDir: string;
}

export function desktopLayout(
  mainDir: string,
  isPackaged: boolean,
  resourcesPath: string = process.resourcesPath,
): DesktopLayout {
  return {
    preloadFile: path.join(mainDir, 'preload.cjs'),
    webRoot: isPackaged ? path.join(mainDir, 'web') : path.resolve(mainDir, '..', '..', 'web', 'dist'),
    // Packaged: electron-builder's extraResources copies the repository's resources/ (presets, the Python
    // helpers the user's Python runs) to <install>/resources/resources, outside app.asar.
    resourcesDir: isPackaged
      ? path.join(resourcesPath, 'resources')
      : path.resolve(mainDir, '..', '..', '..', 'resources'),
  };
}

/**
 * Danlu's data folder: DANLU_DATA_DIR when set (tests, portable installs), else Electron's userData
 * (`%APPDATA%\Danlu` on Windows). `overridden` tells the caller to move userData there too, so the
 * single-instance lock and Chromium's files follow the data folder.
 */
export function chooseDataDir(
  env: NodeJS.ProcessEnv,
  userData: string,
): { dir: string; overridden: boolean } {
  const override = env['DANLU_DATA_DIR']?.trim();
  if (override) return { dir: path.resolve(override), overridden: true };
  return { dir: userData, overridden: false };
}

/**
 * Chromium's own profile (caches, local storage) goes into a subfolder: it would otherwise share the
 * data folder's top level, and Chromium's `Cache` and Danlu's `cache` are one folder on Windows.
 */
export function sessionDataDir(dataDir: string): string {
  return path.join(dataDir, 'chromium');
}

/**
 * Synchronous write probe, run before the single-instance lock (which lives in the same folder and
 * would otherwise fail as if another instance held it). Returns the error code, or undefined when fine.
 */
export function probeWritableSync(dir: string): string | undefined {
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}
