import { describe, expect, it } from 'vitest';
import type { TrainingConfig } from './config';
import { parsePreset } from './presets';
import { checkConfig, hasErrors, type RuleResult } from './rules';
import { presetFiles } from './testing/paths';

function preset(name: string): TrainingConfig {
  const r = parsePreset(presetFiles().find((f) => f.name === name)!.text);
  if (!r.ok) throw new Error(r.error.message.en);
  return {
    ...r.preset.config,
    values: {
      ...r.preset.config.values,
      pretrained_model_name_or_path: 'C:\\models\\anime.safetensors',
      output_dir: 'C:\\out',
    },
    subsets: [{ imageDir: 'C:\\data\\10_char', numRepeats: 8, imageCount: 20 }],
  };
}

const ids = (r: RuleResult[]) => r.map((x) => x.id);
const withValues = (c: TrainingConfig, values: TrainingConfig['values']): TrainingConfig => ({
  ...c,
  values: { ...c.values, ...values },
});
const apply = (c: TrainingConfig, r: RuleResult | undefined): TrainingConfig => {
  const values = { ...c.values };
  for (const [k, v] of Object.entries(r?.fix?.patch ?? {})) values[k] = v;
  return { ...c, values };
};

describe('checkConfig', () => {
  const anime = preset('sd15-anime-character.toml');

  it('passes a complete preset-based configuration without errors or warnings', () => {
    expect(checkConfig(anime, { gpu: { vramGb: 12, name: 'RTX 3060' }, pathExists: () => true })).toEqual([]);
  });

  it.each([
    ['resolution-multiple', { resolution: '500,500' }, 'error'],
    ['bucket-step', { bucket_reso_steps: 48 }, 'error'],
    ['bucket-max', { resolution: '1280,1280' }, 'error'],
    ['alpha-above-dim', { network_alpha: 64 }, 'warning'],
    ['adaptive-lr', { optimizer_type: 'Prodigy' }, 'warning'],
    [
      'dadapt-scheduler',
      { optimizer_type: 'DAdaptAdam', learning_rate: 1, unet_lr: 1, text_encoder_lr: 1 },
      'warning',
    ],
    ['lion-lr', { optimizer_type: 'Lion' }, 'warning'],
    ['lr-overridden', { learning_rate: 2e-4 }, 'warning'],
    ['te-lr-unet-only', { network_train_unet_only: true }, 'warning'],
    ['aug-vs-cached-latents', { color_aug: true }, 'error'],
    ['flip-aug-asymmetric', { flip_aug: true }, 'warning'],
    ['full-fp16-needs-fp16', { full_fp16: true, mixed_precision: 'bf16' }, 'error'],
    ['restarts-without-cycles', { lr_scheduler_num_cycles: 1 }, 'warning'],
    ['warmup-on-constant', { lr_scheduler: 'constant' }, 'error'],
    ['save-every-beyond-epochs', { save_every_n_epochs: 30 }, 'warning'],
    ['sampling-without-prompts', { sample_every_n_epochs: 2 }, 'error'],
    ['two-attention-backends', { xformers: true }, 'warning'],
    ['adaptive-noise-needs-offset', { adaptive_noise_scale: 0.05 }, 'error'],
    ['steps-out-of-range', { max_train_epochs: 100 }, 'warning'],
    ['model-missing', { pretrained_model_name_or_path: '' }, 'error'],
  ] as const)('%s fires (%s) and its fix clears it', (id, values, severity) => {
    const cfg = withValues(anime, values);
    const found = checkConfig(cfg).find((r) => r.id === id);
    expect(found?.severity).toBe(severity);
    expect(found?.text.zh.length).toBeGreaterThan(4);
    expect(found?.text.en.length).toBeGreaterThan(10);
    if (found?.fix) expect(ids(checkConfig(apply(cfg, found)))).not.toContain(id);
  });

  it('SDXL text-encoder caching needs U-Net only and fixed captions', () => {
    const sdxl = withValues(preset('sdxl-character.toml'), {
      cache_text_encoder_outputs: true,
      network_train_unet_only: false,
      caption_dropout_rate: 0.05,
    });
    const r = checkConfig(sdxl);
    expect(ids(r)).toEqual(expect.arrayContaining(['te-cache-needs-unet-only', 'te-cache-caption-random']));
    expect(r.find((x) => x.id === 'te-cache-caption-random')?.keys).toEqual([
      'shuffle_caption',
      'caption_dropout_rate',
    ]);
    expect(hasErrors(checkConfig(preset('sdxl-character-8gb.toml')))).toBe(false);
  });

  it('SDXL allows bucket step 32 and warns on clip_skip', () => {
    const sdxl = withValues(preset('sdxl-character.toml'), { bucket_reso_steps: 32, clip_skip: 2 });
    const r = ids(checkConfig(sdxl));
    expect(r).not.toContain('bucket-step');
    expect(r).toContain('clip-skip-ignored');
    expect(ids(checkConfig(withValues(anime, { bucket_reso_steps: 32 })))).toContain('bucket-step');
  });

  it('knows the GPU generation for bf16 and the DreamBooth memory floor', () => {
    const bf = withValues(anime, { mixed_precision: 'bf16', save_precision: 'bf16' });
    expect(ids(checkConfig(bf, { gpu: { vramGb: 8, name: 'NVIDIA GeForce RTX 2070' } }))).toContain(
      'bf16-unsupported',
    );
    expect(ids(checkConfig(bf, { gpu: { vramGb: 12, name: 'NVIDIA GeForce RTX 3060' } }))).not.toContain(
      'bf16-unsupported',
    );
    const db = preset('sd15-dreambooth-person.toml');
    expect(ids(checkConfig(db, { gpu: { vramGb: 8 } }))).toContain('dreambooth-low-vram');
    expect(ids(checkConfig(db, { gpu: { vramGb: 24 } }))).not.toContain('dreambooth-low-vram');
  });

  it('flags LyCORIS ranks above 64 (32 for LoHa) but not LoKr', () => {
    const locon = withValues(preset('sd15-locon-character.toml'), { network_dim: 96, network_alpha: 48 });
    expect(ids(checkConfig(locon))).toContain('lycoris-dim');
    const loha = withValues(preset('sd15-loha-style.toml'), { network_dim: 48, network_alpha: 24 });
    expect(ids(checkConfig(loha))).toContain('lycoris-dim');
    const lokr = withValues(loha, { 'network_args.algo': 'lokr', network_dim: 10000, network_alpha: 1 });
    expect(ids(checkConfig(lokr))).not.toContain('lycoris-dim');
  });

  it('reports missing paths through the caller’s pathExists', () => {
    const r = checkConfig(anime, { pathExists: (p) => !p.includes('10_char') });
    expect(ids(r)).toEqual(['path-missing.subsets.0.imageDir']);
    expect(r[0]?.text.en).toContain('C:\\data\\10_char');
  });

  it('suggests VRAM switches when the run will not fit', () => {
    const heavy = withValues(preset('sdxl-character.toml'), { gradient_checkpointing: false });
    const r = checkConfig(heavy, { gpu: { vramGb: 12 } }).find((x) => x.id === 'vram-will-not-fit');
    expect(r?.fix?.patch).toHaveProperty('gradient_checkpointing', true);
  });

  it('turns wrongly typed values into errors before any rule runs', () => {
    const r = checkConfig(withValues(anime, { network_dim: 'many' }));
    expect(r).toHaveLength(1);
    expect(r[0]?.id).toBe('value.network_dim');
    expect(hasErrors(r)).toBe(true);
  });
});

describe('checkConfig: length, buckets, learning rates and resolution', () => {
  const anime = preset('sd15-anime-character.toml');
  const find = (c: TrainingConfig, id: string) => checkConfig(c).find((r) => r.id === id);

  it('warns that max_train_steps is ignored while epochs are set, and the fix unsets epochs', () => {
    const c = withValues(anime, { max_train_steps: 1500 });
    const r = find(c, 'steps-overridden-by-epochs');
    expect(r?.fix?.patch).toEqual({ max_train_epochs: null });
    const fixed = apply(c, r);
    expect(ids(checkConfig(fixed))).not.toContain('steps-overridden-by-epochs');
  });

  it('warns when neither epochs nor steps is set (kohya trains 1600 steps)', () => {
    const c = withValues(anime, { max_train_epochs: null });
    expect(ids(checkConfig(c))).toContain('length-unset');
    expect(ids(checkConfig(withValues(c, { max_train_steps: 2000 })))).not.toContain('length-unset');
  });

  it('says min/max bucket sides are ignored with bucket_no_upscale only when the user changed them', () => {
    expect(ids(checkConfig(anime))).not.toContain('bucket-no-upscale-ignores-min-max');
    // The SDXL presets restate the SDXL default 2048: no choice of the user, no warning.
    const xl = preset('sdxl-character.toml');
    expect(xl.values.max_bucket_reso).toBe(2048);
    expect(ids(checkConfig(xl))).not.toContain('bucket-no-upscale-ignores-min-max');
    const c = withValues(anime, { bucket_no_upscale: true, min_bucket_reso: 320 });
    const r = find(c, 'bucket-no-upscale-ignores-min-max');
    expect(r?.fix?.patch).toEqual({ bucket_no_upscale: false });
    expect(ids(checkConfig(apply(c, r)))).not.toContain('bucket-no-upscale-ignores-min-max');
  });

  it('reports bucket sides that kohya rounds to the bucket step', () => {
    const r = find(
      withValues(anime, { min_bucket_reso: 300, max_bucket_reso: 1000 }),
      'bucket-reso-not-step-multiple',
    );
    expect(r?.fix?.patch).toEqual({ min_bucket_reso: 256, max_bucket_reso: 1024 });
  });

  it('warns about a text-encoder LR above the U-Net LR and halves it', () => {
    const r = find(withValues(anime, { unet_lr: 0.0001, text_encoder_lr: 0.0003 }), 'te-lr-above-unet');
    expect(r?.fix?.patch).toEqual({ text_encoder_lr: 0.00005 });
    const unetOnly = withValues(anime, { text_encoder_lr: 0.0003, network_train_unet_only: true });
    expect(ids(checkConfig(unetOnly))).not.toContain('te-lr-above-unet');
  });

  it('warns about SDXL below 768 px and SD1 far above 768 px', () => {
    const xl = { ...anime, family: 'sdxl' as const, values: { ...anime.values, clip_skip: null } };
    expect(find(withValues(xl, { resolution: '512,512' }), 'sdxl-low-resolution')?.fix?.patch).toEqual({
      resolution: '1024,1024',
    });
    expect(ids(checkConfig(withValues(xl, { resolution: '1024,1024' })))).not.toContain(
      'sdxl-low-resolution',
    );
    expect(ids(checkConfig(withValues(anime, { resolution: '1024,1024' })))).toContain('sd1-high-resolution');
  });

  it('warns about a U-Net learning rate far above 1e-4', () => {
    expect(
      find(withValues(anime, { unet_lr: 0.002, text_encoder_lr: 0.0001 }), 'unet-lr-high')?.fix?.patch,
    ).toEqual({
      unet_lr: 0.0001,
    });
  });

  it('fixes total steps by steps when epochs are not set', () => {
    const c = withValues(anime, { max_train_epochs: null, max_train_steps: 20000 });
    expect(find(c, 'steps-out-of-range')?.fix?.patch).toEqual({ max_train_steps: 2000 });
  });
});
