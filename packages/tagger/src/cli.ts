import { resolve } from 'node:path';

import type { CliCommand, CliIo } from '@danlu/node-utils';

import type { CaptionTarget, PlannedCaption } from './captionJob.js';
import { planCaptions, type PlanOptions } from './captionJob.js';
import type { CaptionMode } from './format.js';
import { TaggerError } from './errors.js';
import { TaggerModelManager, type DownloadSource } from './models/manager.js';
import { parseProviders } from './providers.js';
import { openTagger } from './session.js';

/**
 * What the tag command needs from the dataset package (listing images with their captions, writing
 * captions atomically with a backup); passed in so the tagger does not depend on it.
 */
export interface CaptionFolderIo {
  listTargets(dir: string): Promise<CaptionTarget[]>;
  writeCaptions(
    planned: PlannedCaption[],
    dataDir: string,
    label: string,
  ): Promise<{ written: number; backupDir: string; failed: { file: string; message: string }[] }>;
}

const t = (io: CliIo, zh: string, en: string) => (io.language === 'zh-CN' ? zh : en);

function fail(io: CliIo, error: unknown, json: boolean): number {
  const code = error instanceof TaggerError ? error.code : 'error';
  const message = error instanceof Error ? error.message : String(error);
  if (json) io.out(JSON.stringify({ ok: false, error: { code, message } }, null, 2));
  else io.err(`${t(io, '错误', 'Error')} [${code}]: ${message}`);
  return 1;
}

function num(value: string | boolean | undefined, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : fallback;
}

const list = (value: string | boolean | undefined) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];

async function tagCommand(
  captions: CaptionFolderIo,
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  io: CliIo,
): Promise<number> {
  const json = values['json'] === true;
  const dir = positionals[0];
  if (!dir) {
    io.err(t(io, '用法：danlu tag 文件夹 [--model 名称]', 'Usage: danlu tag FOLDER [--model NAME]'));
    return 2;
  }
  const modeValue = typeof values['mode'] === 'string' ? values['mode'] : 'append';
  if (!['append', 'overwrite', 'skip'].includes(modeValue)) {
    io.err(
      t(
        io,
        `未知模式：${modeValue}（append、overwrite 或 skip）`,
        `Unknown mode: ${modeValue} (append, overwrite or skip)`,
      ),
    );
    return 2;
  }
  try {
    let modelPath: string;
    let tagsPath: string;
    let label: string;
    if (typeof values['onnx'] === 'string') {
      if (typeof values['tags'] !== 'string') {
        io.err(
          t(io, '--onnx 需要同时给出 --tags selected_tags.csv', '--onnx needs --tags selected_tags.csv too'),
        );
        return 2;
      }
      modelPath = resolve(values['onnx']);
      tagsPath = resolve(values['tags']);
      label = modelPath;
    } else {
      const manager = new TaggerModelManager({ dataDir: io.dataDir });
      const model = await manager.requireInstalled(
        typeof values['model'] === 'string' ? values['model'] : 'wd-swinv2-v3',
      );
      modelPath = model.modelPath;
      tagsPath = model.tagsPath;
      label = model.id;
    }
    const targets = await captions.listTargets(resolve(dir));
    const tagger = await openTagger({
      modelPath,
      tagsPath,
      providers: parseProviders(typeof values['provider'] === 'string' ? values['provider'] : undefined),
    });
    const options: PlanOptions = {
      mode: modeValue as CaptionMode,
      generalThreshold: num(values['threshold'], 0.35),
      characterThreshold: num(values['character-threshold'], 0.85),
      generalMcut: values['mcut'] === true,
      characterMcut: values['mcut'] === true,
      exclude: list(values['exclude']),
      onProgress: json
        ? undefined
        : (p) => {
            if (p.done === p.total || p.done % 20 === 0)
              io.err(`${String(p.done)}/${String(p.total)}  ${p.imagesPerSecond.toFixed(1)} img/s`);
          },
    };
    if (typeof values['trigger'] === 'string' && values['trigger'].trim())
      options.alwaysFirst = [values['trigger'].trim()];
    let plan;
    try {
      plan = await planCaptions(tagger, targets, options);
    } finally {
      await tagger.close();
    }
    const dryRun = values['dry-run'] === true;
    const written =
      dryRun || plan.planned.length === 0
        ? undefined
        : await captions.writeCaptions(plan.planned, io.dataDir, `tagger ${label}`);
    if (json) {
      io.out(
        JSON.stringify(
          {
            ok: true,
            provider: tagger.provider,
            providerNotes: tagger.providerNotes,
            dryRun,
            tagged: plan.planned.length,
            skipped: plan.skipped,
            failed: plan.failed,
            written: written?.written ?? 0,
            backupDir: written?.backupDir ?? null,
            captions: plan.planned.map((p) => ({
              image: p.relPath,
              before: p.before ?? null,
              after: p.after,
            })),
          },
          null,
          2,
        ),
      );
    } else {
      for (const p of plan.planned) io.out(`${p.relPath}: ${p.after}`);
      for (const f of plan.failed) io.err(`✖ ${f.relPath}: ${f.message}`);
      io.out(
        t(
          io,
          `${dryRun ? '预演：' : ''}打标 ${String(plan.planned.length)} 张，跳过 ${String(plan.skipped.length)} 张，失败 ${String(plan.failed.length)} 张（${tagger.provider}）` +
            (written ? `；已写入 ${String(written.written)} 个标注，备份在 ${written.backupDir}` : ''),
          `${dryRun ? 'Dry run: ' : ''}tagged ${String(plan.planned.length)}, skipped ${String(plan.skipped.length)}, failed ${String(plan.failed.length)} (${tagger.provider})` +
            (written ? `; wrote ${String(written.written)} captions, backup in ${written.backupDir}` : ''),
        ),
      );
    }
    return plan.failed.length > 0 || (written?.failed.length ?? 0) > 0 ? 1 : 0;
  } catch (error) {
    return fail(io, error, json);
  }
}

async function modelsCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  io: CliIo,
): Promise<number> {
  const json = values['json'] === true;
  const manager = new TaggerModelManager({ dataDir: io.dataDir });
  const action = positionals[0] === 'models' ? 'list' : (positionals[0] ?? 'list');
  try {
    if (action === 'list') {
      const models = await manager.list();
      if (json) io.out(JSON.stringify({ ok: true, dir: manager.root, models }, null, 2));
      else {
        io.out(t(io, `模型文件夹：${manager.root}`, `Models folder: ${manager.root}`));
        for (const m of models) {
          const state = {
            installed: t(io, '已安装', 'installed'),
            partial: t(io, '未完成', 'partial'),
            missing: t(io, '未下载', 'not downloaded'),
          }[m.state];
          const about = m.known ? t(io, m.known.description.zh, m.known.description.en) : '';
          io.out(
            `${m.known?.recommended ? '★' : ' '} ${m.id.padEnd(22)} ${state.padEnd(10)} ${m.repo}  ${about}`,
          );
        }
      }
      return 0;
    }
    if (action === 'download') {
      const id = positionals[1];
      if (!id) {
        io.err(t(io, '用法：danlu models download 名称', 'Usage: danlu models download NAME'));
        return 2;
      }
      const source = (typeof values['source'] === 'string' ? values['source'] : 'auto') as DownloadSource;
      let last = 0;
      const result = await manager.download(id, {
        source,
        preferMirror: io.language === 'zh-CN',
        onProgress: (p) => {
          const now = Date.now();
          if (json || now - last < 1000) return;
          last = now;
          io.err(
            `${p.file} ${(p.done / 1e6).toFixed(1)} / ${((p.total ?? 0) / 1e6).toFixed(1)} MB  ${(p.bytesPerSecond / 1e6).toFixed(1)} MB/s`,
          );
        },
      });
      if (json)
        io.out(
          JSON.stringify(
            {
              ok: true,
              model: result.model.id,
              dir: result.model.dir,
              host: result.host,
              bytes: result.bytes,
            },
            null,
            2,
          ),
        );
      else
        io.out(
          t(
            io,
            `已下载 ${result.model.id} 到 ${result.model.dir}（来自 ${result.host}）`,
            `Downloaded ${result.model.id} to ${result.model.dir} (from ${result.host})`,
          ),
        );
      return 0;
    }
    io.err(t(io, `未知操作：${action}（list 或 download）`, `Unknown action: ${action} (list or download)`));
    return 2;
  } catch (error) {
    return fail(io, error, json);
  }
}

const modelsOptions: CliCommand['options'] = {
  json: { type: 'boolean', description: { 'zh-CN': '输出 JSON', en: 'Print JSON' } },
  source: {
    type: 'string',
    valueName: 'auto|huggingface|mirror',
    description: {
      'zh-CN': '下载源（mirror = hf-mirror.com）',
      en: 'Download source (mirror = hf-mirror.com)',
    },
  },
};

/** `danlu tag`, `danlu models list|download` (also as `danlu tagger …`). */
export function createTaggerCommands(captions: CaptionFolderIo): CliCommand[] {
  const models: Omit<CliCommand, 'name'> = {
    summary: { 'zh-CN': '打标模型：列出、下载', en: 'Tagger models: list, download' },
    usage: 'danlu models list | download NAME [--source auto|huggingface|mirror] [--json]',
    options: modelsOptions,
    run: ({ values, positionals }, io) => modelsCommand(values, positionals, io),
  };
  return [
    {
      name: 'tag',
      summary: {
        'zh-CN': '用 WD 模型给文件夹里的图片自动打标',
        en: 'Auto-tag the images of a folder with a WD model',
      },
      usage:
        'danlu tag FOLDER [--model NAME | --onnx FILE --tags CSV] [--threshold 0.35] [--character-threshold 0.85] [--mcut] [--trigger WORD] [--mode append|overwrite|skip] [--exclude a,b] [--provider auto|cpu|cuda|dml] [--dry-run] [--json]',
      options: {
        model: {
          type: 'string',
          valueName: 'name',
          description: { 'zh-CN': '模型名称（danlu models list）', en: 'Model name (danlu models list)' },
        },
        onnx: {
          type: 'string',
          valueName: 'file',
          description: { 'zh-CN': '直接使用一个 ONNX 文件', en: 'Use an ONNX file directly' },
        },
        tags: {
          type: 'string',
          valueName: 'csv',
          description: {
            'zh-CN': '与 --onnx 配套的 selected_tags.csv',
            en: 'The selected_tags.csv for --onnx',
          },
        },
        threshold: {
          type: 'string',
          valueName: '0.35',
          description: { 'zh-CN': '普通标签阈值', en: 'General tag threshold' },
        },
        'character-threshold': {
          type: 'string',
          valueName: '0.85',
          description: { 'zh-CN': '角色标签阈值', en: 'Character tag threshold' },
        },
        mcut: {
          type: 'boolean',
          description: { 'zh-CN': '自动阈值（MCut）', en: 'Automatic threshold (MCut)' },
        },
        trigger: {
          type: 'string',
          valueName: 'word',
          description: {
            'zh-CN': '放在每条标注最前面的触发词',
            en: 'Trigger word put first in every caption',
          },
        },
        mode: {
          type: 'string',
          valueName: 'append|overwrite|skip',
          description: {
            'zh-CN': '已有标注：追加、覆盖或跳过',
            en: 'Existing captions: append, overwrite or skip',
          },
        },
        exclude: {
          type: 'string',
          valueName: 'a,b',
          description: { 'zh-CN': '不要的标签', en: 'Tags never written' },
        },
        provider: {
          type: 'string',
          valueName: 'auto',
          description: { 'zh-CN': '推理设备', en: 'Execution provider' },
        },
        'dry-run': {
          type: 'boolean',
          description: { 'zh-CN': '只显示结果，不写文件', en: 'Show the result, write nothing' },
        },
        json: { type: 'boolean', description: { 'zh-CN': '输出 JSON', en: 'Print JSON' } },
      },
      run: ({ values, positionals }, io) => tagCommand(captions, values, positionals, io),
    },
    { name: 'models', ...models },
    { name: 'tagger', ...models, usage: 'danlu tagger list | download NAME [--source …] [--json]' },
  ];
}
