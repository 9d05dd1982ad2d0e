import { execFile } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Parses `reg query …\FileSystem /v LongPathsEnabled`; the value line is not localized. */
export function parseLongPathsQuery(output: string): boolean | null {
  const match = /LongPathsEnabled\s+REG_DWORD\s+0x([0-9a-f]+)/i.exec(output);
  return match?.[1] === undefined ? null : Number.parseInt(match[1], 16) === 1;
}

/**
 * Windows' long-path switch; undefined off Windows (nothing to check), null when reg.exe could not tell.
 */
export function readLongPathsEnabled(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean | null | undefined> {
  if (platform !== 'win32') return Promise.resolve(undefined);
  const reg = join(env['SystemRoot'] ?? 'C:\\Windows', 'System32', 'reg.exe');
  return new Promise((resolve) => {
    execFile(
      reg,
      ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\FileSystem', '/v', 'LongPathsEnabled'],
      { windowsHide: true, timeout: 5000, encoding: 'utf8' },
      (error, stdout) => {
        // A missing value makes reg.exe exit 1: Windows then treats long paths as off.
        if (error && !stdout) resolve(error.code === 1 ? false : null);
        else resolve(parseLongPathsQuery(stdout));
      },
    );
  });
}

/** Free bytes on the volume holding `path` (or its nearest existing parent); undefined if unknown. */
export async function freeBytes(path: string): Promise<number | undefined> {
  let current = path;
  for (;;) {
    try {
      const stats = await statfs(current);
      return stats.bavail * stats.bsize;
    } catch {
      const parent = dirname(current);
      if (parent === current) return undefined;
      current = parent;
    }
  }
}
