import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

import type { Language } from '@danlu/contracts';
import { writeFileAtomic, type CliCommand, type CliIo } from '@danlu/node-utils';
import {
  catalogue,
  checkConfig,
  estimateAll,
  exportKohya,
  hasErrors,
  importConfig,
  type ImportResult,
  type ParseFailure,
  type Text,
} from '@danlu/params';

import { decodeText } from '../params/decodeText.js';
import { modelCommand } from './modelsCommand.js';
import { loadPresetFolder } from '../params/presetLibrary.js';
import { sourceResourcesDir } from '../resourcesDir.js';

const json = { type: 'boolean', description: { 'zh-CN': '以 JSON 输出', en: 'Print JSON' } } as const;

function say(text: Text, language: Language): string {
  return language === 'zh-CN' ? text.zh : text.en;
}

function describeFailure(error: ParseFailure, file: string, language: Language): string {
  const where = [
    error.line === undefined ? '' : `:${error.line}`,
    error.column === undefined ? '' : `:${error.column}`,
  ].join('');
  const key = error.key ? ` [${error.key}]` : '';
  return `${file}${where}${key}: ${say(error.message, language)}`;
}

async function readConfigFile(path: string, io: CliIo): Promise<ImportResult | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    io.err(
      io.language === 'zh-CN' ? `无法读取文件「${path}」（${code}）` : `Cannot read "${path}" (${code})`,
    );
    return undefined;
  }
  return importConfig(decodeText(bytes).text);
}

const paramsCommand: CliCommand = {
  name: 'params',
  summary: {
    'zh-CN': '列出丹炉支持的全部 kohya 训练参数',
    en: 'List every kohya training option Danlu knows',
  },
  options: { json },
  run({ values }, io) {
    if (values['json']) {
      io.out(JSON.stringify(catalogue, null, 2));
      return Promise.resolve(0);
    }
    const width = Math.max(...catalogue.map((entry) => entry.id.length));
    for (const entry of catalogue) {
      io.out(
        `${entry.id.padEnd(width + 2)}${entry.section.padEnd(11)}${entry.level.padEnd(10)}${say(entry.label, io.language)}`,
      );
    }
    io.out(io.language === 'zh-CN' ? `共 ${catalogue.length} 项` : `${catalogue.length} options`);
    return Promise.resolve(0);
  },
};

const presetsCommand: CliCommand = {
  name: 'presets',
  summary: { 'zh-CN': '列出内置训练方案（预设）', en: 'List the built-in training presets' },
  options: { json },
  async run({ values }, io) {
    const { presets, broken } = await loadPresetFolder(join(sourceResourcesDir(), 'presets'));
    if (values['json']) {
      io.out(
        JSON.stringify(
          {
            presets: presets.map(({ file, preset, notices, unknownKeys }) => ({
              file,
              ...preset,
              notices,
              unknownKeys,
            })),
            broken,
          },
          null,
          2,
        ),
      );
    } else {
      const width = Math.max(0, ...presets.map(({ preset }) => preset.meta.id.length));
      for (const { preset } of presets) {
        io.out(
          `${preset.meta.id.padEnd(width + 2)}${preset.meta.family.padEnd(6)}${say(preset.meta.name, io.language)}`,
        );
      }
      for (const { file, error } of broken) io.err(describeFailure(error, file, io.language));
    }
    return broken.length > 0 ? 1 : 0;
  },
};

const configCommand: CliCommand = {
  name: 'config',
  usage: 'check|import|export FILE',
  summary: {
    'zh-CN': '检查、导入或导出训练配置（kohya / 秋叶 / kohya_ss / LETS 格式）',
    en: 'Check, import or export a training configuration (kohya, Qiuye, kohya_ss, LETS formats)',
  },
  options: {
    json,
    out: {
      type: 'string',
      valueName: 'dir',
      description: {
        'zh-CN': 'export：写入 config.toml 与 dataset.toml 的文件夹',
        en: 'export: folder to write config.toml and dataset.toml into',
      },
    },
  },
  async run({ values, positionals }, io) {
    const zh = io.language === 'zh-CN';
    const [action, file] = positionals;
    if (!action || !['check', 'import', 'export'].includes(action) || !file) {
      io.err(
        zh ? '用法：danlu config check|import|export 文件' : 'Usage: danlu config check|import|export FILE',
      );
      return 2;
    }
    const imported = await readConfigFile(file, io);
    if (!imported) return 1;
    if (!imported.ok) {
      if (values['json']) io.out(JSON.stringify({ ok: false, error: imported.error }, null, 2));
      else io.err(describeFailure(imported.error, file, io.language));
      return 1;
    }
    const { config, format, unknownKeys, notices } = imported;

    if (action === 'import') {
      if (values['json']) io.out(JSON.stringify({ ok: true, format, config, unknownKeys, notices }, null, 2));
      else {
        io.out(
          zh
            ? `格式：${format}，已读取 ${Object.keys(config.values).length} 项`
            : `Format: ${format}; ${Object.keys(config.values).length} values read`,
        );
        for (const key of unknownKeys) io.out(zh ? `  未识别的键：${key}` : `  unknown key: ${key}`);
        for (const notice of notices) io.out(`  ${notice.key}: ${say(notice.text, io.language)}`);
      }
      return 0;
    }

    if (action === 'check') {
      const results = checkConfig(config, { pathExists: (path) => existsSync(path) });
      const estimates = estimateAll(config);
      const blocked = hasErrors(results);
      if (values['json'])
        io.out(JSON.stringify({ ok: !blocked, format, results, estimates, unknownKeys }, null, 2));
      else {
        for (const result of results) {
          const mark = result.severity === 'error' ? (zh ? '错误' : 'error') : zh ? '警告' : 'warning';
          io.out(`${mark.padEnd(8)}${say(result.text, io.language)}`);
        }
        io.out(
          zh
            ? `总步数 ${estimates.steps.totalSteps}；${blocked ? '有错误，不能开始训练。' : '可以开始训练。'}`
            : `Total steps ${estimates.steps.totalSteps}; ${blocked ? 'errors block the launch.' : 'ready to launch.'}`,
        );
      }
      return blocked ? 1 : 0;
    }

    const out = values['out'];
    if (typeof out !== 'string' || out === '') {
      io.err(zh ? 'export 需要 --out 文件夹' : 'export needs --out DIR');
      return 2;
    }
    const datasetConfigPath = resolve(out, 'dataset.toml');
    const exported = exportKohya(config, { datasetConfigPath });
    const configPath = resolve(out, 'config.toml');
    const written = [configPath];
    await writeFileAtomic(configPath, exported.configToml);
    if (exported.datasetToml !== null) {
      await writeFileAtomic(datasetConfigPath, exported.datasetToml);
      written.push(datasetConfigPath);
    }
    if (values['json'])
      io.out(
        JSON.stringify({ ok: true, script: exported.script, written, notices: exported.notices }, null, 2),
      );
    else {
      io.out(
        zh
          ? `已写入 ${written.map((path) => basename(path)).join('、')}，训练脚本：${exported.script}`
          : `Wrote ${written.map((path) => basename(path)).join(', ')}; script: ${exported.script}`,
      );
      for (const notice of exported.notices) io.out(`  ${say(notice.text, io.language)}`);
    }
    return 0;
  },
};

/** `danlu params`, `danlu presets`, `danlu config …`. */
export const paramsCommands: CliCommand[] = [paramsCommand, presetsCommand, configCommand, modelCommand];
