import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { writeFileAtomic } from '@danlu/node-utils';

import { runProbe } from '../probe/runProbe.js';
import type { ProbeOutcome } from '../probe/schema.js';
import { text } from '../text.js';
import {
  downloadFile,
  InstallCancelledError,
  InstallStepError,
  parseSha256Sums,
  type DownloadEvent,
} from './download.js';
import { extractTarGz } from './extract.js';
import type { InstallAction, InstallPlan, InstallStage, StageId } from './plan.js';
import { explainCommandFailure, runLogged } from './process.js';
import { runInstallPlan, type RunPlanResult, type StageEvent } from './state.js';

/** Everything the install reports while it works, for the CLI's lines and the UI's progress bars. */
export type InstallEvent =
  | StageEvent
  | ({ stage: StageId } & (
      | { type: 'download'; event: DownloadEvent }
      | { type: 'extract'; archive: string; dest: string }
      | { type: 'command'; argv: string[] }
      | { type: 'output'; line: string }
      | { type: 'probe'; outcome: ProbeOutcome }
    ));

export interface RunnerOptions {
  /** Install log: every command and its output. */
  logFile: string;
  signal?: AbortSignal;
  onEvent?: (event: InstallEvent) => void;
  /** Tests point these at local fakes; the defaults are the real ones. */
  fetchImpl?: typeof fetch;
  probeScript?: string;
  probeTimeoutMs?: number;
  baseEnv?: NodeJS.ProcessEnv;
  download?: { attemptsPerUrl?: number; backoffMs?: number; idleTimeoutMs?: number };
}

/** The digest of the file to fetch, from the release's SHA256SUMS (tried through the same mirrors). */
async function digestFromSums(
  action: Extract<InstallAction, { kind: 'download' }>,
  options: RunnerOptions,
  stage: StageId,
): Promise<string | null> {
  if (action.sha256 || !action.sha256SumsUrls?.length) return action.sha256;
  const sumsFile = join(dirname(action.dest), `${basename(action.dest)}.SHA256SUMS`);
  await downloadFile({
    urls: action.sha256SumsUrls,
    dest: sumsFile,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    ...options.download,
    onEvent: (event) => options.onEvent?.({ stage, type: 'download', event }),
  });
  // The archive's name inside SHA256SUMS is the decoded last URL segment of the official URL.
  const official = action.urls.at(-1) ?? '';
  const name = decodeURIComponent(official.split('/').at(-1) ?? '');
  const digest = parseSha256Sums(await readFile(sumsFile, 'utf8'), name);
  if (!digest)
    throw new InstallStepError(
      text(
        `校验文件里没有 ${name} 的 sha256，无法确认下载是否完整。请稍后重试，或换一个下载源。`,
        `The checksum file has no sha256 for ${name}, so the download cannot be verified. Retry later or switch the download source.`,
      ),
      `no entry for ${name} in ${sumsFile}`,
    );
  return digest;
}

async function runAction(
  action: InstallAction,
  stage: InstallStage,
  plan: InstallPlan,
  options: RunnerOptions,
): Promise<void> {
  const emit = (event: InstallEvent) => options.onEvent?.(event);
  switch (action.kind) {
    case 'download': {
      const sha256 = await digestFromSums(action, options, stage.id);
      await downloadFile({
        urls: action.urls,
        dest: action.dest,
        sha256,
        ...(action.magic ? { magic: action.magic } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
        ...options.download,
        onEvent: (event) => {
          emit({ stage: stage.id, type: 'download', event });
        },
      });
      return;
    }
    case 'extract': {
      emit({ stage: stage.id, type: 'extract', archive: action.archive, dest: action.dest });
      try {
        await extractTarGz(action.archive, action.dest, {
          stripComponents: action.stripComponents,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        if (error instanceof InstallCancelledError) throw error;
        throw new InstallStepError(
          text(
            `解压 ${basename(action.archive)} 失败：文件可能不完整或已损坏。删除它后重试即可重新下载。`,
            `Extracting ${basename(action.archive)} failed: the file may be incomplete or damaged. Delete it and retry to download it again.`,
          ),
          error instanceof Error ? error.message : String(error),
        );
      }
      return;
    }
    case 'write':
      await writeFileAtomic(action.path, action.content);
      return;
    case 'run': {
      emit({ stage: stage.id, type: 'command', argv: action.argv });
      const { exitCode, tail } = await runLogged(action.argv, {
        cwd: action.cwd,
        env: plan.env,
        logFile: options.logFile,
        signal: options.signal,
        ...(options.baseEnv ? { baseEnv: options.baseEnv } : {}),
        onLine: (line) => {
          emit({ stage: stage.id, type: 'output', line });
        },
      });
      if (exitCode !== 0)
        throw new InstallStepError(
          explainCommandFailure(tail, exitCode, options.logFile),
          tail.slice(-8).join('\n') || `exit code ${String(exitCode)}`,
        );
      return;
    }
    case 'probe': {
      const outcome = await runProbe({
        pythonExe: action.pythonExe,
        sdScriptsDir: action.sdScriptsDir,
        ...(options.probeScript ? { probeScript: options.probeScript } : {}),
        timeoutMs: options.probeTimeoutMs ?? 120_000,
        ...(options.baseEnv ? { env: options.baseEnv } : {}),
      });
      emit({ stage: stage.id, type: 'probe', outcome });
      if (outcome.status !== 'ok')
        throw new InstallStepError(outcome.message, outcome.outputTail ?? outcome.status);
      if (!outcome.report?.torch.importable)
        throw new InstallStepError(
          text(
            '安装完成后 torch 仍无法导入，请查看安装日志，然后重试 torch 这一步。',
            'torch still does not import after the install; see the install log, then retry the torch stage.',
          ),
          outcome.report?.torch.error ?? 'torch not importable',
        );
      return;
    }
  }
}

/** Where an install into `targetDir` keeps its resumable state. */
export function installStateFile(targetDir: string): string {
  return join(targetDir, 'danlu-install-state.json');
}

export interface InstallResult extends RunPlanResult {
  cancelled: boolean;
  /** The bilingual explanation of the failure, when there is one. */
  explanation?: { zh: string; en: string };
  logFile: string;
}

/**
 * Runs the plan for real: downloads (resumed, verified, mirror by mirror), extractions, pip commands and
 * the final probe, stage by stage through `runInstallPlan`, so a failed, cancelled or crashed install
 * continues at the first unfinished stage next time.
 */
export async function executeInstallPlan(plan: InstallPlan, options: RunnerOptions): Promise<InstallResult> {
  await mkdir(plan.targetDir, { recursive: true });
  let explanation: InstallResult['explanation'];
  let cancelled = false;
  const result = await runInstallPlan(
    plan,
    installStateFile(plan.targetDir),
    async (stage) => {
      for (const action of stage.actions) {
        if (options.signal?.aborted) throw new InstallCancelledError();
        try {
          await runAction(action, stage, plan, options);
        } catch (error) {
          if (error instanceof InstallCancelledError) cancelled = true;
          if (error instanceof InstallStepError) explanation = error.explanation;
          throw error;
        }
      }
    },
    { onEvent: (event) => options.onEvent?.(event) },
  );
  return { ...result, cancelled, ...(explanation ? { explanation } : {}), logFile: options.logFile };
}
