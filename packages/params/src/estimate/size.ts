import { resolveValues, type TrainingConfig } from '../config';
import { networkModuleFor } from '../export';
import type { ModelFamily } from '../types';
import { shapesFor, type LayerRow } from './shapes';

export type NetworkAlgo = 'lora' | 'locon' | 'loha' | 'lokr';

export interface NetworkSizeInput {
  family: ModelFamily;
  module: 'networks.lora' | 'lycoris.kohya';
  algo?: NetworkAlgo;
  dim: number;
  /** networks.lora: undefined = no conv layers. LyCORIS: undefined = dim, 0 = no conv layers. */
  convDim?: number;
  /** LyCORIS target preset (full, full-lin, attn-mlp, attn-only, unet-only, …). */
  preset?: string;
  trainTextEncoder: boolean;
  /** Bytes per saved weight: 2 for fp16/bf16, 4 for float. */
  bytesPerParam: number;
  /** LoKr factor (-1 = smallest decomposition). */
  factor?: number;
}

export interface NetworkSize {
  params: number;
  modules: number;
  tensors: number;
  bytes: number;
  mb: number;
  mib: number;
}

/** LyCORIS' factorization(): the two factors m ≤ n of `dim` closest to each other (bounded by factor). */
export function factorization(dimension: number, factor = -1): [number, number] {
  if (factor > 0 && dimension % factor === 0) {
    const m = factor;
    const n = dimension / factor;
    return m > n ? [n, m] : [m, n];
  }
  const limit = factor < 0 ? dimension : factor;
  let m = 1;
  let n = dimension;
  let length = m + n;
  while (m < n) {
    let next = m + 1;
    while (dimension % next !== 0) next++;
    const other = dimension / next;
    if (next + other > length || next > limit) break;
    m = next;
    n = other;
    length = m + n;
  }
  return m > n ? [n, m] : [m, n];
}

function moduleParams(row: LayerRow, rank: number, algo: NetworkAlgo, factor: number): [number, number] {
  const k2 = row.kernel * row.kernel;
  if (algo === 'loha') return [2 * rank * (row.in * k2 + row.out), 4];
  if (algo === 'lokr') {
    const [outM, outN] = factorization(row.out, factor);
    const [inM, inN] = factorization(row.in, factor);
    const w1 = outM * inM;
    const lowRank = rank < Math.max(outN, inN) / 2;
    const w2 = lowRank ? outN * rank + rank * inN * k2 : outN * inN * k2;
    return [w1 + w2, lowRank ? 3 : 2];
  }
  return [rank * (row.in * k2 + row.out), 2];
}

function targeted(row: LayerRow, input: NetworkSizeInput): number {
  const { module, dim } = input;
  const lyco = module === 'lycoris.kohya';
  const convDim = lyco ? (input.convDim ?? dim) : (input.convDim ?? 0);
  const preset = lyco ? (input.preset ?? 'full') : 'kohya';
  const convTargeted = lyco
    ? !['attn-mlp', 'attn-only', 'full-lin', 'unet-transformer-only'].includes(preset)
    : convDim > 0;
  switch (row.target) {
    case 'te':
      if (!input.trainTextEncoder || preset === 'unet-only' || preset.startsWith('unet-')) return 0;
      return preset === 'attn-only' && !row.attention ? 0 : dim;
    case 'transformer':
      if (preset === 'unet-convblock-only') return 0;
      return preset === 'attn-only' && !row.attention ? 0 : dim;
    case 'resnet-linear':
      if (lyco) return ['attn-mlp', 'attn-only', 'unet-transformer-only'].includes(preset) ? 0 : dim;
      return convTargeted ? dim : 0;
    case 'resnet-conv':
      return convTargeted ? convDim : 0;
    case 'extra-conv':
      return lyco && preset === 'full' && convTargeted ? convDim : 0;
    case 'extra-linear':
      return lyco && (preset === 'full' || preset === 'full-lin') ? dim : 0;
  }
}

/** Per-tensor header entry (~130 bytes of JSON) plus the ss_* training metadata. */
const HEADER_BYTES_PER_TENSOR = 130;
const METADATA_BYTES = 8_000;

/**
 * Exact parameter count of the LoRA/LyCORIS file from the module shape tables, and its size on disk.
 * The SDXL text-encoder rows are kohya's (SDXL names; LyCORIS' SD1 name targets do not match there).
 */
export function estimateNetworkSize(input: NetworkSizeInput): NetworkSize {
  const shapes = shapesFor(input.family);
  const algo: NetworkAlgo = input.module === 'networks.lora' ? 'lora' : (input.algo ?? 'locon');
  const factor = input.factor ?? -1;
  let params = 0;
  let modules = 0;
  let tensors = 0;
  const rows = [
    ...shapes.unet.filter((r) => input.family !== 'sdxl' || !r.target.startsWith('extra')),
    ...shapes.textEncoders,
  ];
  for (const row of rows) {
    const rank = targeted(row, input);
    if (rank <= 0) continue;
    const [p, t] = moduleParams(row, rank, algo, factor);
    params += p * row.count;
    modules += row.count;
    tensors += (t + 1) * row.count; // + alpha
  }
  const bytes = (params + modules) * input.bytesPerParam + tensors * HEADER_BYTES_PER_TENSOR + METADATA_BYTES;
  return { params, modules, tensors, bytes, mb: bytes / 1e6, mib: bytes / 2 ** 20 };
}

export interface FileSizeEstimate {
  bytes: number;
  mb: number;
  mib: number;
  params: number;
  /** What the figure is: a LoRA/LyCORIS file or a whole checkpoint (DreamBooth). */
  kind: 'network' | 'checkpoint';
}

function bytesPerParam(savePrecision: unknown): number {
  return savePrecision === 'float' ? 4 : 2;
}

/** File size of what a configuration will save. */
export function estimateFileSize(config: TrainingConfig): FileSizeEstimate {
  const v = resolveValues(config);
  const bpp = bytesPerParam(v.get('save_precision'));
  if (config.trainingType === 'dreambooth') {
    const p = shapesFor(config.family).params;
    const params = p.unet + p.textEncoders + p.vae;
    const bytes = params * bpp;
    return { bytes, mb: bytes / 1e6, mib: bytes / 2 ** 20, params, kind: 'checkpoint' };
  }
  const module = networkModuleFor(config, v) === 'lycoris.kohya' ? 'lycoris.kohya' : 'networks.lora';
  const num = (id: string) => {
    const x = v.get(id);
    return typeof x === 'number' ? x : undefined;
  };
  const algoRaw = v.get('network_args.algo');
  const algo: NetworkAlgo =
    algoRaw === 'loha' || algoRaw === 'lokr' || algoRaw === 'lora' ? algoRaw : 'locon';
  const teLr = num('text_encoder_lr');
  const trainTe = v.get('network_train_unet_only') !== true && teLr !== 0;
  const preset = v.get('network_args.preset');
  const size = estimateNetworkSize({
    family: config.family,
    module,
    algo,
    dim: num('network_dim') ?? 4,
    convDim: num('network_args.conv_dim'),
    preset: typeof preset === 'string' ? preset : undefined,
    trainTextEncoder: trainTe,
    bytesPerParam: bpp,
    factor: num('network_args.factor'),
  });
  return { bytes: size.bytes, mb: size.mb, mib: size.mib, params: size.params, kind: 'network' };
}
