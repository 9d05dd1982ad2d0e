import { parseArgs, type ParseArgsConfig } from 'node:util';

import { version } from '@danlu/backend';
import { DanluError } from '@danlu/contracts';
import { defaultDataDir, type CliCommand, type CliIo, type CliOption } from '@danlu/node-utils';

import { allCommands } from './commands.js';
import { commandHelp, globalOptions, mainHelp } from './help.js';
import { pickLanguage } from './language.js';

type Options = NonNullable<ParseArgsConfig['options']>;

function toParseArgs(options: Record<string, CliOption>): Options {
  const result: Options = {};
  for (const [name, option] of Object.entries(options)) {
    result[name] = option.short ? { type: option.type, short: option.short } : { type: option.type };
  }
  return result;
}

export interface MainIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const processIo: MainIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
};

/** Runs `danlu …`; resolves to the exit code. Errors become one clear line, not a stack trace. */
export async function main(
  argv: string[],
  io: MainIo = processIo,
  commands: CliCommand[] = allCommands,
): Promise<number> {
  const name = argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined;
  const command = name ? commands.find((candidate) => candidate.name === name) : undefined;
  const rest = name ? argv.slice(1) : argv;

  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: rest,
      options: toParseArgs({ ...globalOptions, ...command?.options }),
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values as Record<string, string | boolean | undefined>;
    positionals = parsed.positionals;
  } catch (error) {
    const language = pickLanguage(undefined, io.env, defaultDataDir(io.env));
    io.err(`${language === 'zh-CN' ? '参数错误' : 'Invalid arguments'}: ${(error as Error).message}`);
    return 2;
  }

  const dataDir = (values['data-dir'] as string | undefined) ?? defaultDataDir(io.env);
  const language = pickLanguage(values['lang'] as string | undefined, io.env, dataDir);

  if (values['version']) {
    io.out(version);
    return 0;
  }
  if (name && !command) {
    io.err(language === 'zh-CN' ? `未知命令：${name}` : `Unknown command: ${name}`);
    io.err(mainHelp(commands, language));
    return 2;
  }
  if (!command || values['help']) {
    (command || values['help'] ? io.out : io.err)(
      command ? commandHelp(command, language) : mainHelp(commands, language),
    );
    return command || values['help'] ? 0 : 2;
  }

  const cliIo: CliIo = { language, out: io.out, err: io.err, dataDir };
  try {
    return await command.run({ values, positionals }, cliIo);
  } catch (error) {
    if (error instanceof DanluError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}
