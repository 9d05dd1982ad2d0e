import type { CliCommand, CliIo } from '@danlu/node-utils';
import { trainingKinds, type Text, type TrainingKind } from '@danlu/params';

import { simulateBuckets } from './buckets/simulate.js';
import { checkCatalogue, type Finding } from './checks/catalogue.js';
import { countBySeverity, runChecks } from './checks/runChecks.js';
import { DatasetError } from './errors.js';
import { parseSize, prepareDataset, type CropMode } from './prepare/prepare.js';
import { scanDataset } from './scan/scan.js';
import { bucketInputFromManifest, explainRegBalance, foldersFromManifest } from './subsets.js';

function say(text: Text, io: CliIo): string {
  return io.language === 'zh-CN' ? text.zh : text.en;
}

function fail(io: CliIo, error: unknown, json: boolean): number {
  const code = error instanceof DatasetError ? error.code : 'io_error';
  const message = error instanceof Error ? error.message : String(error);
  if (json) io.out(JSON.stringify({ ok: false, error: { code, message } }, null, 2));
  else io.err(`${io.language === 'zh-CN' ? '错误' : 'Error'} [${code}]: ${message}`);
  return 1;
}

function intOption(value: string | boolean | undefined, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function printFinding(finding: Finding, io: CliIo): void {
  const mark = finding.severity === 'error' ? '✖' : finding.severity === 'warning' ? '!' : 'i';
  const title = say(checkCatalogue[finding.id].title, io);
  const files = finding.files.length ? `  ${finding.files.join(' | ')}` : '';
  io.out(`${mark} [${finding.id}] ${title}: ${say(finding.message, io)}${files}`);
}

async function scanAction(dir: string, values: Record<string, string | boolean | undefined>, io: CliIo) {
  const zh = io.language === 'zh-CN';
  const json = values['json'] === true;
  const resolution =
    typeof values['resolution'] === 'string'
      ? parseSize(values['resolution'])
      : ([512, 512] as [number, number]);
  const kindValue = values['kind'];
  const kind: TrainingKind | undefined = trainingKinds.find((k) => k === kindValue);
  const manifest = await scanDataset(dir, {
    deep: values['quick'] !== true,
    captionExtensions:
      typeof values['caption-ext'] === 'string' ? [values['caption-ext']] : ['.txt', '.caption'],
  });
  const checkOptions: Parameters<typeof runChecks>[1] = { resolution };
  if (typeof values['trigger'] === 'string') checkOptions.triggerWord = values['trigger'];
  if (kind) checkOptions.kind = kind;
  const findings = runChecks(manifest, checkOptions);
  const folders = foldersFromManifest(manifest);
  const input = bucketInputFromManifest(manifest, folders);
  const buckets = simulateBuckets(input.images, input.subsets, {
    resolution,
    batchSize: intOption(values['batch-size'], 1),
  });
  if (json) {
    io.out(JSON.stringify({ ok: true, manifest, findings, subsets: folders, buckets }, null, 2));
  } else {
    const broken = manifest.images.filter((i) => i.problem).length;
    const captioned = manifest.images.filter((i) => i.caption).length;
    io.out(
      zh
        ? `扫描 ${manifest.root}：${manifest.images.length} 个图片文件（${broken} 个无法使用），${captioned} 个有标注`
        : `Scanned ${manifest.root}: ${manifest.images.length} image files (${broken} unusable), ${captioned} captioned`,
    );
    for (const s of manifest.subsets)
      io.out(
        `  ${s.relDir || '.'}  ${zh ? '图片' : 'images'} ${s.imageCount}  ${zh ? '重复' : 'repeats'} ${s.numRepeats}` +
          (s.classTokens ? `  class "${s.classTokens}"` : '') +
          (s.isReg ? (zh ? '  正则' : '  reg') : ''),
      );
    const counts = countBySeverity(findings);
    io.out(
      zh
        ? `检查：${counts.error} 个错误，${counts.warning} 个警告，${counts.info} 条提示`
        : `Checks: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} notes`,
    );
    for (const f of findings) printFinding(f, io);
    io.out(
      zh
        ? `分桶预览（分辨率 ${resolution.join('×')}）：`
        : `Bucket preview (resolution ${resolution.join('×')}):`,
    );
    if (buckets.error) io.out(`  ${buckets.error}`);
    for (const line of buckets.lines) io.out(`  ${line}`);
    const reg = explainRegBalance(buckets);
    if (reg) io.out(`  ${say(reg, io)}`);
  }
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

async function prepareAction(dir: string, values: Record<string, string | boolean | undefined>, io: CliIo) {
  const zh = io.language === 'zh-CN';
  const json = values['json'] === true;
  const out = values['out'];
  if (typeof out !== 'string') {
    io.err(zh ? '缺少 --out 输出文件夹' : 'Missing --out folder');
    return 2;
  }
  const cropValue = typeof values['crop'] === 'string' ? values['crop'] : 'focus';
  const crops: CropMode[] = ['focus', 'center', 'entropy', 'keep'];
  const crop = crops.find((c) => c === cropValue);
  if (!crop) {
    io.err(zh ? `--crop 只能是 ${crops.join('|')}` : `--crop must be one of ${crops.join('|')}`);
    return 2;
  }
  const size = parseSize(typeof values['size'] === 'string' ? values['size'] : '512x512');
  const manifest = await scanDataset(dir);
  const result = await prepareDataset(manifest, {
    outDir: out,
    size,
    crop,
    format: values['format'] === 'jpeg' || values['format'] === 'jpg' ? 'jpeg' : 'png',
    onProgress: json
      ? undefined
      : ({ done, total }) => {
          if (done === total || done % 50 === 0) io.err(`${done}/${total}`);
        },
  });
  if (json) io.out(JSON.stringify({ ok: true, ...result }, null, 2));
  else {
    io.out(
      zh
        ? `已写入 ${result.written.length} 张到 ${out}，失败 ${result.failed.length}，跳过损坏文件 ${result.skipped.length}`
        : `Wrote ${result.written.length} images to ${out}; ${result.failed.length} failed, ${result.skipped.length} broken files skipped`,
    );
    for (const f of result.failed) io.out(`✖ ${f.source}: ${f.message}`);
    for (const s of result.skipped) io.out(`- ${s}`);
  }
  return result.failed.length > 0 ? 1 : 0;
}

const datasetCommand: CliCommand = {
  name: 'dataset',
  usage: 'scan DIR | prepare DIR --out OUT',
  summary: {
    'zh-CN': '扫描与检查训练图片、分桶预览、预处理（裁剪/缩放）到新文件夹',
    en: 'Scan and check training images, preview buckets, preprocess (crop/resize) into a new folder',
  },
  options: {
    json: { type: 'boolean', description: { 'zh-CN': '以 JSON 输出', en: 'Print JSON' } },
    resolution: {
      type: 'string',
      valueName: 'W[xH]',
      description: { 'zh-CN': 'scan：训练分辨率（默认 512）', en: 'scan: training resolution (default 512)' },
    },
    trigger: {
      type: 'string',
      valueName: 'word',
      description: { 'zh-CN': 'scan：触发词', en: 'scan: trigger word' },
    },
    kind: {
      type: 'string',
      valueName: trainingKinds.join('|'),
      description: {
        'zh-CN': 'scan：训练类型（检查图片数量）',
        en: 'scan: what is trained (image count check)',
      },
    },
    'batch-size': {
      type: 'string',
      valueName: 'n',
      description: { 'zh-CN': 'scan：批量大小（步数预览）', en: 'scan: batch size (for the step preview)' },
    },
    'caption-ext': {
      type: 'string',
      valueName: '.txt',
      description: { 'zh-CN': '标注文件扩展名', en: 'Caption file extension' },
    },
    quick: {
      type: 'boolean',
      description: {
        'zh-CN': 'scan：只读文件头（不查重、不查损坏）',
        en: 'scan: headers only (no duplicate or corruption checks)',
      },
    },
    out: {
      type: 'string',
      valueName: 'dir',
      description: { 'zh-CN': 'prepare：输出文件夹（新建）', en: 'prepare: output folder (new)' },
    },
    size: {
      type: 'string',
      valueName: '512x768',
      description: {
        'zh-CN': 'prepare：目标尺寸（64 的倍数）',
        en: 'prepare: target size (multiples of 64)',
      },
    },
    crop: {
      type: 'string',
      valueName: 'focus|center|entropy|keep',
      description: {
        'zh-CN': 'prepare：聚焦裁剪、中央裁剪、按细节裁剪或保持比例只缩放长边',
        en: 'prepare: focus crop, centre crop, detail (entropy) crop, or keep aspect and resize the long side',
      },
    },
    format: {
      type: 'string',
      valueName: 'png|jpeg',
      description: { 'zh-CN': 'prepare：输出格式', en: 'prepare: output format' },
    },
  },
  async run({ values, positionals }, io) {
    const [action, dir] = positionals;
    if ((action !== 'scan' && action !== 'prepare') || !dir) {
      io.err(
        io.language === 'zh-CN'
          ? '用法：danlu dataset scan 文件夹 | prepare 文件夹 --out 输出'
          : 'Usage: danlu dataset scan DIR | prepare DIR --out OUT',
      );
      return 2;
    }
    try {
      return action === 'scan' ? await scanAction(dir, values, io) : await prepareAction(dir, values, io);
    } catch (error) {
      return fail(io, error, values['json'] === true);
    }
  },
};

export const datasetCommands: CliCommand[] = [datasetCommand];
