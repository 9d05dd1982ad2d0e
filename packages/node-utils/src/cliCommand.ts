import type { Language } from '@danlu/contracts';

/** A text in both UI languages; the CLI picks one. */
export interface Bilingual {
  'zh-CN': string;
  en: string;
}

export interface CliOption {
  type: 'string' | 'boolean';
  short?: string;
  description: Bilingual;
  /** Shown as `--port <port>`. */
  valueName?: string;
}

export interface CliIo {
  language: Language;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Data folder chosen by --data-dir / DANLU_DATA_DIR / the platform default. */
  dataDir: string;
}

/**
 * One `danlu <name>` subcommand. Packages contribute arrays of these; apps/cli only parses, helps and
 * dispatches, so a later package adds commands without touching the CLI's core.
 */
export interface CliCommand {
  name: string;
  summary: Bilingual;
  usage?: string;
  options: Record<string, CliOption>;
  /** Positional arguments are passed through; resolves to the process exit code. */
  run(
    args: { values: Record<string, string | boolean | undefined>; positionals: string[] },
    io: CliIo,
  ): Promise<number>;
}
