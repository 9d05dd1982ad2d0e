import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import type { GpuReport, Language } from '@danlu/contracts';
import type { CliCommand, CliIo, CliOption } from '@danlu/node-utils';

import { detectEngine } from './discovery/detect.js';
import { attachEngine, loadEngines } from './discovery/store.js';
import type { DoctorCard } from './doctor/cards.js';
import type { DoctorRequest } from './doctor/checks.js';
import { collectDoctor } from './doctor/collect.js';
import { createDiagnosticsBundle } from './doctor/diagnostics.js';
import { updateEnvironmentPrefs, readEnvironmentPrefs } from './discovery/preferences.js';
import { executeInstallPlan, type InstallEvent } from './install/runner.js';
import { formatInstallPlan } from './install/format.js';
import { mirrorPreset } from './install/mirrors.js';
import { buildInstallPlan, type InstallGpu, type InstallPlan, type InstallPlatform } from './install/plan.js';
import { cachedProbe } from './probe/cache.js';
import { runProbe } from './probe/runProbe.js';
import type { ProbeOutcome } from './probe/schema.js';
import type { EngineProfile } from './profile.js';
import { say, type Text } from './text.js';

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
      let engine: EngineProfile | null | undefined;
      let engineProblem: Text | undefined;
      const dir = values['engine'];
      if (typeof dir === 'string') {
        const detected = await detectEngine(dir);
        engine = detected.ok ? detected.profile : null;
        if (!detected.ok) engineProblem = detected.reason;
      }
      const result = await collectDoctor({
        dataDir: io.dataDir,
        gpus,
        request: request(values),
        refresh: true,
        ...(engine === undefined ? {} : { engine }),
        ...(engineProblem ? { engineProblem } : {}),
        ...(deps.searchRoots ? { searchRoots: deps.searchRoots } : {}),
        ...(deps.probeScript ? { probeScript: deps.probeScript } : {}),
        ...(deps.probeTimeoutMs ? { probeTimeoutMs: deps.probeTimeoutMs } : {}),
      });
      const { cards, probe } = result;
      engine = result.engine;
      const { status, summary } = result;
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
      'zh-CN': '训练引擎：list / attach 文件夹 / probe [文件夹] / install [--dry-run]',
      en: 'Training engines: list / attach DIR / probe [DIR] / install [--dry-run]',
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
        description: {
          'zh-CN': '只显示安装计划，不下载',
          en: 'Only print the install plan, download nothing',
        },
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
  if (values['dry-run']) {
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
  if (platform !== (process.platform === 'win32' ? 'win32' : 'linux')) {
    io.err(
      zh
        ? '只能为本机系统安装引擎（--platform 仅用于 --dry-run）。'
        : 'An engine can only be installed for this system (--platform is for --dry-run only).',
    );
    return 2;
  }
  return runInstall(plan, io);
}

function describeEvent(event: InstallEvent, zh: boolean): string | undefined {
  switch (event.type) {
    case 'started':
      return `[${String(event.index + 1)}/${String(event.total)}] ${event.stage} …`;
    case 'completed':
      return `    ${zh ? '完成' : 'done'}: ${event.stage}`;
    case 'skipped':
      return event.reason === 'done'
        ? `    ${zh ? '已完成，跳过' : 'already done, skipped'}: ${event.stage}`
        : undefined;
    case 'failed':
      return `    ${zh ? '失败' : 'FAILED'}: ${event.stage}`;
    case 'download': {
      const inner = event.event;
      if (inner.type === 'progress') {
        const mb = (inner.received / 1024 ** 2).toFixed(1);
        const total = inner.total ? ` / ${(inner.total / 1024 ** 2).toFixed(1)} MB` : ' MB';
        return `    ${zh ? '下载' : 'download'} ${mb}${total}`;
      }
      if (inner.type === 'retry') return `    ${zh ? '重试' : 'retry'} ${inner.url} (${inner.reason}) …`;
      if (inner.type === 'mirror_failed')
        return `    ${zh ? '换下一个下载源' : 'next source'}: ${inner.url} — ${inner.reason}`;
      return inner.reused ? `    ${zh ? '已下载' : 'already downloaded'}: ${inner.url}` : undefined;
    }
    case 'extract':
      return `    ${zh ? '解压' : 'extract'} ${event.archive}`;
    case 'command':
      return `    $ ${event.argv.join(' ')}`;
    case 'output':
      return /^(Collecting|Downloading|Installing|Successfully|ERROR)/.test(event.line)
        ? `      ${event.line}`
        : undefined;
    case 'probe':
      return `    ${say(event.outcome.message, zh ? 'zh-CN' : 'en')}`;
  }
}

async function runInstall(plan: InstallPlan, io: CliIo): Promise<number> {
  const zh = io.language === 'zh-CN';
  const logFile = join(resolve(io.dataDir), 'logs', 'engine-install.log');
  io.out(formatInstallPlan(plan, io.language).split('\n')[0] ?? '');
  io.out(
    zh
      ? `将下载数 GB 的文件。按 Ctrl+C 可随时停止，之后重新运行同一命令会接着安装。日志：${logFile}`
      : `This downloads several GB. Press Ctrl+C to stop at any time; running the same command again continues. Log: ${logFile}`,
  );
  const controller = new AbortController();
  const onSigint = () => {
    io.err(zh ? '\n正在停止…（再次运行即可继续）' : '\nStopping… (run again to continue)');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  let lastProgress = 0;
  try {
    const result = await executeInstallPlan(plan, {
      logFile,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'download' && event.event.type === 'progress') {
          if (Date.now() - lastProgress < 2000) return;
          lastProgress = Date.now();
        }
        const line = describeEvent(event, zh);
        if (line) io.out(line);
      },
    });
    if (result.cancelled) {
      io.err(
        zh
          ? '已停止。再次运行 danlu engine install 会从中断处继续。'
          : 'Stopped. Run danlu engine install again to continue where it stopped.',
      );
      return 130;
    }
    if (!result.ok) {
      io.err(result.explanation ? say(result.explanation, io.language) : (result.failed?.message ?? ''));
      if (result.failed) io.err(result.failed.message.split('\n').slice(-6).join('\n'));
      return 1;
    }
    const attached = await attachEngine(io.dataDir, plan.targetDir, { pythonExe: plan.pythonExe });
    if (attached.ok && !(await readEnvironmentPrefs(io.dataDir)).activeEngineId)
      await updateEnvironmentPrefs(io.dataDir, { activeEngineId: attached.profile.id });
    io.out(zh ? `安装完成，已连接：${plan.targetDir}` : `Installed and attached: ${plan.targetDir}`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function diagnosticsCommand(deps: EngineCliDeps): CliCommand {
  return {
    name: 'diagnostics',
    summary: {
      'zh-CN': '生成诊断包（版本、设置、引擎、检测结果、日志末尾），用于求助',
      en: 'Write a diagnostics bundle (versions, settings, engines, probes, log tails) to share when asking for help',
    },
    usage: 'danlu diagnostics [--mask] [--json]',
    options: {
      json,
      mask: {
        type: 'boolean',
        description: {
          'zh-CN': '把路径中的用户名替换为 <user>',
          en: 'Replace the user name in paths with <user>',
        },
      },
    },
    async run({ values }, io) {
      const gpus = deps.queryGpus ? await deps.queryGpus() : null;
      const doctor = await collectDoctor({
        dataDir: io.dataDir,
        gpus,
        ...(deps.searchRoots ? { searchRoots: deps.searchRoots } : {}),
      });
      let settings: unknown = null;
      try {
        settings = JSON.parse(await readFile(join(io.dataDir, 'settings.json'), 'utf8'));
      } catch {
        // no settings yet
      }
      const bundle = await createDiagnosticsBundle({
        dataDir: io.dataDir,
        logsDir: join(io.dataDir, 'logs'),
        runsDir: join(io.dataDir, 'runs'),
        app: {
          via: 'danlu cli',
          platform: process.platform,
          arch: process.arch,
          node: process.versions.node,
        },
        settings,
        gpus,
        doctor: { status: doctor.status, cards: doctor.cards },
        maskUserPaths: values['mask'] === true,
      });
      if (values['json']) print(io, bundle);
      else {
        io.out(zh(io) ? `诊断包已生成：${bundle.zip}` : `Diagnostics bundle written: ${bundle.zip}`);
        io.out(`    ${bundle.folder}`);
      }
      return 0;
    },
  };
}

const zh = (io: CliIo) => io.language === 'zh-CN';

/** The `danlu doctor` and `danlu engine …` commands, wired to the GPU query the caller provides. */
export function createEngineCommands(deps: EngineCliDeps = {}): CliCommand[] {
  return [doctorCommand(deps), engineCommand(deps), diagnosticsCommand(deps)];
}

/** Without a GPU query: the doctor then reports the GPU from the probe only. Prefer createEngineCommands. */
export const engineCommands: CliCommand[] = createEngineCommands();
