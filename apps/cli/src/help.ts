import type { Language } from '@danlu/contracts';
import type { CliCommand, CliOption } from '@danlu/node-utils';

export const globalOptions: Record<string, CliOption> = {
  lang: {
    type: 'string',
    valueName: 'zh-CN|en',
    description: { 'zh-CN': '输出语言', en: 'Output language' },
  },
  'data-dir': {
    type: 'string',
    valueName: 'dir',
    description: {
      'zh-CN': '丹炉数据文件夹（默认按系统决定）',
      en: "Danlu's data folder (platform default otherwise)",
    },
  },
  help: { type: 'boolean', short: 'h', description: { 'zh-CN': '显示帮助', en: 'Show help' } },
  version: { type: 'boolean', short: 'v', description: { 'zh-CN': '显示版本', en: 'Show the version' } },
};

function optionLines(options: Record<string, CliOption>, language: Language): string[] {
  const entries = Object.entries(options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.valueName ? ` <${option.valueName}>` : ''}`;
    return [flag, option.description[language]] as const;
  });
  const width = Math.max(0, ...entries.map(([flag]) => flag.length));
  return entries.map(([flag, text]) => `  ${flag.padEnd(width + 2)}${text}`);
}

export function mainHelp(commands: CliCommand[], language: Language): string {
  const zh = language === 'zh-CN';
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    zh
      ? '丹炉 Danlu — Stable Diffusion LoRA 训练工作室'
      : 'Danlu (丹炉) — a LoRA training studio for Stable Diffusion',
    '',
    zh ? '用法: danlu <命令> [选项]' : 'Usage: danlu <command> [options]',
    '',
    zh ? '命令:' : 'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width + 2)}${command.summary[language]}`),
    '',
    zh ? '通用选项:' : 'Global options:',
    ...optionLines(globalOptions, language),
    '',
    zh ? '查看某个命令的帮助: danlu <命令> --help' : 'Help for one command: danlu <command> --help',
  ].join('\n');
}

export function commandHelp(command: CliCommand, language: Language): string {
  const zh = language === 'zh-CN';
  return [
    command.summary[language],
    '',
    `${zh ? '用法' : 'Usage'}: danlu ${command.name}${command.usage ? ` ${command.usage}` : ''} [${zh ? '选项' : 'options'}]`,
    '',
    zh ? '选项:' : 'Options:',
    ...optionLines({ ...command.options, ...globalOptions }, language),
  ].join('\n');
}
