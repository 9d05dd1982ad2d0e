import { describe, expect, it } from 'vitest';
import { checkBaseModel, inspectDiffusersConfig, inspectModelKeys, keyNamesFromPickleBytes } from './family';

const keys = (...names: Array<string | [string, number[]]>) =>
  names.map((n) => (typeof n === 'string' ? { name: n, shape: [] } : { name: n[0], shape: n[1] }));

describe('inspectModelKeys', () => {
  it('tells the family of a U-Net-only file from its cross-attention width and refuses it', () => {
    const r = inspectModelKeys({
      format: 'safetensors',
      tensors: keys([
        'model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight',
        [320, 1024],
      ]),
    });
    expect(r).toMatchObject({ kind: 'unet', family: 'sd2' });
    expect(checkBaseModel(r).ok).toBe(false);
  });

  it('recognises LyCORIS LoHa keys as a LoRA-type file, family from the metadata', () => {
    const r = inspectModelKeys({
      format: 'safetensors',
      tensors: keys('lora_unet_input_blocks_4_1_proj_in.hada_w1_a'),
      metadata: { 'modelspec.architecture': 'stable-diffusion-xl-v1-base/lora' },
    });
    expect(r).toMatchObject({ kind: 'lora', family: 'sdxl' });
  });

  it('guesses from the file name only when there are no keys, and says so', () => {
    const r = inspectModelKeys({ format: 'ckpt', tensors: [], fileName: 'animagine-xl-3.1.ckpt' });
    expect(r).toMatchObject({ family: 'sdxl', basis: 'name' });
    expect(r.warnings[0]?.en).toMatch(/file name only/);
  });

  it('accepts a matching family and offers the switch otherwise', () => {
    const sd1 = inspectModelKeys({
      format: 'safetensors',
      tensors: keys(
        'model.diffusion_model.out.2.weight',
        'cond_stage_model.transformer.text_model.final_layer_norm.weight',
        'first_stage_model.decoder.conv_out.weight',
      ),
    });
    expect(checkBaseModel(sd1, 'sd1')).toMatchObject({ ok: true, family: 'sd1' });
    expect(checkBaseModel(sd1, 'sdxl')).toMatchObject({ ok: false, switchTo: 'sd1' });
  });
});

describe('inspectDiffusersConfig', () => {
  it('reads the pipeline class and the v-prediction flag of the scheduler', () => {
    expect(inspectDiffusersConfig({ pipelineClass: 'StableDiffusionXLPipeline' }).family).toBe('sdxl');
    const sd2 = inspectDiffusersConfig({
      pipelineClass: 'StableDiffusionPipeline',
      crossAttentionDim: 1024,
      predictionType: 'v_prediction',
    });
    expect(sd2).toMatchObject({ family: 'sd2', vPrediction: true });
    expect(inspectDiffusersConfig({ pipelineClass: 'FluxPipeline' }).family).toBe('flux');
  });
});

describe('keyNamesFromPickleBytes', () => {
  it('takes BINUNICODE and SHORT_BINUNICODE payloads that look like keys, nothing else', () => {
    const name = 'cond_stage_model.model.token_embedding.weight';
    const long = Buffer.alloc(5);
    long.writeUInt8(0x58, 0);
    long.writeUInt32LE(name.length, 1);
    const bytes = Buffer.concat([
      long,
      Buffer.from(name, 'latin1'),
      Buffer.from([0x8c, 9]),
      Buffer.from('has space', 'latin1'),
      Buffer.from([0x8c, 6]),
      Buffer.from('v_pred', 'latin1'),
    ]);
    expect(keyNamesFromPickleBytes(bytes).map((k) => k.name)).toEqual([name, 'v_pred']);
  });
});
