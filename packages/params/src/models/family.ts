import type { ModelFamily, Text } from '../types';

/**
 * Which model a file holds, from what can be read without loading it: tensor names and shapes (the
 * safetensors header), key names found in a pickle's text, or a diffusers folder's configs. Pure: the
 * file reading lives on the Node side (@danlu/backend models/).
 */

export const modelFormats = ['safetensors', 'ckpt', 'diffusers', 'unknown'] as const;
export type ModelFormat = (typeof modelFormats)[number];

/** What is in the file: only a `checkpoint` (U-Net + text encoder + VAE) can be a base model. */
export const modelKinds = [
  'checkpoint',
  'unet',
  'lora',
  'vae',
  'embedding',
  'text-encoder',
  'unknown',
] as const;
export type ModelKind = (typeof modelKinds)[number];

/** Families Danlu can see; only sd1 / sd2 / sdxl are trained by the kohya scripts Danlu drives. */
export const detectedFamilies = ['sd1', 'sd2', 'sdxl', 'sdxl-refiner', 'sd3', 'flux', 'unknown'] as const;
export type DetectedFamily = (typeof detectedFamilies)[number];

export interface TensorInfo {
  name: string;
  /** Empty when unknown (pickle key scan). */
  shape: readonly number[];
}

export interface ModelInspection {
  format: ModelFormat;
  kind: ModelKind;
  family: DetectedFamily;
  /** Whether the evidence came from tensor keys/configs (strong) or only the name/size (weak). */
  basis: 'keys' | 'config' | 'name';
  /** true only when a marker says so; null = cannot be known from the keys (the usual case). */
  vPrediction: boolean | null;
  /** The text encoder width when a token-embedding tensor shows it (768 CLIP-L, 1024 OpenCLIP-H…). */
  textEncoderWidth: number | null;
  evidence: Text[];
  warnings: Text[];
}

export interface InspectInput {
  format: ModelFormat;
  tensors: readonly TensorInfo[];
  /** The safetensors `__metadata__` (kohya ss_*, modelspec.*). */
  metadata?: Readonly<Record<string, string>>;
  fileName?: string;
}

const t = (zh: string, en: string): Text => ({ zh, en });

const LORA_MARKERS = [
  '.lora_down.weight',
  '.lora_up.weight',
  '.lora_A.weight',
  '.lora_B.weight',
  '.hada_w1_a',
  '.lokr_w1',
  '.oft_blocks',
  '.dora_scale',
];

function has(names: readonly string[], pred: (n: string) => boolean): string | undefined {
  return names.find(pred);
}

function shapeOf(tensors: readonly TensorInfo[], name: string): readonly number[] | undefined {
  return tensors.find((x) => x.name === name)?.shape;
}

/** The family a kohya/modelspec metadata string names, if any. */
function familyFromMetadata(meta: Readonly<Record<string, string>>): DetectedFamily | undefined {
  const arch = (meta['modelspec.architecture'] ?? '').toLowerCase();
  const base = (meta.ss_base_model_version ?? '').toLowerCase();
  const text = `${arch} ${base}`;
  if (/flux/.test(text)) return 'flux';
  if (/stable-diffusion-v3|sd3/.test(text)) return 'sd3';
  if (/refiner/.test(text)) return 'sdxl-refiner';
  if (/xl/.test(text)) return 'sdxl';
  if (/v2|sd_v2|stable-diffusion-v2/.test(text)) return 'sd2';
  if (/v1|sd_v1|stable-diffusion-v1/.test(text)) return 'sd1';
  return undefined;
}

function loraFamily(names: readonly string[], meta: Readonly<Record<string, string>>): DetectedFamily {
  const fromMeta = familyFromMetadata(meta);
  if (fromMeta) return fromMeta;
  if (meta.ss_v2 === 'True') return 'sd2';
  if (has(names, (n) => n.startsWith('lora_te2_') || n.startsWith('lora_te1_'))) return 'sdxl';
  if (
    has(
      names,
      (n) => n.startsWith('lora_unet_double_blocks') || n.includes('transformer.single_transformer_blocks'),
    )
  )
    return 'flux';
  if (has(names, (n) => n.startsWith('lora_unet_') || n.startsWith('lora_te_'))) return 'sd1';
  return 'unknown';
}

/** The width of the text encoder's token embedding, where the tensor is there to show it. */
function tokenWidth(tensors: readonly TensorInfo[], prefix: string): number | null {
  const shape =
    shapeOf(tensors, `${prefix}transformer.text_model.embeddings.token_embedding.weight`) ??
    shapeOf(tensors, `${prefix}model.token_embedding.weight`);
  return shape?.[1] ?? null;
}

/** The cross-attention context width the U-Net expects (768 SD1, 1024 SD2, 2048 SDXL). */
function unetContextWidth(tensors: readonly TensorInfo[]): number | null {
  const k = tensors.find(
    (x) => x.name.startsWith('model.diffusion_model.') && x.name.endsWith('.attn2.to_k.weight'),
  );
  return k?.shape[1] ?? null;
}

function byName(fileName: string | undefined): DetectedFamily {
  const n = (fileName ?? '').toLowerCase();
  if (/flux/.test(n)) return 'flux';
  if (/sd3|sd_3|stable-diffusion-3/.test(n)) return 'sd3';
  if (/refiner/.test(n)) return 'sdxl-refiner';
  if (/xl|pony|illustrious|noob|animagine/.test(n)) return 'sdxl';
  if (/(^|[^a-z])(sd2|v2-|768-v|sd_2|wd-1-5|wd15)/.test(n)) return 'sd2';
  if (/(sd15|sd-1|v1-5|1\.5|sd1|anything|counterfeit|chilloutmix|majicmix)/.test(n)) return 'sd1';
  return 'unknown';
}

/**
 * Decide the model family and kind from tensor names (and shapes where known). Rules, strongest first:
 * a LoRA/LyCORIS marker → not a base model; `conditioner.embedders.1` (OpenCLIP bigG) → SDXL;
 * `cond_stage_model.model.` (OpenCLIP ViT-H) → SD2; `cond_stage_model.transformer.` (CLIP-L) → SD1;
 * `joint_blocks` → SD3; `double_blocks` + `single_blocks` → FLUX; VAE or text-encoder-only files.
 */
export function inspectModelKeys(input: InspectInput): ModelInspection {
  const { tensors } = input;
  const meta = input.metadata ?? {};
  const names = tensors.map((x) => x.name);
  const evidence: Text[] = [];
  const warnings: Text[] = [];
  const result = (
    kind: ModelKind,
    family: DetectedFamily,
    extra: Partial<Pick<ModelInspection, 'textEncoderWidth' | 'vPrediction' | 'basis'>> = {},
  ): ModelInspection => ({
    format: input.format,
    kind,
    family,
    basis: extra.basis ?? 'keys',
    vPrediction: extra.vPrediction ?? null,
    textEncoderWidth: extra.textEncoderWidth ?? null,
    evidence,
    warnings,
  });

  if (names.length === 0) {
    const family = byName(input.fileName);
    warnings.push(
      t(
        '读不到张量名称，只能按文件名猜测模型系列，请自行确认。',
        'No tensor names could be read; the family is guessed from the file name only — please check it.',
      ),
    );
    return result('unknown', family, { basis: 'name' });
  }

  const loraKey = has(names, (n) => LORA_MARKERS.some((m) => n.includes(m)) || n.startsWith('lora_'));
  if (loraKey || meta.ss_network_module) {
    const family = loraFamily(names, meta);
    evidence.push(
      t(
        `含有 LoRA 层（如 ${loraKey ?? meta.ss_network_module ?? ''}），这是一个 LoRA/LyCORIS 文件，不是底模`,
        `Holds LoRA layers (e.g. ${loraKey ?? meta.ss_network_module ?? ''}): a LoRA/LyCORIS file, not a base model`,
      ),
    );
    return result('lora', family);
  }

  const vPredMarker = names.includes('v_pred');
  if (vPredMarker)
    evidence.push(
      t('含有 v_pred 标记键：这是 v-prediction 模型', 'Has the v_pred marker key: a v-prediction model'),
    );
  const vPrediction = vPredMarker ? true : null;
  const hasUnet = has(names, (n) => n.startsWith('model.diffusion_model.')) !== undefined;

  // FLUX and SD3 first: their files may also carry CLIP text encoders.
  if (
    has(names, (n) => /(^|\.)double_blocks\./.test(n)) &&
    has(names, (n) => /(^|\.)single_blocks\./.test(n))
  ) {
    evidence.push(
      t(
        '含有 double_blocks / single_blocks：FLUX 的结构',
        'Has double_blocks / single_blocks: the FLUX layout',
      ),
    );
    return result(
      hasUnet || names.some((n) => n.startsWith('double_blocks.')) ? 'checkpoint' : 'unet',
      'flux',
      {
        vPrediction,
      },
    );
  }
  if (has(names, (n) => n.includes('joint_blocks.'))) {
    evidence.push(t('含有 joint_blocks：SD3 的 MMDiT 结构', 'Has joint_blocks: the SD3 MMDiT layout'));
    return result('checkpoint', 'sd3', { vPrediction });
  }

  const sdxlBigG = has(names, (n) => n.startsWith('conditioner.embedders.1.'));
  const sdxlAny = has(names, (n) => n.startsWith('conditioner.embedders.'));
  const sd2 = has(names, (n) => n.startsWith('cond_stage_model.model.'));
  const sd1 = has(names, (n) => n.startsWith('cond_stage_model.transformer.'));
  const hasVae = has(names, (n) => n.startsWith('first_stage_model.')) !== undefined;
  const kindWithUnet = (): ModelKind => (hasUnet ? 'checkpoint' : 'text-encoder');
  const noteParts = () => {
    if (hasUnet && !hasVae)
      warnings.push(
        t(
          '文件里没有 VAE（first_stage_model.*），kohya 需要完整的底模或另外指定 VAE。',
          'The file has no VAE (first_stage_model.*); kohya needs a full checkpoint or a separate VAE.',
        ),
      );
  };

  if (sdxlBigG) {
    const width = shapeOf(tensors, 'conditioner.embedders.1.model.token_embedding.weight')?.[1] ?? null;
    evidence.push(
      t(
        `含有 conditioner.embedders.1（OpenCLIP bigG 第二文本编码器${width ? `，宽 ${width}` : ''}）：SDXL`,
        `Has conditioner.embedders.1 (the second, OpenCLIP bigG text encoder${width ? `, width ${width}` : ''}): SDXL`,
      ),
    );
    noteParts();
    return result(kindWithUnet(), 'sdxl', { vPrediction, textEncoderWidth: width });
  }
  if (sdxlAny) {
    evidence.push(
      t(
        '只有一个 conditioner 文本编码器（OpenCLIP bigG）：SDXL Refiner，不能用来训练 LoRA',
        'Only one conditioner text encoder (OpenCLIP bigG): the SDXL refiner, not a model to train LoRAs on',
      ),
    );
    return result(kindWithUnet(), 'sdxl-refiner', { vPrediction });
  }
  if (sd2) {
    const width = tokenWidth(tensors, 'cond_stage_model.');
    evidence.push(
      t(
        `含有 cond_stage_model.model.（OpenCLIP ViT-H 文本编码器${width ? `，宽 ${width}` : ''}）：SD2.x`,
        `Has cond_stage_model.model. (the OpenCLIP ViT-H text encoder${width ? `, width ${width}` : ''}): SD2.x`,
      ),
    );
    if (!vPredMarker)
      warnings.push(
        t(
          '从键名看不出是 v-prediction（768-v）还是 ε 预测（512-base）。若底模是 768-v 版本，请打开 v_parameterization。',
          'The keys cannot tell v-prediction (768-v) from ε-prediction (512-base). If the base is a 768-v model, turn on v_parameterization.',
        ),
      );
    noteParts();
    return result(kindWithUnet(), 'sd2', { vPrediction, textEncoderWidth: width });
  }
  if (sd1) {
    const width = tokenWidth(tensors, 'cond_stage_model.');
    evidence.push(
      t(
        `含有 cond_stage_model.transformer.（CLIP ViT-L 文本编码器${width ? `，宽 ${width}` : ''}）：SD1.x`,
        `Has cond_stage_model.transformer. (the CLIP ViT-L text encoder${width ? `, width ${width}` : ''}): SD1.x`,
      ),
    );
    noteParts();
    return result(kindWithUnet(), 'sd1', { vPrediction, textEncoderWidth: width });
  }

  if (hasUnet) {
    const ctx = unetContextWidth(tensors);
    const adm = names.some((n) => n.startsWith('model.diffusion_model.label_emb.'));
    const family: DetectedFamily =
      adm || ctx === 2048 ? 'sdxl' : ctx === 1024 ? 'sd2' : ctx === 768 ? 'sd1' : byName(input.fileName);
    evidence.push(
      t(
        `只有 U-Net（model.diffusion_model.*${ctx ? `，交叉注意力宽 ${ctx}` : ''}），没有文本编码器`,
        `Only a U-Net (model.diffusion_model.*${ctx ? `, cross-attention width ${ctx}` : ''}), no text encoder`,
      ),
    );
    return result('unet', family, { vPrediction });
  }

  const vaeOnly = names.every((n) =>
    /^(first_stage_model\.)?(encoder|decoder|quant_conv|post_quant_conv)\./.test(n),
  );
  if (vaeOnly) {
    evidence.push(t('只有 encoder / decoder 层：这是一个 VAE', 'Only encoder / decoder layers: a VAE'));
    return result('vae', 'unknown');
  }
  if (
    names.some(
      (n) => n === 'emb_params' || n.startsWith('string_to_param') || n === 'clip_l' || n === 'clip_g',
    )
  ) {
    evidence.push(
      t('这是一个文本嵌入（Embedding / Textual Inversion）', 'A text embedding (textual inversion)'),
    );
    return result('embedding', names.includes('clip_g') ? 'sdxl' : 'unknown');
  }
  if (names.some((n) => n.startsWith('text_model.') || n.startsWith('text_projection'))) {
    evidence.push(t('只有 CLIP 文本编码器', 'Only a CLIP text encoder'));
    return result('text-encoder', 'unknown');
  }
  const family = familyFromMetadata(meta) ?? byName(input.fileName);
  warnings.push(
    t(
      '键名不属于任何已知的 Stable Diffusion 结构，无法判断是什么模型。',
      'The key names match no known Stable Diffusion layout; the model cannot be identified.',
    ),
  );
  return result('unknown', family, { basis: family === 'unknown' ? 'keys' : 'name' });
}

/** A diffusers folder: `model_index.json`'s pipeline class and the sub-model configs. */
export function inspectDiffusersConfig(input: {
  pipelineClass: string;
  /** unet/config.json cross_attention_dim, text_encoder/config.json hidden_size, scheduler prediction_type. */
  crossAttentionDim?: number | readonly number[];
  textEncoderWidth?: number;
  predictionType?: string;
}): ModelInspection {
  const evidence: Text[] = [
    t(`diffusers 流水线：${input.pipelineClass}`, `diffusers pipeline: ${input.pipelineClass}`),
  ];
  const warnings: Text[] = [];
  const cls = input.pipelineClass;
  const dim = input.crossAttentionDim;
  const ctx: number | undefined = typeof dim === 'number' ? dim : dim?.[0];
  let family: DetectedFamily = 'unknown';
  if (/Flux/i.test(cls)) family = 'flux';
  else if (/StableDiffusion3/i.test(cls)) family = 'sd3';
  else if (/XLImg2Img/i.test(cls) && ctx === 1280) family = 'sdxl-refiner';
  else if (/XL/i.test(cls)) family = 'sdxl';
  else if (/StableDiffusion/i.test(cls)) {
    const width = input.textEncoderWidth ?? ctx;
    family = width === 1024 ? 'sd2' : width === 768 ? 'sd1' : 'unknown';
    if (width !== undefined) evidence.push(t(`文本编码器宽 ${width}`, `text encoder width ${width}`));
  }
  const vPrediction =
    input.predictionType === 'v_prediction' ? true : input.predictionType === 'epsilon' ? false : null;
  if (vPrediction !== null)
    evidence.push(
      t(
        `调度器 prediction_type = ${input.predictionType ?? ''}`,
        `scheduler prediction_type = ${input.predictionType ?? ''}`,
      ),
    );
  if (family === 'unknown')
    warnings.push(
      t('无法从 diffusers 配置判断模型系列。', 'The diffusers configs do not show the model family.'),
    );
  return {
    format: 'diffusers',
    kind: family === 'unknown' ? 'unknown' : 'checkpoint',
    family,
    basis: 'config',
    vPrediction,
    textEncoderWidth: input.textEncoderWidth ?? null,
    evidence,
    warnings,
  };
}

const familyNames: Record<DetectedFamily, string> = {
  sd1: 'SD1.x',
  sd2: 'SD2.x',
  sdxl: 'SDXL',
  'sdxl-refiner': 'SDXL Refiner',
  sd3: 'SD3',
  flux: 'FLUX',
  unknown: '?',
};

export function familyLabel(family: DetectedFamily): string {
  return familyNames[family];
}

const kindNames: Record<ModelKind, Text> = {
  checkpoint: t('完整底模', 'full checkpoint'),
  unet: t('仅 U-Net', 'U-Net only'),
  lora: t('LoRA / LyCORIS', 'LoRA / LyCORIS'),
  vae: t('VAE', 'VAE'),
  embedding: t('文本嵌入', 'embedding'),
  'text-encoder': t('文本编码器', 'text encoder'),
  unknown: t('未知', 'unknown'),
};

export function kindLabel(kind: ModelKind): Text {
  return kindNames[kind];
}

export type BaseModelCheck =
  | { ok: true; family: ModelFamily; warnings: Text[] }
  | { ok: false; error: Text; warnings: Text[]; switchTo?: ModelFamily };

const trainable = (f: DetectedFamily): f is ModelFamily => f === 'sd1' || f === 'sd2' || f === 'sdxl';

/**
 * Whether an inspected file can be the base model of a configuration of `configFamily`. A wrong family
 * is an error that offers the switch; a LoRA, a VAE or a FLUX/SD3 model is refused with the reason.
 */
export function checkBaseModel(inspection: ModelInspection, configFamily?: ModelFamily): BaseModelCheck {
  const warnings = [...inspection.warnings];
  const fam = familyLabel(inspection.family);
  const refuse = (zh: string, en: string): BaseModelCheck => ({ ok: false, error: t(zh, en), warnings });
  switch (inspection.kind) {
    case 'lora':
      return refuse(
        `这是一个 LoRA 文件（${fam}），不能当底模。请选择完整的底模（checkpoint，通常 2–7 GB）。`,
        `This is a LoRA file (${fam}), not a base model. Choose a full checkpoint (usually 2–7 GB).`,
      );
    case 'vae':
      return refuse(
        '这是一个 VAE 文件，不能当底模。VAE 可以在“模型”分区的 VAE 一栏单独指定。',
        'This is a VAE file, not a base model. A VAE can be set separately in the VAE field of the Model section.',
      );
    case 'embedding':
      return refuse(
        '这是一个文本嵌入（Embedding），不能当底模。',
        'This is a text embedding, not a base model.',
      );
    case 'text-encoder':
      return refuse(
        '这个文件只有文本编码器，不能当底模。',
        'This file holds only a text encoder, not a base model.',
      );
    case 'unet':
      return refuse(
        '这个文件只有 U-Net，缺少文本编码器和 VAE，kohya 无法用它训练。请选择完整的底模。',
        'This file holds only a U-Net, without text encoder and VAE; kohya cannot train on it. Choose a full checkpoint.',
      );
    case 'checkpoint':
    case 'unknown':
      break;
  }
  if (inspection.family === 'sd3' || inspection.family === 'flux')
    return refuse(
      `这是 ${fam} 模型。丹炉目前只训练 SD1.x / SD2.x / SDXL 的 LoRA，${fam} 需要 kohya 的另一套脚本。`,
      `This is a ${fam} model. Danlu trains SD1.x / SD2.x / SDXL LoRAs for now; ${fam} needs a different kohya script.`,
    );
  if (inspection.family === 'sdxl-refiner')
    return refuse(
      'SDXL Refiner 只用于出图精修，不能用来训练 LoRA。请选择 SDXL base 或其衍生底模。',
      'The SDXL refiner only polishes images and cannot be trained on. Choose SDXL base or a model derived from it.',
    );
  if (!trainable(inspection.family)) {
    if (inspection.kind === 'unknown')
      return refuse(
        '无法识别这个文件是什么模型，请确认它是 SD1.x / SD2.x / SDXL 的完整底模。',
        'This file could not be identified; make sure it is a full SD1.x / SD2.x / SDXL checkpoint.',
      );
    return { ok: true, family: configFamily ?? 'sd1', warnings };
  }
  if (configFamily && configFamily !== inspection.family) {
    const want = familyLabel(configFamily);
    return {
      ok: false,
      error: t(
        `底模是 ${fam}，但当前参数是为 ${want} 准备的。请切换到 ${fam}，否则 kohya 会在加载模型时报错。`,
        `The base model is ${fam} but the parameters are for ${want}. Switch to ${fam}, or kohya fails while loading the model.`,
      ),
      warnings,
      switchTo: inspection.family,
    };
  }
  if (inspection.basis === 'name')
    warnings.push(
      t(
        `模型系列（${fam}）只按文件名猜测，请自行确认。`,
        `The family (${fam}) is guessed from the file name only; please check it.`,
      ),
    );
  return { ok: true, family: inspection.family, warnings };
}

/**
 * Key names found in a pickle's bytes without running it: the payloads of its BINUNICODE (`X`, 4-byte
 * length) and SHORT_BINUNICODE (0x8c, 1-byte length) string opcodes that look like tensor names. Enough
 * to tell the family; nothing is ever unpickled.
 */
export function keyNamesFromPickleBytes(bytes: Uint8Array, limit = 20_000): TensorInfo[] {
  const out = new Set<string>();
  const isKeyChar = (c: number) =>
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x2e ||
    c === 0x5f;
  const take = (from: number, length: number) => {
    if (length < 4 || length > 300 || from + length > bytes.length) return;
    let s = '';
    for (let j = from; j < from + length; j++) {
      const c = bytes[j] ?? 0;
      if (!isKeyChar(c)) return;
      s += String.fromCharCode(c);
    }
    if (s.includes('.') || s === 'v_pred') out.add(s);
  };
  for (let i = 0; i < bytes.length - 2 && out.size < limit; i++) {
    const op = bytes[i];
    if (op === 0x8c) take(i + 2, bytes[i + 1] ?? 0);
    else if (op === 0x58 && i + 5 <= bytes.length)
      take(
        i + 5,
        (bytes[i + 1] ?? 0) |
          ((bytes[i + 2] ?? 0) << 8) |
          ((bytes[i + 3] ?? 0) << 16) |
          ((bytes[i + 4] ?? 0) << 24),
      );
  }
  return [...out].map((name) => ({ name, shape: [] }));
}
