import type { ModelFamily } from '../types';

/**
 * Layer shapes of the modules that networks.lora and LyCORIS wrap, as data. Each row is one kind of
 * layer with its multiplicity. `target` says which rule picks it up:
 * - `transformer`: Linear / 1×1 conv inside Transformer2DModel (what kohya LoRA trains by default);
 * - `resnet-conv`: 3×3 convs of ResnetBlock2D / Downsample2D / Upsample2D (LoRA-C3Lier, LoCon);
 * - `resnet-linear`: time_emb_proj and 1×1 conv_shortcut inside those blocks (trained at network_dim
 *   once conv modules are targeted);
 * - `extra-conv` / `extra-linear`: conv_in, conv_out, time_embedding (LyCORIS "full" preset, SD1/2 names);
 * - `te`: CLIPAttention / CLIPMLP Linear layers of the text encoder(s).
 */
export interface LayerRow {
  in: number;
  out: number;
  kernel: 1 | 3;
  count: number;
  target: 'transformer' | 'resnet-conv' | 'resnet-linear' | 'extra-conv' | 'extra-linear' | 'te';
  /** attention (q/k/v/out) vs the rest, for LyCORIS attn-only. */
  attention?: boolean;
}

function transformer(c: number, ctx: number, depth: number, blocks: number): LayerRow[] {
  const n = depth * blocks;
  return [
    { in: c, out: c, kernel: 1, count: 2 * blocks, target: 'transformer' }, // proj_in, proj_out
    { in: c, out: c, kernel: 1, count: 4 * n + 2 * n, target: 'transformer', attention: true }, // attn1 qkvo, attn2 q/out
    { in: ctx, out: c, kernel: 1, count: 2 * n, target: 'transformer', attention: true }, // attn2 to_k, to_v
    { in: c, out: 8 * c, kernel: 1, count: n, target: 'transformer' }, // ff.net.0.proj (GEGLU)
    { in: 4 * c, out: c, kernel: 1, count: n, target: 'transformer' }, // ff.net.2
  ];
}

function resnet(cin: number, cout: number, temb: number): LayerRow[] {
  const rows: LayerRow[] = [
    { in: cin, out: cout, kernel: 3, count: 1, target: 'resnet-conv' },
    { in: cout, out: cout, kernel: 3, count: 1, target: 'resnet-conv' },
    { in: temb, out: cout, kernel: 1, count: 1, target: 'resnet-linear' },
  ];
  if (cin !== cout) rows.push({ in: cin, out: cout, kernel: 1, count: 1, target: 'resnet-linear' });
  return rows;
}

const sample = (c: number): LayerRow => ({ in: c, out: c, kernel: 3, count: 1, target: 'resnet-conv' });

function clip(width: number, layers: number, mlp: number): LayerRow[] {
  return [
    { in: width, out: width, kernel: 1, count: 4 * layers, target: 'te', attention: true },
    { in: width, out: mlp, kernel: 1, count: layers, target: 'te' },
    { in: mlp, out: width, kernel: 1, count: layers, target: 'te' },
  ];
}

/** SD 1.x / 2.x U-Net (diffusers layout; SD2 has a 1024-wide context and linear projections). */
function sdUnet(ctx: number): LayerRow[] {
  const t = 1280;
  return [
    ...transformer(320, ctx, 1, 5),
    ...transformer(640, ctx, 1, 5),
    ...transformer(1280, ctx, 1, 6),
    // down blocks
    ...resnet(320, 320, t),
    ...resnet(320, 320, t),
    sample(320),
    ...resnet(320, 640, t),
    ...resnet(640, 640, t),
    sample(640),
    ...resnet(640, 1280, t),
    ...resnet(1280, 1280, t),
    sample(1280),
    ...resnet(1280, 1280, t),
    ...resnet(1280, 1280, t),
    // mid
    ...resnet(1280, 1280, t),
    ...resnet(1280, 1280, t),
    // up blocks (input = previous output + skip)
    ...resnet(2560, 1280, t),
    ...resnet(2560, 1280, t),
    ...resnet(2560, 1280, t),
    sample(1280),
    ...resnet(2560, 1280, t),
    ...resnet(2560, 1280, t),
    ...resnet(1920, 1280, t),
    sample(1280),
    ...resnet(1920, 640, t),
    ...resnet(1280, 640, t),
    ...resnet(960, 640, t),
    sample(640),
    ...resnet(960, 320, t),
    ...resnet(640, 320, t),
    ...resnet(640, 320, t),
    // conv_in, conv_out, time embedding (names LyCORIS' full preset matches)
    { in: 4, out: 320, kernel: 3, count: 1, target: 'extra-conv' },
    { in: 320, out: 4, kernel: 3, count: 1, target: 'extra-conv' },
    { in: 320, out: 1280, kernel: 1, count: 1, target: 'extra-linear' },
    { in: 1280, out: 1280, kernel: 1, count: 1, target: 'extra-linear' },
  ];
}

/** SDXL base U-Net (kohya's sdxl_original_unet: input_blocks / middle_block / output_blocks). */
function sdxlUnet(): LayerRow[] {
  const t = 1280;
  return [
    ...transformer(640, 2048, 2, 5),
    ...transformer(1280, 2048, 10, 6),
    ...resnet(320, 320, t),
    ...resnet(320, 320, t),
    sample(320),
    ...resnet(320, 640, t),
    ...resnet(640, 640, t),
    sample(640),
    ...resnet(640, 1280, t),
    ...resnet(1280, 1280, t),
    ...resnet(1280, 1280, t),
    ...resnet(1280, 1280, t),
    ...resnet(2560, 1280, t),
    ...resnet(2560, 1280, t),
    ...resnet(1920, 1280, t),
    sample(1280),
    ...resnet(1920, 640, t),
    ...resnet(1280, 640, t),
    ...resnet(960, 640, t),
    sample(640),
    ...resnet(960, 320, t),
    ...resnet(640, 320, t),
    ...resnet(640, 320, t),
  ];
}

export interface ModelShapes {
  unet: LayerRow[];
  textEncoders: LayerRow[];
  /** Parameter counts of the whole model, for VRAM and DreamBooth checkpoint size. */
  params: { unet: number; textEncoders: number; vae: number };
}

const cache = new Map<ModelFamily, ModelShapes>();

export function shapesFor(family: ModelFamily): ModelShapes {
  const hit = cache.get(family);
  if (hit) return hit;
  const shapes: ModelShapes =
    family === 'sdxl'
      ? {
          unet: sdxlUnet(),
          textEncoders: [...clip(768, 12, 3072), ...clip(1280, 32, 5120)],
          params: { unet: 2_567_463_684, textEncoders: 123_060_480 + 694_659_840, vae: 83_653_863 },
        }
      : family === 'sd2'
        ? {
            unet: sdUnet(1024),
            textEncoders: clip(1024, 23, 4096),
            params: { unet: 865_910_724, textEncoders: 340_387_840, vae: 83_653_863 },
          }
        : {
            unet: sdUnet(768),
            textEncoders: clip(768, 12, 3072),
            params: { unet: 859_520_964, textEncoders: 123_060_480, vae: 83_653_863 },
          };
  cache.set(family, shapes);
  return shapes;
}
