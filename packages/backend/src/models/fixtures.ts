import { open } from 'node:fs/promises';

/**
 * Test fixtures: .safetensors files with the real key names and shapes of each model family and no real
 * weights. The data region is made with ftruncate, so a file "holding" an SDXL text-encoder embedding
 * takes no disk space (sparse) and the header's data_offsets stay consistent with the file size.
 */

export type FixtureKind = 'sd1' | 'sd2' | 'sdxl' | 'sdxl-refiner' | 'flux' | 'sd1-lora' | 'sdxl-lora' | 'vae';

type Tensor = [name: string, shape: number[]];

const unetSd1: Tensor[] = [
  ['model.diffusion_model.input_blocks.0.0.weight', [320, 4, 3, 3]],
  ['model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight', [320, 768]],
  ['model.diffusion_model.out.2.weight', [4, 320, 3, 3]],
];
const vae: Tensor[] = [
  ['first_stage_model.encoder.conv_in.weight', [128, 3, 3, 3]],
  ['first_stage_model.decoder.conv_out.weight', [3, 128, 3, 3]],
];

const layouts: Record<FixtureKind, Tensor[]> = {
  sd1: [
    ...unetSd1,
    ['cond_stage_model.transformer.text_model.embeddings.token_embedding.weight', [49408, 768]],
    ['cond_stage_model.transformer.text_model.encoder.layers.0.mlp.fc1.weight', [3072, 768]],
    ...vae,
  ],
  sd2: [
    ['model.diffusion_model.input_blocks.0.0.weight', [320, 4, 3, 3]],
    ['model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight', [320, 1024]],
    ['cond_stage_model.model.token_embedding.weight', [49408, 1024]],
    ['cond_stage_model.model.transformer.resblocks.0.attn.in_proj_weight', [3072, 1024]],
    ...vae,
  ],
  sdxl: [
    ['model.diffusion_model.input_blocks.0.0.weight', [320, 4, 3, 3]],
    ['model.diffusion_model.label_emb.0.0.weight', [1280, 2816]],
    ['model.diffusion_model.input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight', [640, 2048]],
    ['conditioner.embedders.0.transformer.text_model.embeddings.token_embedding.weight', [49408, 768]],
    ['conditioner.embedders.1.model.token_embedding.weight', [49408, 1280]],
    ['conditioner.embedders.1.model.text_projection', [1280, 1280]],
    ...vae,
  ],
  'sdxl-refiner': [
    ['model.diffusion_model.input_blocks.0.0.weight', [384, 4, 3, 3]],
    ['conditioner.embedders.0.model.token_embedding.weight', [49408, 1280]],
    ...vae,
  ],
  flux: [
    ['double_blocks.0.img_attn.qkv.weight', [9216, 3072]],
    ['single_blocks.0.linear1.weight', [21504, 3072]],
  ],
  'sd1-lora': [
    ['lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight', [16, 320, 1, 1]],
    ['lora_unet_down_blocks_0_attentions_0_proj_in.lora_up.weight', [320, 16, 1, 1]],
    ['lora_te_text_model_encoder_layers_0_mlp_fc1.lora_down.weight', [16, 768]],
  ],
  'sdxl-lora': [
    ['lora_unet_input_blocks_4_1_proj_in.lora_down.weight', [16, 640]],
    ['lora_te1_text_model_encoder_layers_0_mlp_fc1.lora_down.weight', [16, 768]],
    ['lora_te2_text_model_encoder_layers_0_mlp_fc1.lora_down.weight', [16, 1280]],
  ],
  vae: [
    ['encoder.conv_in.weight', [128, 3, 3, 3]],
    ['decoder.conv_out.weight', [3, 128, 3, 3]],
  ],
};

/**
 * Write a fixture model. `truncate` drops the last data byte, for the "incomplete download" case.
 * Returns the header length.
 */
export async function writeModelFixture(
  file: string,
  kind: FixtureKind,
  options: { metadata?: Record<string, string>; truncate?: boolean; extra?: Tensor[] } = {},
): Promise<number> {
  const header: Record<string, unknown> = {};
  if (options.metadata) header.__metadata__ = options.metadata;
  let offset = 0;
  for (const [name, shape] of [...layouts[kind], ...(options.extra ?? [])]) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 2;
    header[name] = { dtype: 'F16', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  const handle = await open(file, 'w');
  try {
    await handle.write(length, 0, 8, 0);
    await handle.write(json, 0, json.length, 8);
    await handle.truncate(8 + json.length + offset - (options.truncate ? 1 : 0));
  } finally {
    await handle.close();
  }
  return json.length;
}
