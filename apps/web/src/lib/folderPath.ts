export type FolderProblem = 'required' | 'not_absolute';

/**
 * A folder setting must be an absolute path on the machine that runs Danlu: `/home/me/x`, `C:\x`, `D:/x`
 * or a UNC share `\\server\share`. Relative paths would depend on where the app was started.
 */
export function folderPathProblem(value: string): FolderProblem | undefined {
  const path = value.trim();
  if (path === '') return 'required';
  if (path.startsWith('/')) return undefined;
  if (/^[a-zA-Z]:[\\/]/.test(path)) return undefined;
  if (/^\\\\[^\\/]+[\\/][^\\/]+/.test(path)) return undefined;
  return 'not_absolute';
}
