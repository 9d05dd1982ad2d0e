import { resolveValues, parseResolution, type TrainingConfig } from '../config';
import type { ParamValue, Text } from '../types';
import type { GpuInfo } from './gpu';
import { estimateFileSize } from './size';
import { shapesFor } from './shapes';

export type Fit = 'fits' | 'tight' | 'will-not-fit';

export interface VramSwitch {
  patch: Record<string, ParamValue>;
  text: Text;
}

export interface VramEstimate {
  /** Peak GPU memory in GB (10^9 bytes). */
  peakGb: number;
  parts: { weights: number; training: number; activations: number; overhead: number };
  fit?: Fit;
  /** One or two switches that bring the estimate under the GPU's memory (when it does not fit). */
  suggestions: VramSwitch[];
}

const GB = 1e9;

/** Optimizer state bytes per trainable parameter. */
function optimizerStateBytes(name: string): number {
  const n = name.toLowerCase();
  if (n.includes('8bit')) return n.includes('lion') ? 1 : 2;
  if (n.startsWith('dadapt')) return 12;
  if (n === 'prodigy') return 16;
  if (n === 'lion' || n.startsWith('sgd')) return 4;
  if (n === 'adafactor') return 4;
  return 8;
}

/** Activation memory per sample at the family's native size, without / with gradient checkpointing. */
const ACTIVATIONS_GB = { sd1: [3.2, 0.8], sd2: [4.2, 1.1], sdxl: [10, 2.5] } as const;
const NATIVE_PIXELS = { sd1: 512 * 512, sd2: 768 * 768, sdxl: 1024 * 1024 } as const;

/**
 * Peak VRAM model: frozen weights in the compute dtype (fp8 halves the U-Net), trainable parameters with
 * their gradients and optimizer state, activations that scale with pixels × batch (checkpointing cuts
 * them to a quarter), plus the CUDA context. Calibrated against common reports, ±15 %.
 */
export function estimateVramGb(config: TrainingConfig): VramEstimate['parts'] & { peakGb: number } {
  const v = resolveValues(config);
  const fam = config.family;
  const p = shapesFor(fam).params;
  const mp = v.get('mixed_precision');
  const half = mp === 'fp16' || mp === 'bf16';
  const dtype = half ? 2 : 4;
  const fp8 = v.get('fp8_base') === true;
  const fp8Unet = fp8 || v.get('fp8_base_unet') === true;
  const db = config.trainingType === 'dreambooth';
  const cacheTe =
    fam === 'sdxl' &&
    (v.get('cache_text_encoder_outputs') === true || v.get('cache_text_encoder_outputs_to_disk') === true);
  const cacheLatents = v.get('cache_latents') === true || v.get('cache_latents_to_disk') === true;
  const opt = String(v.get('optimizer_type') ?? 'AdamW');
  const state = optimizerStateBytes(opt);
  let weights = 0;
  let training = 0;
  if (db) {
    const fullLow = v.get('full_fp16') === true || v.get('full_bf16') === true;
    const trainTe =
      fam === 'sdxl' ? v.get('train_text_encoder') === true : v.get('stop_text_encoder_training') !== -1;
    const trainable = p.unet + (trainTe ? p.textEncoders : 0);
    training = trainable * ((fullLow ? 2 : 4) * 2 + state);
    if (!trainTe) weights += p.textEncoders * dtype;
  } else {
    weights += p.unet * (fp8Unet ? 1 : dtype);
    if (!cacheTe) weights += p.textEncoders * (fp8 ? 1 : dtype);
    const net = estimateFileSize(config).params;
    training = net * (4 + 4 + state);
  }
  if (!cacheLatents) weights += p.vae * (fam === 'sdxl' && v.get('no_half_vae') !== true ? dtype : 4);
  const [w, h] = parseResolution(v.get('resolution'));
  const batch = Number(v.get('train_batch_size') ?? 1);
  const gc = v.get('gradient_checkpointing') === true;
  const attentionFast =
    v.get('sdpa') === true || v.get('xformers') === true || v.get('mem_eff_attn') === true;
  const act =
    ACTIVATIONS_GB[fam][gc ? 1 : 0] *
    ((w * h) / NATIVE_PIXELS[fam]) *
    batch *
    (attentionFast ? 1 : 1.6) *
    (half ? 1 : 1.8);
  const overhead = 0.9;
  const base = (weights + training) / GB + act + overhead;
  const peakGb = base * 1.08;
  return { weights: weights / GB, training: training / GB, activations: act, overhead, peakGb };
}

function fitFor(peak: number, vram: number): Fit {
  if (peak <= vram * 0.9) return 'fits';
  if (peak <= vram) return 'tight';
  return 'will-not-fit';
}

function candidateSwitches(config: TrainingConfig): VramSwitch[] {
  const v = resolveValues(config);
  const out: VramSwitch[] = [];
  if (v.get('gradient_checkpointing') !== true)
    out.push({
      patch: { gradient_checkpointing: true },
      text: { zh: '开启梯度检查点', en: 'turn on gradient checkpointing' },
    });
  if (v.get('cache_latents') !== true)
    out.push({ patch: { cache_latents: true }, text: { zh: '开启 latent 缓存', en: 'cache latents' } });
  const opt = String(v.get('optimizer_type') ?? 'AdamW');
  if (!opt.toLowerCase().includes('8bit') && opt !== 'Adafactor')
    out.push({
      patch: { optimizer_type: 'AdamW8bit' },
      text: { zh: '换用 AdamW8bit 优化器', en: 'switch to the AdamW8bit optimizer' },
    });
  if (Number(v.get('train_batch_size') ?? 1) > 1)
    out.push({ patch: { train_batch_size: 1 }, text: { zh: '批量改为 1', en: 'use batch size 1' } });
  if (config.family === 'sdxl' && config.trainingType !== 'dreambooth') {
    if (v.get('cache_text_encoder_outputs') !== true)
      out.push({
        patch: { cache_text_encoder_outputs: true, network_train_unet_only: true, shuffle_caption: false },
        text: {
          zh: '缓存文本编码器输出（同时只训练 U-Net、关闭打乱标签）',
          en: 'cache text-encoder outputs (with U-Net only and no tag shuffling)',
        },
      });
    if (v.get('fp8_base') !== true)
      out.push({
        patch: { fp8_base: true },
        text: { zh: '开启 fp8 底模', en: 'turn on the fp8 base model' },
      });
  }
  const mp = v.get('mixed_precision');
  if (mp !== 'fp16' && mp !== 'bf16')
    out.push({
      patch: { mixed_precision: 'fp16' },
      text: { zh: '混合精度改为 fp16', en: 'use fp16 mixed precision' },
    });
  const [w, h] = parseResolution(v.get('resolution'));
  const native = config.family === 'sdxl' ? 1024 : config.family === 'sd2' ? 768 : 512;
  if (w * h > native * native)
    out.push({
      patch: { resolution: `${native},${native}` },
      text: { zh: `分辨率降到 ${native}`, en: `lower the resolution to ${native}` },
    });
  return out;
}

function patched(config: TrainingConfig, patch: Record<string, ParamValue>): TrainingConfig {
  return { ...config, values: { ...config.values, ...patch } };
}

/** VRAM estimate with the fit for a GPU and, when it does not fit, the one or two switches that fix it. */
export function estimateVram(config: TrainingConfig, gpu?: GpuInfo): VramEstimate {
  const e = estimateVramGb(config);
  const parts = {
    weights: e.weights,
    training: e.training,
    activations: e.activations,
    overhead: e.overhead,
  };
  if (!gpu) return { peakGb: e.peakGb, parts, suggestions: [] };
  const fit = fitFor(e.peakGb, gpu.vramGb);
  const suggestions: VramSwitch[] = [];
  if (fit !== 'fits') {
    const cands = candidateSwitches(config);
    const ok = (c: TrainingConfig) => fitFor(estimateVramGb(c).peakGb, gpu.vramGb) === 'fits';
    const single = cands.find((s) => ok(patched(config, s.patch)));
    if (single) suggestions.push(single);
    else
      outer: for (let i = 0; i < cands.length; i++)
        for (let j = i + 1; j < cands.length; j++) {
          const a = cands[i];
          const b = cands[j];
          if (a && b && ok(patched(config, { ...a.patch, ...b.patch }))) {
            suggestions.push(a, b);
            break outer;
          }
        }
  }
  return { peakGb: e.peakGb, parts, fit, suggestions };
}
