import { open, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

import type { ModelInspectionResult } from '@danlu/contracts';
import { readSafetensorsTensors } from '@danlu/engine';
import {
  checkBaseModel,
  inspectDiffusersConfig,
  inspectModelKeys,
  keyNamesFromPickleBytes,
  type ModelFamily,
  type ModelInspection,
  type Text,
} from '@danlu/params';

/** The pickle of a PyTorch checkpoint sits at its start (data.pkl is the first, stored zip entry). */
const PICKLE_SCAN_BYTES = 32 * 1024 * 1024;

export const modelExtensions = ['.safetensors', '.ckpt', '.pt', '.pth', '.bin'] as const;

export class ModelReadError extends Error {
  constructor(readonly text: Text) {
    super(text.en);
  }
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const v: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

async function inspectDiffusers(dir: string): Promise<ModelInspection> {
  const index = await readJson(join(dir, 'model_index.json'));
  if (!index)
    throw new ModelReadError({
      zh: `文件夹里没有 model_index.json，不是 diffusers 模型：${dir}`,
      en: `The folder has no model_index.json, so it is not a diffusers model: ${dir}`,
    });
  const unet = await readJson(join(dir, 'unet', 'config.json'));
  const te = await readJson(join(dir, 'text_encoder', 'config.json'));
  const scheduler = await readJson(join(dir, 'scheduler', 'scheduler_config.json'));
  const ctx = unet?.cross_attention_dim;
  return inspectDiffusersConfig({
    pipelineClass: typeof index._class_name === 'string' ? index._class_name : '?',
    ...(typeof ctx === 'number' || Array.isArray(ctx)
      ? {
          crossAttentionDim:
            typeof ctx === 'number' ? ctx : ctx.filter((n): n is number => typeof n === 'number'),
        }
      : {}),
    ...(typeof te?.hidden_size === 'number' ? { textEncoderWidth: te.hidden_size } : {}),
    ...(typeof scheduler?.prediction_type === 'string' ? { predictionType: scheduler.prediction_type } : {}),
  });
}

/** Key names of a .ckpt/.pt found as text in its pickle — read, never unpickled. */
async function inspectPickle(file: string, size: number): Promise<ModelInspection> {
  const handle = await open(file, 'r');
  let bytes: Buffer;
  try {
    bytes = Buffer.alloc(Math.min(size, PICKLE_SCAN_BYTES));
    await handle.read(bytes, 0, bytes.length, 0);
  } finally {
    await handle.close();
  }
  const zip = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
  const inspection = inspectModelKeys({
    format: 'ckpt',
    tensors: keyNamesFromPickleBytes(bytes),
    fileName: basename(file),
  });
  inspection.warnings.unshift({
    zh: `旧式 PyTorch 格式（${zip ? 'zip' : 'pickle'}）：丹炉只读取其中的键名文字、不执行 pickle；加载时 kohya 会执行它，请只用可信来源的文件，能用 .safetensors 就别用 .ckpt。`,
    en: `Legacy PyTorch format (${zip ? 'zip' : 'pickle'}): Danlu only reads the key names as text and never runs the pickle, but kohya will when loading it — use files from trusted sources only, and prefer .safetensors.`,
  });
  return inspection;
}

/**
 * Inspect a base model candidate: a .safetensors file (header), a .ckpt/.pt (key names in the pickle's
 * bytes), or a diffusers folder (model_index.json + configs). Throws ModelReadError with a bilingual
 * reason when the path cannot be read at all.
 */
export async function inspectModelPath(path: string, family?: ModelFamily): Promise<ModelInspectionResult> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new ModelReadError({ zh: `路径不存在：${path}`, en: `Path does not exist: ${path}` });
  }
  let inspection: ModelInspection;
  let sizeBytes = info.size;
  if (info.isDirectory()) {
    inspection = await inspectDiffusers(path);
    sizeBytes = 0;
  } else {
    const ext = extname(path).toLowerCase();
    if (ext === '.safetensors') {
      const header = await readSafetensorsTensors(path);
      if (!header.ok) throw new ModelReadError(header.message);
      inspection = inspectModelKeys({
        format: 'safetensors',
        tensors: header.tensors,
        metadata: header.metadata,
        fileName: basename(path),
      });
    } else if ((modelExtensions as readonly string[]).includes(ext)) {
      inspection = await inspectPickle(path, info.size);
    } else {
      throw new ModelReadError({
        zh: `不支持的模型文件类型“${ext || '无扩展名'}”：请选择 .safetensors、.ckpt 或 diffusers 文件夹。`,
        en: `Unsupported model file type “${ext || 'no extension'}”: choose a .safetensors, a .ckpt or a diffusers folder.`,
      });
    }
  }
  const check = checkBaseModel(inspection, family);
  return {
    path,
    fileName: basename(path),
    sizeBytes,
    format: inspection.format,
    kind: inspection.kind,
    family: inspection.family,
    basis: inspection.basis,
    vPrediction: inspection.vPrediction,
    textEncoderWidth: inspection.textEncoderWidth,
    evidence: inspection.evidence,
    warnings: check.warnings,
    usable: check.ok,
    error: check.ok ? null : check.error,
    switchTo: check.ok ? null : (check.switchTo ?? null),
  };
}
