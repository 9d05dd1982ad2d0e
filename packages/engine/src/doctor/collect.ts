import { resolve } from 'node:path';

import type { GpuReport } from '@danlu/contracts';

import { findEngines, usualEngineRoots } from '../discovery/detect.js';
import { activeEngine } from '../discovery/preferences.js';
import { cachedProbe } from '../probe/cache.js';
import { runProbe } from '../probe/runProbe.js';
import type { ProbeOutcome } from '../probe/schema.js';
import type { EngineProfile } from '../profile.js';
import { freeBytes, readLongPathsEnabled } from '../system/windows.js';
import { text, type Text } from '../text.js';
import { overallStatus, type DoctorCard, type DoctorStatus } from './cards.js';
import { runDoctor, type DoctorRequest } from './checks.js';

export interface DoctorRunOptions {
  dataDir: string;
  gpus: GpuReport | null;
  request?: DoctorRequest;
  /** Run the probe again instead of using the cached one. */
  refresh?: boolean;
  /** Check this engine instead of the active one. */
  engine?: EngineProfile | null;
  engineProblem?: Text;
  /** Where to look when nothing is attached (default: the usual unpack places). */
  searchRoots?: string[];
  probeScript?: string;
  probeTimeoutMs?: number;
}

export interface DoctorRunResult {
  status: DoctorStatus;
  summary: Text;
  cards: DoctorCard[];
  engine: EngineProfile | null;
  probe: ProbeOutcome | null;
}

export function probeProfile(
  dataDir: string,
  profile: EngineProfile,
  options: { refresh?: boolean; probeScript?: string; probeTimeoutMs?: number } = {},
) {
  const run = () =>
    runProbe({
      pythonExe: profile.pythonExe,
      sdScriptsDir: profile.sdScriptsDir,
      ...(options.probeTimeoutMs ? { timeoutMs: options.probeTimeoutMs } : {}),
      ...(options.probeScript ? { probeScript: options.probeScript } : {}),
      // The user's extra variables (HF_ENDPOINT, proxies…) apply to the probe as to training.
      env: { ...process.env, ...profile.env },
    });
  return cachedProbe(dataDir, profile.id, run, { refresh: options.refresh ?? false });
}

export function doctorSummary(
  cards: DoctorCard[],
  engine: EngineProfile | null,
  gpus: GpuReport | null,
): Text {
  const noGpu = !gpus || gpus.gpus.length === 0;
  if (!engine && noGpu) {
    return text(
      '没有显卡，也没有训练引擎：这台电脑现在不能训练。可以在这里整理数据集和参数，再到有 NVIDIA 显卡的电脑上连接或安装引擎（danlu engine attach 文件夹 / danlu engine install）。',
      'No GPU, no engine: this machine cannot train yet. You can prepare datasets and parameters here, then attach or install an engine on a machine with an NVIDIA GPU (danlu engine attach DIR / danlu engine install).',
    );
  }
  if (!engine) {
    return text(
      '没有训练引擎：选择已有的秋叶 lora-scripts / kohya_ss / sd-scripts 文件夹（danlu engine attach 文件夹），或安装新引擎（danlu engine install）。',
      'No engine: attach an existing Qiuye lora-scripts / kohya_ss / sd-scripts folder (danlu engine attach DIR) or install a new one (danlu engine install).',
    );
  }
  const status = overallStatus(cards);
  if (status === 'ok') return text('环境正常，可以训练。', 'The environment is ready to train.');
  const problems = cards.filter((card) => card.status === 'error').length;
  return status === 'error'
    ? text(`发现 ${problems} 个问题，需要先解决。`, `${problems} problem(s) to fix first.`)
    : text('可以训练，但有需要注意的地方。', 'Ready to train, with warnings.');
}

/** Gathers everything the doctor needs (engine, probe, disk, paths, long paths) and runs it. */
export async function collectDoctor(options: DoctorRunOptions): Promise<DoctorRunResult> {
  let engine = options.engine === undefined ? await activeEngine(options.dataDir) : options.engine;
  if (engine === null && options.engine === undefined && !options.engineProblem)
    engine = (await findEngines(options.searchRoots ?? usualEngineRoots())).found[0] ?? null;
  const probe = engine
    ? (
        await probeProfile(options.dataDir, engine, {
          ...(options.refresh === undefined ? {} : { refresh: options.refresh }),
          ...(options.probeScript ? { probeScript: options.probeScript } : {}),
          ...(options.probeTimeoutMs ? { probeTimeoutMs: options.probeTimeoutMs } : {}),
        })
      ).outcome
    : null;
  const dataDir = resolve(options.dataDir);
  const free = await freeBytes(dataDir);
  const paths = [{ label: text('数据文件夹', 'Data folder'), path: dataDir }];
  if (engine) paths.push({ label: text('引擎', 'Engine'), path: engine.root });
  const cards = runDoctor({
    platform: process.platform,
    engine,
    engineProblem: options.engineProblem,
    probe,
    gpus: options.gpus,
    request: options.request,
    disks:
      free === undefined
        ? []
        : [{ label: text('数据文件夹', 'Data folder'), path: dataDir, freeBytes: free }],
    paths,
    longPathsEnabled: await readLongPathsEnabled(),
  });
  return {
    status: overallStatus(cards),
    summary: doctorSummary(cards, engine, options.gpus),
    cards,
    engine,
    probe,
  };
}
