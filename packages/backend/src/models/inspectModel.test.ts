import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { readSafetensorsTensors } from '@danlu/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeModelFixture } from './fixtures.js';
import { inspectModelPath, ModelReadError } from './inspectModel.js';
import { listModels } from './listModels.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.cleanup());

describe('inspectModelPath', () => {
  it.each([
    ['sd1', 'sd1', 768],
    ['sd2', 'sd2', 1024],
    ['sdxl', 'sdxl', 1280],
  ] as const)('tells a %s checkpoint by its text encoder keys', async (kind, family, width) => {
    const file = join(temp.dir, `底模 ${kind}.safetensors`);
    await writeModelFixture(file, kind);
    const r = await inspectModelPath(file);
    expect(r).toMatchObject({
      format: 'safetensors',
      kind: 'checkpoint',
      family,
      usable: true,
      basis: 'keys',
    });
    expect(r.textEncoderWidth).toBe(width);
    expect(r.vPrediction).toBeNull();
  });

  it('says v-prediction cannot be known for SD2 and reads the v_pred marker when present', async () => {
    const plain = join(temp.dir, 'sd2.safetensors');
    await writeModelFixture(plain, 'sd2');
    const r = await inspectModelPath(plain);
    expect(r.warnings.map((w) => w.en).join(' ')).toMatch(/cannot tell v-prediction/);
    const marked = join(temp.dir, 'noob vpred.safetensors');
    await writeModelFixture(marked, 'sdxl', { extra: [['v_pred', [0]]] });
    expect((await inspectModelPath(marked)).vPrediction).toBe(true);
  });

  it('refuses a LoRA as base model, naming its family', async () => {
    const file = join(temp.dir, 'my lora.safetensors');
    await writeModelFixture(file, 'sdxl-lora', { metadata: { ss_network_module: 'networks.lora' } });
    const r = await inspectModelPath(file, 'sd1');
    expect(r).toMatchObject({ kind: 'lora', family: 'sdxl', usable: false, switchTo: null });
    expect(r.error?.zh).toContain('LoRA');
    expect(r.error?.en).toContain('not a base model');
  });

  it('offers to switch the family when an SDXL model meets an SD1.5 configuration', async () => {
    const file = join(temp.dir, 'xl.safetensors');
    await writeModelFixture(file, 'sdxl');
    const r = await inspectModelPath(file, 'sd1');
    expect(r).toMatchObject({ family: 'sdxl', usable: false, switchTo: 'sdxl' });
    expect(r.error?.en).toMatch(/Switch to SDXL/);
  });

  it('refuses a VAE, the SDXL refiner and FLUX', async () => {
    for (const kind of ['vae', 'sdxl-refiner', 'flux'] as const) {
      const file = join(temp.dir, `${kind}.safetensors`);
      await writeModelFixture(file, kind);
      const r = await inspectModelPath(file);
      expect(r.usable, kind).toBe(false);
    }
  });

  it('reports a truncated download and a file that is not safetensors', async () => {
    const cut = join(temp.dir, 'cut.safetensors');
    await writeModelFixture(cut, 'sd1', { truncate: true });
    const read = await readSafetensorsTensors(cut);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message.en).toMatch(/truncated/);
    await expect(inspectModelPath(cut)).rejects.toBeInstanceOf(ModelReadError);

    const junk = join(temp.dir, 'junk.safetensors');
    await writeFile(junk, Buffer.from('this is not a model at all, just text'));
    await expect(inspectModelPath(junk)).rejects.toMatchObject({
      text: { en: expect.stringMatching(/implausible/) as string },
    });
    await expect(inspectModelPath(join(temp.dir, 'none.safetensors'))).rejects.toBeInstanceOf(ModelReadError);
  });

  it('reads key names from a .ckpt pickle as text, never unpickling it', async () => {
    // SHORT_BINUNICODE (0x8c, length) payloads as a protocol-2 pickle writes them, plus noise.
    const key = (s: string) => Buffer.concat([Buffer.from([0x8c, s.length]), Buffer.from(s, 'latin1')]);
    const pickle = Buffer.concat([
      Buffer.from([0x80, 0x02, 0x7d]),
      key('state_dict'),
      key('cond_stage_model.transformer.text_model.embeddings.token_embedding.weight'),
      key('model.diffusion_model.input_blocks.0.0.weight'),
      key('first_stage_model.encoder.conv_in.weight'),
      Buffer.alloc(64, 0x2e),
    ]);
    const file = join(temp.dir, '老模型 v1-5.ckpt');
    await writeFile(file, pickle);
    const r = await inspectModelPath(file, 'sd1');
    expect(r).toMatchObject({ format: 'ckpt', kind: 'checkpoint', family: 'sd1', usable: true });
    expect(r.warnings[0]?.en).toMatch(/never runs the pickle/);
  });

  it('reads a diffusers folder from its configs', async () => {
    const dir = join(temp.dir, 'diffusers 模型');
    await mkdir(join(dir, 'text_encoder'), { recursive: true });
    await writeFile(
      join(dir, 'model_index.json'),
      JSON.stringify({ _class_name: 'StableDiffusionPipeline' }),
    );
    await writeFile(join(dir, 'text_encoder', 'config.json'), JSON.stringify({ hidden_size: 1024 }));
    const r = await inspectModelPath(dir);
    expect(r).toMatchObject({ format: 'diffusers', family: 'sd2', kind: 'checkpoint' });
  });

  it('lists model files in the folders, with families on request', async () => {
    await mkdir(join(temp.dir, 'models', 'Stable-diffusion'), { recursive: true });
    await writeModelFixture(join(temp.dir, 'models', 'Stable-diffusion', 'a.safetensors'), 'sdxl');
    await writeModelFixture(join(temp.dir, 'models', 'lora.safetensors'), 'sd1-lora');
    await writeFile(join(temp.dir, 'models', 'notes.txt'), 'x');
    const r = await listModels([join(temp.dir, 'models'), join(temp.dir, 'missing')], { inspect: true });
    expect(r.folders).toEqual([
      { path: join(temp.dir, 'models'), exists: true },
      { path: join(temp.dir, 'missing'), exists: false },
    ]);
    expect(r.models.map((m) => [m.name.replaceAll('\\', '/'), m.family, m.kind]).sort()).toEqual([
      ['Stable-diffusion/a.safetensors', 'sdxl', 'checkpoint'],
      ['lora.safetensors', 'sd1', 'lora'],
    ]);
  });
});
