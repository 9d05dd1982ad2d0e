import { DanluError } from '@danlu/contracts';

export interface StartupFailure {
  title: string;
  content: string;
}

const title = '丹炉无法启动 · Danlu cannot start';

/** The data folder cannot be written: said in both languages, naming the folder. */
export function dataDirUnwritable(dir: string, reason: string): StartupFailure {
  return {
    title,
    content:
      `无法写入数据文件夹「${dir}」（${reason}）。请检查权限或磁盘空间，或用环境变量 DANLU_DATA_DIR 指定其他文件夹。\n\n` +
      `Cannot write to the data folder "${dir}" (${reason}). Check its permissions and free space, ` +
      'or point DANLU_DATA_DIR at another folder.',
  };
}

/** Any error thrown while starting, as dialog text. The backend's DanluError messages are already zh + en. */
export function describeStartupError(error: unknown): StartupFailure {
  if (error instanceof DanluError) {
    const hint =
      error.code === 'data_dir_unwritable'
        ? '\n\n请检查权限或磁盘空间，或用 DANLU_DATA_DIR 指定其他文件夹。\nCheck its permissions and free space, or set DANLU_DATA_DIR to another folder.'
        : '';
    return { title, content: `${error.message}${hint}` };
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    title,
    content: `启动时出现意外错误。\nAn unexpected error stopped Danlu from starting.\n\n${detail}`,
  };
}
