import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Language, RunProgress, RunSummary, RunUpdate } from '@danlu/contracts';
import { activeEngine, loadEngines, trainingGpuIndices } from '@danlu/engine';
import type { CliCommand, CliIo, CliOption } from '@danlu/node-utils';
import { importConfig, TrainingConfigSchema, type TrainingConfig } from '@danlu/params';

import type { RunEngine } from './record.js';
import { RunService } from './service.js';

export interface RunCliDeps {
  /** Danlu's resources (the launcher shim); default = the repository's resources/ folder. */
  resourcesDir?: string;
  /** Replaces SIGINT handling (tests): called with the function that stops the run. */
  onInterrupt?: (stop: () => void) => () => void;
  stopGraceMs?: number;
  pollMs?: number;
}

function defaultResourcesDir(): string {
  const candidate = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'resources');
  return existsSync(candidate) ? candidate : join(process.cwd(), 'resources');
}

const say = (language: Language, zh: string, en: string) => (language === 'zh-CN' ? zh : en);

const json: CliOption = {
  type: 'boolean',
  description: { 'zh-CN': '以 JSON 行输出', en: 'Print JSON lines' },
};

/** UTF-8 (with or without BOM), UTF-16 with BOM, else GBK — old Chinese presets are often GBK. */
function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseEnvAssignment(text: string): [string, string] | null {
  const i = text.indexOf('=');
  if (i <= 0) return null;
  const key = text.slice(0, i).trim();
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? [key, text.slice(i + 1)] : null;
}

function clock(seconds: number | null): string {
  if (seconds === null) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

export function progressLine(p: RunProgress, language: Language): string {
  const rate =
    p.stepsPerSecond === null
      ? '?'
      : p.stepsPerSecond >= 1
        ? `${p.stepsPerSecond.toFixed(2)} it/s`
        : `${(1 / p.stepsPerSecond).toFixed(2)} s/it`;
  const loss = p.averageLoss === null ? '' : ` · loss ${p.averageLoss}`;
  return say(
    language,
    `步 ${p.step}/${p.totalSteps} · 轮 ${p.epoch}/${p.totalEpochs} · ${rate} · 剩余 ${clock(p.etaSeconds)}${loss}`,
    `step ${p.step}/${p.totalSteps} · epoch ${p.epoch}/${p.totalEpochs} · ${rate} · ETA ${clock(p.etaSeconds)}${loss}`,
  );
}

const stateText: Record<RunSummary['state'], [string, string]> = {
  queued: ['排队中', 'queued'],
  starting: ['启动中', 'starting'],
  running: ['训练中', 'running'],
  stopping: ['正在停止', 'stopping'],
  completed: ['已完成', 'completed'],
  failed: ['失败', 'failed'],
  stopped: ['已停止', 'stopped'],
  interrupted: ['已中断', 'interrupted'],
};

function stateName(state: RunSummary['state'], language: Language): string {
  const [zh, en] = stateText[state];
  return say(language, zh, en);
}

/** Exit code of `danlu run`: 0 only for a completed run. */
export function exitCodeFor(state: RunSummary['state']): number {
  if (state === 'completed') return 0;
  if (state === 'stopped') return 130;
  return 1;
}

async function resolveEngine(
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
): Promise<{ engine: RunEngine | null; error?: string }> {
  const env: Record<string, string> = {};
  const envFile = values['env-file'];
  if (typeof envFile === 'string') {
    for (const line of decode(await readFile(envFile)).split(/\r?\n/)) {
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      const pair = parseEnvAssignment(line.trim());
      if (!pair)
        return {
          engine: null,
          error: say(io.language, `环境变量文件有误：${line}`, `Bad line in the env file: ${line}`),
        };
      env[pair[0]] = pair[1];
    }
  }
  if (typeof values['env'] === 'string') {
    const pair = parseEnvAssignment(values['env']);
    if (!pair)
      return { engine: null, error: say(io.language, '--env 应写成 KEY=VALUE', '--env must be KEY=VALUE') };
    env[pair[0]] = pair[1];
  }
  const python = values['python'];
  const sdScripts = values['sd-scripts'];
  if (typeof python === 'string' || typeof sdScripts === 'string') {
    if (typeof python !== 'string' || typeof sdScripts !== 'string')
      return {
        engine: null,
        error: say(
          io.language,
          '--python 和 --sd-scripts 需要一起给出',
          '--python and --sd-scripts go together',
        ),
      };
    return { engine: { profileId: null, python: resolve(python), sdScriptsDir: resolve(sdScripts), env } };
  }
  const profileId = values['profile'];
  const profile =
    typeof profileId === 'string'
      ? (await loadEngines(io.dataDir)).engines.find((e) => e.id === profileId)
      : await activeEngine(io.dataDir);
  if (!profile?.pythonExe)
    return {
      engine: null,
      error:
        typeof profileId === 'string'
          ? say(
              io.language,
              `找不到引擎 ${profileId}（danlu engine list）`,
              `No engine ${profileId} (danlu engine list)`,
            )
          : say(
              io.language,
              '没有可用的训练引擎：先 danlu engine attach 文件夹，或用 --python 与 --sd-scripts。',
              'No training engine: danlu engine attach DIR first, or pass --python and --sd-scripts.',
            ),
    };
  return {
    engine: {
      profileId: profile.id,
      python: profile.pythonExe,
      sdScriptsDir: profile.sdScriptsDir,
      env: { ...profile.env, ...env },
    },
  };
}

function parseGpus(text: string | boolean | undefined): number[] | null | undefined {
  if (typeof text !== 'string') return undefined;
  const gpus = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (gpus.some((g) => !/^\d+$/.test(g))) return null;
  return gpus.map(Number);
}

export function createRunCommands(deps: RunCliDeps = {}): CliCommand[] {
  const open = (io: CliIo, engine: RunEngine | null, guest: boolean, onUpdate?: (u: RunUpdate) => void) =>
    RunService.open({
      runsDir: join(io.dataDir, 'runs'),
      exportsDir: join(io.dataDir, 'exports'),
      resourcesDir: deps.resourcesDir ?? defaultResourcesDir(),
      resolveEngine: () => Promise.resolve(engine),
      defaultGpus: () => trainingGpuIndices(io.dataDir),
      exclusive: !guest,
      ...(deps.stopGraceMs !== undefined ? { stopGraceMs: deps.stopGraceMs } : {}),
      ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
      ...(onUpdate ? { onUpdate } : {}),
    });

  const run: CliCommand = {
    name: 'run',
    summary: {
      'zh-CN': '在前台运行一次训练（Ctrl-C 停止）',
      en: 'Run one training in the foreground (Ctrl-C stops it)',
    },
    usage:
      'CONFIG.toml [--profile ID | --python PATH --sd-scripts DIR] [--env K=V] [--env-file FILE] [--gpus 0,1] [--prompts FILE] [--name NAME] [--json]',
    options: {
      profile: {
        type: 'string',
        valueName: 'id',
        description: { 'zh-CN': '引擎配置 id', en: 'Engine profile id' },
      },
      python: {
        type: 'string',
        valueName: 'path',
        description: { 'zh-CN': 'Python 解释器', en: 'Python interpreter' },
      },
      'sd-scripts': {
        type: 'string',
        valueName: 'dir',
        description: { 'zh-CN': 'sd-scripts 文件夹', en: 'sd-scripts folder' },
      },
      env: {
        type: 'string',
        valueName: 'K=V',
        description: { 'zh-CN': '给引擎的额外环境变量', en: 'Extra environment variable for the engine' },
      },
      'env-file': {
        type: 'string',
        valueName: 'file',
        description: {
          'zh-CN': '每行一个 KEY=VALUE 的环境变量文件',
          en: 'File of KEY=VALUE lines for the engine',
        },
      },
      gpus: {
        type: 'string',
        valueName: '0,1',
        description: { 'zh-CN': '使用的显卡编号', en: 'GPU indices to use' },
      },
      prompts: {
        type: 'string',
        valueName: 'file',
        description: { 'zh-CN': '预览图提示词文件', en: 'Sample prompt file' },
      },
      name: { type: 'string', valueName: 'name', description: { 'zh-CN': '任务名称', en: 'Run name' } },
      json,
    },
    async run({ values, positionals }, io) {
      const asJson = values['json'] === true;
      const fail = (message: string, code = 2) => {
        if (asJson) io.out(JSON.stringify({ event: 'error', message }));
        else io.err(message);
        return code;
      };
      const file = positionals[0];
      if (!file)
        return fail(
          say(
            io.language,
            '请给出配置文件：danlu run CONFIG.toml',
            'Give a configuration file: danlu run CONFIG.toml',
          ),
        );
      let text: string;
      try {
        text = decode(await readFile(file));
      } catch {
        return fail(say(io.language, `无法读取 ${file}`, `Cannot read ${file}`));
      }
      // A Danlu TrainingConfig as JSON (what the UI holds) is taken as it is; anything else is imported.
      let config: TrainingConfig;
      const direct = /^\s*\{/.test(text) ? safeJson(text) : undefined;
      const asConfig = TrainingConfigSchema.safeParse(direct);
      if (asConfig.success) config = asConfig.data;
      else {
        const imported = importConfig(text);
        if (!imported.ok) return fail(`${imported.error.message.zh} / ${imported.error.message.en}`);
        config = imported.config;
        for (const notice of imported.notices)
          if (!asJson) io.err(`  ${say(io.language, notice.text.zh, notice.text.en)}`);
      }
      const gpus = parseGpus(values['gpus']);
      if (gpus === null) return fail(say(io.language, '--gpus 应写成 0,1', '--gpus must look like 0,1'));
      const { engine, error } = await resolveEngine(values, io);
      if (!engine) return fail(error ?? 'no engine');
      let samplePrompts: string[] | undefined;
      if (typeof values['prompts'] === 'string') {
        try {
          samplePrompts = decode(await readFile(values['prompts'])).split(/\r?\n/);
        } catch {
          return fail(say(io.language, `无法读取 ${values['prompts']}`, `Cannot read ${values['prompts']}`));
        }
      }

      let runId: string | null = null;
      let lastProgressAt = 0;
      const print = (u: RunUpdate) => {
        if (u.id !== runId) return;
        if (asJson) {
          io.out(JSON.stringify({ event: 'runs.update', ...u }));
          return;
        }
        for (const line of u.newLogLines) io.out(`  │ ${line}`);
        if (u.startup?.totalSteps)
          io.out(
            say(
              io.language,
              `▶ 共 ${u.startup.totalSteps} 步，${u.startup.epochs ?? '?'} 轮，图片×重复 ${u.startup.images ?? '?'}`,
              `▶ ${u.startup.totalSteps} steps, ${u.startup.epochs ?? '?'} epochs, images × repeats ${u.startup.images ?? '?'}`,
            ),
          );
        for (const save of u.newSaves)
          io.out(say(io.language, `💾 已保存 ${save.file}`, `💾 saved ${save.file}`));
        for (const sample of u.newSamples)
          io.out(say(io.language, `🖼 预览图 ${sample.file}`, `🖼 sample ${sample.file}`));
        if (u.progress && u.progress.phase === 'training' && Date.now() - lastProgressAt > 2000) {
          lastProgressAt = Date.now();
          io.out(progressLine(u.progress, io.language));
        }
      };
      const service = await open(io, engine, true, print);
      let summary: RunSummary;
      try {
        try {
          summary = await service.create({
            config,
            gpus: gpus ?? undefined,
            ...(typeof values['name'] === 'string' ? { name: values['name'] } : {}),
            ...(samplePrompts ? { samplePrompts } : {}),
          });
        } catch (error) {
          return fail((error as Error).message);
        }
        runId = summary.id;
        if (asJson) io.out(JSON.stringify({ event: 'created', run: summary }));
        else
          io.out(
            say(
              io.language,
              `训练任务 ${summary.id} 已创建：${service.runDir(summary.id)}`,
              `Run ${summary.id} created: ${service.runDir(summary.id)}`,
            ),
          );
        const id = summary.id;
        let interrupted = false;
        const stop = () => {
          if (interrupted) return;
          interrupted = true;
          if (!asJson)
            io.err(
              say(
                io.language,
                '正在停止训练（礼貌停止，超时后强制结束）…',
                'Stopping the run (polite stop, then a forced end)…',
              ),
            );
          void service.stop(id);
        };
        const release =
          deps.onInterrupt?.(stop) ??
          (() => {
            process.on('SIGINT', stop);
            process.on('SIGTERM', stop);
            return () => {
              process.off('SIGINT', stop);
              process.off('SIGTERM', stop);
            };
          })();
        try {
          await service.waitFor(id);
        } finally {
          release();
        }
        const detail = await service.get(id);
        if (asJson) io.out(JSON.stringify({ event: 'finished', run: { ...detail, config: undefined } }));
        else {
          io.out(
            say(
              io.language,
              `结果：${stateName(detail.state, io.language)}（退出码 ${detail.exitCode ?? '-'}）`,
              `Result: ${stateName(detail.state, io.language)} (exit code ${detail.exitCode ?? '-'})`,
            ),
          );
          for (const save of detail.saves)
            io.out(`  ${save.file}  ${(save.sizeBytes / 1024 / 1024).toFixed(1)} MB`);
          if (detail.diagnosis) {
            io.out(
              `${say(io.language, detail.diagnosis.title.zh, detail.diagnosis.title.en)}: ${say(io.language, detail.diagnosis.explanation.zh, detail.diagnosis.explanation.en)}`,
            );
            if (detail.diagnosis.evidence) io.out(`  > ${detail.diagnosis.evidence}`);
            for (const fix of detail.diagnosis.fixes)
              io.out(`  → ${say(io.language, fix.label.zh, fix.label.en)}`);
          }
        }
        return exitCodeFor(detail.state);
      } finally {
        await service.dispose();
      }
    },
  };

  const runs: CliCommand = {
    name: 'runs',
    summary: { 'zh-CN': '查看和管理训练任务', en: 'List and manage training runs' },
    usage: '[list | show ID | stop ID | rm ID [--delete-files]] [--json]',
    options: {
      json,
      'delete-files': {
        type: 'boolean',
        description: { 'zh-CN': '同时删除任务文件夹', en: 'Also delete the run folder' },
      },
    },
    async run({ values, positionals }, io) {
      const asJson = values['json'] === true;
      const [action = 'list', id] = positionals;
      const service = await open(io, null, true);
      try {
        if (action === 'list') {
          const list = service.list();
          if (asJson) io.out(JSON.stringify(list, null, 2));
          else if (list.length === 0) io.out(say(io.language, '还没有训练任务。', 'No runs yet.'));
          else
            for (const r of list)
              io.out(
                `${r.id}  ${stateName(r.state, io.language).padEnd(8)}  ${r.name}${r.progress ? `  ${r.progress.step}/${r.progress.totalSteps}` : ''}`,
              );
          return 0;
        }
        if (!id) {
          io.err(
            say(io.language, `用法：danlu runs ${runs.usage ?? ''}`, `Usage: danlu runs ${runs.usage ?? ''}`),
          );
          return 2;
        }
        if (action === 'show') {
          const detail = await service.get(id);
          if (asJson) io.out(JSON.stringify(detail, null, 2));
          else {
            io.out(`${detail.id}  ${detail.name}  ${stateName(detail.state, io.language)}`);
            io.out(`  ${detail.runDir}`);
            if (detail.progress) io.out(`  ${progressLine(detail.progress, io.language)}`);
            for (const save of detail.saves) io.out(`  ${save.file}`);
            if (detail.diagnosis)
              io.out(
                `  ${say(io.language, detail.diagnosis.title.zh, detail.diagnosis.title.en)}: ${detail.diagnosis.evidence}`,
              );
          }
          return 0;
        }
        if (action === 'stop') {
          await service.stop(id);
          const ended = await service.waitFor(id);
          if (asJson) io.out(JSON.stringify({ id, state: ended.state }));
          else io.out(`${id}: ${stateName(ended.state, io.language)}`);
          return 0;
        }
        if (action === 'rm') {
          await service.remove(id, values['delete-files'] === true);
          if (asJson) io.out(JSON.stringify({ id, removed: true }));
          else io.out(say(io.language, `已移除 ${id}`, `Removed ${id}`));
          return 0;
        }
        io.err(say(io.language, `未知操作：${action}`, `Unknown action: ${action}`));
        return 2;
      } catch (error) {
        io.err((error as Error).message);
        return 1;
      } finally {
        await service.dispose();
      }
    },
  };
  return [run, runs];
}

export const runCommands = createRunCommands();
