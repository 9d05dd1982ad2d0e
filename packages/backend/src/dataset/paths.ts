import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';

import { DanluError } from '@danlu/contracts';

/** The folder the user named, resolved; a clear zh/en error when it is missing or a file. */
export async function requireFolder(dir: string): Promise<string> {
  const trimmed = dir.trim();
  if (!isAbsolute(trimmed))
    throw new DanluError(
      'bad_request',
      `请填写完整的文件夹路径：${dir} / Please give the full folder path: ${dir}`,
    );
  const absolute = resolve(trimmed);
  let isDir: boolean;
  try {
    isDir = (await stat(absolute)).isDirectory();
  } catch {
    throw new DanluError('not_found', `文件夹不存在：${absolute} / Folder not found: ${absolute}`);
  }
  if (!isDir)
    throw new DanluError(
      'bad_request',
      `这是一个文件，不是文件夹：${absolute} / This is a file, not a folder: ${absolute}`,
    );
  return absolute;
}

/** An existing file (an image to thumbnail or caption). */
export async function requireFile(path: string): Promise<string> {
  if (!isAbsolute(path.trim()))
    throw new DanluError('bad_request', `需要完整的文件路径：${path} / A full file path is needed: ${path}`);
  const absolute = resolve(path.trim());
  let isFile: boolean;
  try {
    isFile = (await stat(absolute)).isFile();
  } catch {
    throw new DanluError('not_found', `文件不存在：${absolute} / File not found: ${absolute}`);
  }
  if (!isFile) throw new DanluError('bad_request', `不是文件：${absolute} / Not a file: ${absolute}`);
  return absolute;
}
