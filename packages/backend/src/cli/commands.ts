import type { CliCommand } from '@danlu/node-utils';

import { createBackend } from '../backend.js';
import { callApi } from '../rpc/dispatch.js';
import { paramsCommands } from './paramsCommands.js';

const infoCommand: CliCommand = {
  name: 'info',
  summary: { 'zh-CN': '显示版本、平台与数据文件夹', en: 'Show versions, platform and data folders' },
  options: {
    json: { type: 'boolean', description: { 'zh-CN': '以 JSON 输出', en: 'Print JSON' } },
  },
  async run({ values }, io) {
    const backend = await createBackend({ dataDir: io.dataDir, transport: 'cli', systemLocale: io.language });
    const info = await callApi(backend.dispatch, 'app.info', {});
    const settings = await callApi(backend.dispatch, 'settings.get', {});
    const gpus = await callApi(backend.dispatch, 'system.gpus', {});
    if (values['json']) {
      io.out(JSON.stringify({ ...info, folders: settings.folders, gpus }, null, 2));
      return 0;
    }
    const zh = io.language === 'zh-CN';
    const rows: [string, string][] = [
      [zh ? '版本' : 'Version', `Danlu ${info.version}`],
      ['Node.js', info.versions.node],
      [zh ? '平台' : 'Platform', `${info.platform} ${info.arch}`],
      [zh ? '数据文件夹' : 'Data folder', info.paths.data],
      [zh ? '设置文件' : 'Settings file', info.paths.settingsFile],
      [zh ? '训练任务' : 'Runs', info.paths.runs],
      [zh ? '模型文件夹' : 'Models folder', settings.folders.models],
      [zh ? '输出文件夹' : 'Outputs folder', settings.folders.outputs],
      [
        zh ? '显卡' : 'GPUs',
        gpus.gpus.length
          ? gpus.gpus.map((gpu) => `${gpu.name} (${Math.round(gpu.memoryTotalMiB / 1024)} GB)`).join('; ')
          : zh
            ? '未检测到 NVIDIA 显卡'
            : 'No NVIDIA GPU detected',
      ],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) io.out(`${label.padEnd(width + 2)}${value}`);
    return 0;
  },
};

/** The subcommands this package contributes to `danlu`. */
export const backendCommands: CliCommand[] = [infoCommand, ...paramsCommands];
