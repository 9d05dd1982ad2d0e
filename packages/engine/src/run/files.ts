import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { writeFileAtomic } from '@danlu/node-utils';
import {
  applyPatch,
  exportKohya,
  resolveValues,
  type ExportNotice,
  type ParamValue,
  type TrainingConfig,
} from '@danlu/params';

/** The files of one run folder, by the names every other part of Danlu uses. */
export function runFiles(runDir: string) {
  return {
    configToml: join(runDir, 'config.toml'),
    datasetToml: join(runDir, 'dataset.toml'),
    prompts: join(runDir, 'prompts.txt'),
    outputDir: join(runDir, 'output'),
    /** kohya writes samples to `<output_dir>/sample`. */
    sampleDir: join(runDir, 'output', 'sample'),
    loggingDir: join(runDir, 'logs'),
    engineLog: join(runDir, 'engine.log'),
    metrics: join(runDir, 'metrics.jsonl'),
  };
}

/** Names Windows refuses as file names (also with an extension). */
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

/**
 * A file-name-safe output name: kohya builds `<name>-000002.safetensors` from it, so forbidden characters,
 * a trailing dot/space (Windows strips them) and reserved device names are replaced. Chinese stays.
 */
export function safeOutputName(name: string, fallback = 'lora'): string {
  let out = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_')
    .trim()
    .replace(/[. ]+$/, '');
  if (out.length > 120) out = out.slice(0, 120);
  if (out === '' || RESERVED.test(out)) out = fallback;
  return out;
}

export interface PrepareRunOptions {
  runDir: string;
  /** Sample prompts, one per line in kohya's txt syntax (`prompt --n neg --w 512 --d 1`). */
  samplePrompts?: readonly string[];
  /** Fallback output name when the configuration has none (the run name). */
  outputName?: string;
}

export interface PreparedRun {
  /** The configuration as launched: the run folder's own paths filled in. */
  config: TrainingConfig;
  script: string;
  configToml: string;
  datasetToml: string | null;
  prompts: string[];
  outputName: string;
  notices: ExportNotice[];
  files: ReturnType<typeof runFiles>;
}

function promptLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * What the engine gets for one run: the configuration with the run folder's own paths (output, logs,
 * prompts, dataset TOML) and the settings Danlu's parser relies on (plain console lines), exported with
 * @danlu/params. Pure: nothing is written (see writeRunFiles).
 */
export async function prepareRun(config: TrainingConfig, options: PrepareRunOptions): Promise<PreparedRun> {
  const files = runFiles(options.runDir);
  const values = resolveValues(config);
  let prompts = options.samplePrompts ? options.samplePrompts.flatMap(promptLines) : [];
  const promptFile = values.get('sample_prompts');
  if (prompts.length === 0 && typeof promptFile === 'string' && promptFile !== '') {
    // The run folder keeps its own copy, so a later edit of the user's file does not change history.
    try {
      prompts = promptLines(await readFile(promptFile, 'utf8'));
    } catch {
      prompts = [];
    }
  }
  const named = values.get('output_name');
  const outputName = safeOutputName(
    typeof named === 'string' && named.trim() !== '' ? named : (options.outputName ?? 'lora'),
  );
  const patch: Record<string, ParamValue | null> = {
    output_dir: files.outputDir,
    logging_dir: files.loggingDir,
    output_name: outputName,
    // Plain `%(message)s` lines on stdout instead of Rich's 80-column wrapping: the parser's contract.
    console_log_simple: true,
    sample_prompts: prompts.length > 0 ? files.prompts : null,
  };
  if (prompts.length === 0) {
    // Sampling without prompts crashes kohya at the first preview (params rule sampling-without-prompts).
    patch['sample_every_n_epochs'] = null;
    patch['sample_every_n_steps'] = null;
    patch['sample_at_first'] = false;
  }
  const launched = applyPatch(config, patch);
  const exported = exportKohya(launched, { datasetConfigPath: files.datasetToml });
  return {
    config: launched,
    script: exported.script,
    configToml: exported.configToml,
    datasetToml: exported.datasetToml,
    prompts,
    outputName,
    notices: exported.notices,
    files,
  };
}

/** Writes config.toml, dataset.toml and prompts.txt (UTF-8 without BOM, atomically). */
export async function writeRunFiles(prepared: PreparedRun): Promise<void> {
  const { files } = prepared;
  await writeFileAtomic(files.configToml, prepared.configToml);
  if (prepared.datasetToml !== null) await writeFileAtomic(files.datasetToml, prepared.datasetToml);
  if (prepared.prompts.length > 0) await writeFileAtomic(files.prompts, `${prepared.prompts.join('\n')}\n`);
}
