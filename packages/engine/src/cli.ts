import { join, resolve } from 'node:path';

import type { GpuReport, Language } from '@danlu/contracts';
import type { CliCommand, CliIo, CliOption } from '@danlu/node-utils';

import { detectEngine, findEngines, usualEngineRoots } from './discovery/detect.js';
import { attachEngine, loadEngines } from './discovery/store.js';
import { overallStatus, type DoctorCard } from './doctor/cards.js';
import { runDoctor, type DoctorRequest } from './doctor/checks.js';
import { formatInstallPlan } from './install/format.js';
import { mirrorPreset } from './install/mirrors.js';
import { buildInstallPlan, type InstallGpu, type InstallPlatform } from './install/plan.js';
import { cachedProbe } from './probe/cache.js';
import { runProbe } from './probe/runProbe.js';
import type { ProbeOutcome } from './probe/schema.js';
import type { EngineProfile } from './profile.js';
import { say, text, type Text } from './text.js';
import { freeBytes, readLongPathsEnabled } from './system/windows.js';

/**
 * What the engine commands need from outside the package. The GPU query lives in @danlu/backend
 * (nvidia-smi), which depends on this package, so it is handed in rather than imported.
 */
export interface EngineCliDeps {
  queryGpus?: () => Promise<GpuReport>;
  probeTimeoutMs?: number;
  probeScript?: string;
  /** Where `danlu doctor` looks when no engine is attached (default: the usual unpack places). */
  searchRoots?: string[];
}

const json: CliOption = { type: 'boolean', description: { 'zh-CN': '以 JSON 输出', en: 'Print JSON' } };

function print(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

function statusMark(status: DoctorCard['status']): string {
  return { ok: '[ OK ]', warning: '[ !! ]', error: '[FAIL]' }[status];
}

function summaryFor(cards: DoctorCard[], engine: EngineProfile | null, gpus: GpuReport | null): Text {
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

function printCards(io: CliIo, cards: DoctorCard[], summary: Text): void {
  for (const card of cards) {
    io.out(`${statusMark(card.status)} ${say(card.title, io.language)}`);
    io.out(`       ${say(card.detail, io.language)}`);
    if (card.fix) io.out(`       → ${say(card.fix.label, io.language)} (${card.fix.id})`);
  }
  io.out('');
  io.out(say(summary, io.language));
}

async function probeEngine(
  profile: EngineProfile,
  io: CliIo,
  deps: EngineCliDeps,
  refresh: boolean,
): Promise<ProbeOutcome> {
  const run = () =>
    runProbe({
      pythonExe: profile.pythonExe,
      sdScriptsDir: profile.sdScriptsDir,
      ...(deps.probeTimeoutMs ? { timeoutMs: deps.probeTimeoutMs } : {}),
      ...(deps.probeScript ? { probeScript: deps.probeScript } : {}),
    });
  return (await cachedProbe(io.dataDir, profile.id, run, { refresh })).outcome;
}

function request(values: Record<string, string | boolean | undefined>): DoctorRequest {
  const precision = values['precision'];
  const optimizer = values['optimizer'];
  const network = values['network'];
  return {
    mixedPrecision:
      precision === 'bf16' || precision === 'fp16' || precision === 'no' || precision === 'fp8'
        ? precision
        : undefined,
    optimizer: typeof optimizer === 'string' ? optimizer : undefined,
    networkModule: typeof network === 'string' ? network : undefined,
    xformers: values['xformers'] === true,
  };
}

function doctorCommand(deps: EngineCliDeps): CliCommand {
  return {
    name: 'doctor',
    summary: {
      'zh-CN': '检查训练环境：显卡、驱动、Python、torch、依赖、磁盘与路径',
      en: 'Check the training environment: GPU, driver, Python, torch, packages, disk and paths',
    },
    usage:
      'danlu doctor [--json] [--engine DIR] [--precision bf16] [--optimizer AdamW8bit] [--network lycoris.kohya]',
    options: {
      json,
      engine: {
        type: 'string',
        valueName: 'dir',
        description: {
          'zh-CN': '检查这个引擎文件夹（不连接）',
          en: 'Check this engine folder (without attaching it)',
        },
      },
      precision: {
        type: 'string',
        valueName: 'fp16|bf16',
        description: { 'zh-CN': '计划使用的混合精度', en: 'Mixed precision you plan to use' },
      },
      optimizer: {
        type: 'string',
        valueName: 'name',
        description: { 'zh-CN': '计划使用的优化器', en: 'Optimizer you plan to use' },
      },
      network: {
        type: 'string',
        valueName: 'module',
        description: { 'zh-CN': '计划使用的网络模块', en: 'Network module you plan to use' },
      },
      xformers: {
        type: 'boolean',
        description: { 'zh-CN': '计划使用 xformers', en: 'You plan to use xformers' },
      },
    },
    async run({ values }, io) {
      const gpus = deps.queryGpus ? await deps.queryGpus() : null;
      let engine: EngineProfile | null = null;
      let engineProblem: Text | undefined;
      const dir = values['engine'];
      if (typeof dir === 'string') {
        const detected = await detectEngine(dir);
        if (detected.ok) engine = detected.profile;
        else engineProblem = detected.reason;
      } else {
        engine = (await loadEngines(io.dataDir)).engines[0] ?? null;
        // Nothing attached: look where these packages are usually unpacked, without attaching.
        engine ??= (await findEngines(deps.searchRoots ?? usualEngineRoots())).found[0] ?? null;
      }
      const probe = engine ? await probeEngine(engine, io, deps, true) : null;
      const free = await freeBytes(io.dataDir);
      const paths = [{ label: text('数据文件夹', 'Data folder'), path: resolve(io.dataDir) }];
      if (engine) paths.push({ label: text('引擎', 'Engine'), path: engine.root });
      const cards = runDoctor({
        platform: process.platform,
        engine,
        engineProblem,
        probe,
        gpus,
        request: request(values),
        disks:
          free === undefined
            ? []
            : [{ label: text('数据文件夹', 'Data folder'), path: resolve(io.dataDir), freeBytes: free }],
        paths,
        longPathsEnabled: await readLongPathsEnabled(),
      });
      const status = overallStatus(cards);
      const summary = summaryFor(cards, engine, gpus);
      if (values['json']) {
        print(io, {
          status,
          summary,
          noGpu: !gpus?.gpus.length,
          noEngine: !engine,
          cards,
          engine,
          probe,
          gpus,
        });
      } else {
        printCards(io, cards, summary);
      }
      return status === 'error' ? 1 : 0;
    },
  };
}

function describeProbe(outcome: ProbeOutcome, language: Language): string[] {
  const lines = [say(outcome.message, language)];
  const report = outcome.report;
  if (!report) {
    if (outcome.outputTail) lines.push(outcome.outputTail.trim().split('\n').slice(-8).join('\n'));
    return lines;
  }
  const torch = report.torch;
  lines.push(`Python   ${report.python.version}  ${report.python.executable}`);
  lines.push(
    torch.importable
      ? `torch    ${torch.version ?? '?'}  CUDA ${torch.cudaBuild ?? '-'}  available=${String(torch.cudaAvailable ?? false)}`
      : `torch    ${language === 'zh-CN' ? '未安装' : 'missing'}${torch.error ? ` (${torch.error})` : ''}`,
  );
  for (const gpu of torch.gpus ?? []) {
    lines.push(
      `GPU ${gpu.index}    ${gpu.name}  ${(gpu.totalMemoryBytes / 1024 ** 3).toFixed(1)} GB  sm_${gpu.capability.join('')}`,
    );
  }
  for (const pkg of report.packages) lines.push(`  ${pkg.name.padEnd(14)} ${pkg.version ?? '-'}`);
  if (report.sdScripts?.exists) {
    const info = report.sdScripts;
    lines.push(
      `sd-scripts ${info.tags?.join(',') ?? info.branch ?? ''} ${info.commit?.slice(0, 8) ?? ''} ${info.scripts?.join(' ') ?? ''}`.trim(),
    );
  }
  return lines;
}

function engineCommand(deps: EngineCliDeps): CliCommand {
  return {
    name: 'engine',
    summary: {
      'zh-CN': '训练引擎：list / attach 文件夹 / probe [文件夹] / install --dry-run',
      en: 'Training engines: list / attach DIR / probe [DIR] / install --dry-run',
    },
    usage:
      'danlu engine list | attach DIR [--python EXE] | probe [DIR] | install --dry-run [--mirror cn] [--gpu rtx50|rtx40|cpu] [--platform win32|linux] [--target DIR] [--json]',
    options: {
      json,
      python: {
        type: 'string',
        valueName: 'exe',
        description: { 'zh-CN': '指定引擎使用的 Python', en: 'Use this Python for the engine' },
      },
      'dry-run': {
        type: 'boolean',
        description: { 'zh-CN': '只显示安装计划', en: 'Only print the install plan' },
      },
      mirror: {
        type: 'string',
        valueName: 'cn|official',
        description: { 'zh-CN': '下载源：cn 为国内镜像', en: 'Download sources: cn for China mirrors' },
      },
      gpu: {
        type: 'string',
        valueName: 'rtx50|rtx40|cpu',
        description: { 'zh-CN': '目标显卡（默认自动检测）', en: 'Target GPU (detected by default)' },
      },
      platform: {
        type: 'string',
        valueName: 'win32|linux',
        description: { 'zh-CN': '目标系统（默认本机）', en: 'Target system (default: this one)' },
      },
      target: {
        type: 'string',
        valueName: 'dir',
        description: { 'zh-CN': '安装到的文件夹', en: 'Folder to install into' },
      },
    },
    async run({ values, positionals }, io) {
      const zh = io.language === 'zh-CN';
      const [action, ...rest] = positionals;
      switch (action) {
        case 'list': {
          const { engines, dropped } = await loadEngines(io.dataDir);
          if (values['json']) {
            print(io, { engines, dropped });
            return 0;
          }
          if (!engines.length) io.out(zh ? '还没有连接任何引擎。' : 'No engine attached yet.');
          for (const engine of engines) {
            io.out(`${engine.id}  ${say(engine.label, io.language)}`);
            io.out(`    sd-scripts: ${engine.sdScriptsDir}`);
            io.out(`    Python:     ${engine.pythonExe ?? (zh ? '（没有找到）' : '(none found)')}`);
          }
          if (dropped)
            io.err(zh ? `忽略了 ${dropped} 条无效记录。` : `Ignored ${dropped} invalid entr(y/ies).`);
          return 0;
        }
        case 'attach': {
          const dir = rest[0];
          if (!dir) {
            io.err(zh ? '用法：danlu engine attach 文件夹' : 'Usage: danlu engine attach DIR');
            return 2;
          }
          const python = values['python'];
          const result = await attachEngine(
            io.dataDir,
            dir,
            typeof python === 'string' ? { pythonExe: python } : {},
          );
          if (values['json']) print(io, result);
          if (!result.ok) {
            if (!values['json']) {
              io.err(say(result.reason, io.language));
              io.err(`${zh ? '需要的文件' : 'Expected'}: ${result.expected.join(', ')}`);
            }
            return 1;
          }
          if (!values['json']) {
            io.out(
              `${zh ? '已连接' : 'Attached'}: ${say(result.profile.label, io.language)} (${result.profile.id})`,
            );
            io.out(`    sd-scripts: ${result.profile.sdScriptsDir}`);
            io.out(`    Python:     ${result.profile.pythonExe ?? (zh ? '（没有找到）' : '(none found)')}`);
            io.out(`    ${zh ? '训练脚本' : 'Scripts'}:  ${result.profile.scripts.join(', ')}`);
          }
          return 0;
        }
        case 'probe': {
          let profiles: EngineProfile[];
          if (rest[0]) {
            const detected = await detectEngine(rest[0]);
            if (!detected.ok) {
              if (values['json']) print(io, detected);
              else io.err(say(detected.reason, io.language));
              return 1;
            }
            profiles = [detected.profile];
          } else {
            profiles = (await loadEngines(io.dataDir)).engines;
            if (!profiles.length) {
              io.err(
                zh
                  ? '还没有连接任何引擎：danlu engine probe 文件夹'
                  : 'No engine attached: danlu engine probe DIR',
              );
              return 1;
            }
          }
          const results: { engine: EngineProfile; probe: ProbeOutcome }[] = [];
          for (const engine of profiles)
            results.push({ engine, probe: await probeEngine(engine, io, deps, true) });
          if (values['json']) print(io, results);
          else {
            for (const { engine, probe } of results) {
              io.out(`== ${say(engine.label, io.language)} (${engine.root})`);
              for (const line of describeProbe(probe, io.language)) io.out(line);
            }
          }
          return results.every(({ probe }) => probe.status === 'ok') ? 0 : 1;
        }
        case 'install':
          return install(values, io, deps);
        default:
          io.err(
            zh
              ? '用法：danlu engine list | attach 文件夹 | probe [文件夹] | install --dry-run'
              : 'Usage: danlu engine list | attach DIR | probe [DIR] | install --dry-run',
          );
          return 2;
      }
    },
  };
}

async function install(
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
  deps: EngineCliDeps,
): Promise<number> {
  const zh = io.language === 'zh-CN';
  if (!values['dry-run']) {
    io.err(
      zh
        ? '这个版本还不能真正安装引擎（下载与安装尚未实现）。用 danlu engine install --dry-run 查看完整的安装计划，或连接已有的引擎：danlu engine attach 文件夹。'
        : 'This version cannot install an engine yet (downloading and installing are not implemented). Use danlu engine install --dry-run to see the full plan, or attach an existing engine: danlu engine attach DIR.',
    );
    return 2;
  }
  const platformValue = values['platform'] ?? (process.platform === 'win32' ? 'win32' : 'linux');
  if (platformValue !== 'win32' && platformValue !== 'linux') {
    io.err(
      zh
        ? `不支持的系统：${String(platformValue)}（win32 或 linux）`
        : `Unsupported platform: ${String(platformValue)} (win32 or linux)`,
    );
    return 2;
  }
  const platform: InstallPlatform = platformValue;
  let gpu: InstallGpu;
  const gpuValue = values['gpu'];
  if (gpuValue === 'rtx50' || gpuValue === 'rtx40' || gpuValue === 'cpu') gpu = gpuValue;
  else if (gpuValue !== undefined) {
    io.err(
      zh
        ? `未知显卡类型：${String(gpuValue)}（rtx50、rtx40 或 cpu）`
        : `Unknown GPU kind: ${String(gpuValue)} (rtx50, rtx40 or cpu)`,
    );
    return 2;
  } else {
    const report = deps.queryGpus ? await deps.queryGpus() : undefined;
    const names = report?.gpus.map((entry) => entry.name) ?? [];
    gpu = names.some((name) => /RTX\s*50\d0|BLACKWELL/i.test(name))
      ? 'rtx50'
      : names.length
        ? 'rtx40'
        : 'cpu';
  }
  const mirror = values['mirror'];
  if (mirror !== undefined && mirror !== 'cn' && mirror !== 'official') {
    io.err(
      zh
        ? `未知镜像：${String(mirror)}（cn 或 official）`
        : `Unknown mirror: ${String(mirror)} (cn or official)`,
    );
    return 2;
  }
  const hostMatches = (platform === 'win32') === (process.platform === 'win32');
  const target =
    typeof values['target'] === 'string'
      ? values['target']
      : hostMatches
        ? join(resolve(io.dataDir), 'engine')
        : platform === 'win32'
          ? 'D:\\Danlu\\engine'
          : '/opt/danlu/engine';
  const plan = buildInstallPlan({
    platform,
    gpu,
    targetDir: target,
    mirrors: mirrorPreset(mirror === 'cn' ? 'cn' : 'official'),
  });
  if (values['json']) print(io, { dryRun: true, plan });
  else {
    io.out(formatInstallPlan(plan, io.language));
    io.out('');
    io.out(
      zh ? '（仅为计划：没有下载或安装任何东西。）' : '(Plan only: nothing was downloaded or installed.)',
    );
  }
  return 0;
}

/** The `danlu doctor` and `danlu engine …` commands, wired to the GPU query the caller provides. */
export function createEngineCommands(deps: EngineCliDeps = {}): CliCommand[] {
  return [doctorCommand(deps), engineCommand(deps)];
}

/** Without a GPU query: the doctor then reports the GPU from the probe only. Prefer createEngineCommands. */
export const engineCommands: CliCommand[] = createEngineCommands();
