import { describe, expect, it } from 'vitest';
import { exportKohya } from './export';
import { importConfig } from './import';
import { presetFiles, readFixture } from './testing/paths';

describe('importConfig', () => {
  it('reads a kohya config TOML, folding network_args and optimizer_args back', () => {
    const r = importConfig(readFixture('kohya-config.toml'));
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.format).toBe('kohya-toml');
    expect(r.config.family).toBe('sd1');
    expect(r.config.trainingType).toBe('lycoris');
    expect(r.config.values).toMatchObject({
      pretrained_model_name_or_path: 'D:\\AI\\models\\可爱动漫底模 v3.safetensors',
      resolution: '512,640',
      network_dim: 16,
      'network_args.algo': 'loha',
      'network_args.conv_dim': 8,
      'network_args.use_tucker': false,
      'optimizer_args.weight_decay': 0.05,
      'optimizer_args.betas': '0.9,0.99',
      text_encoder_lr: 5e-5,
      lr_warmup_steps: 10,
      lr_scheduler_num_cycles: 4,
    });
    expect(r.unknownKeys).toEqual(['text_encoder_lr1']);
    expect(r.notices.map((n) => n.key)).toEqual(
      expect.arrayContaining(['dataset_config', 'text_encoder_lr1']),
    );
  });

  it('reads a Qiuye SD-Trainer autosave, folding lycoris_algo / conv_dim / prodigy_* into the args', () => {
    const r = importConfig(readFixture('qiuye-autosave.toml'));
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.format).toBe('qiuye-toml');
    expect(r.config.family).toBe('sdxl');
    expect(r.config.trainingType).toBe('lycoris');
    expect(r.config.values).toMatchObject({
      'network_args.algo': 'locon',
      'network_args.conv_dim': 4,
      'network_args.conv_alpha': 1,
      'optimizer_args.d_coef': 2,
      'optimizer_args.safeguard_warmup': true,
      unet_lr: 1e-4,
      optimizer_type: 'Prodigy',
    });
    expect(r.config.values.sample_prompts).toBeUndefined();
    expect(r.config.values['network_args.dropout']).toBeUndefined();
    expect(r.unknownKeys).toContain('gpu_ids');
    // 255 is not a kohya choice: reported, default kept
    expect(r.notices.some((n) => n.key === 'max_token_length')).toBe(true);
    const out = exportKohya(r.config);
    expect(out.networkArgKeys).toEqual(['algo', 'conv_dim', 'conv_alpha']);
  });

  it('reads a Qiuye [metadata]/[data] preset', () => {
    const r = importConfig(readFixture('qiuye-preset.toml'));
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.format).toBe('qiuye-toml');
    expect(r.config.values).toEqual({
      resolution: '768,768',
      max_bucket_reso: 2048,
      min_bucket_reso: 256,
      bucket_no_upscale: true,
    });
    expect(r.notices.map((n) => n.key)).toContain('metadata');
  });

  it('reads a kohya_ss GUI preset JSON', () => {
    const r = importConfig(readFixture('kohya_ss-preset.json'));
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.format).toBe('kohya_ss-json');
    expect(r.config.trainingType).toBe('lycoris');
    expect(r.config.values).toMatchObject({
      'network_args.algo': 'locon',
      'network_args.conv_dim': 16,
      optimizer_type: 'AdamW8bit',
      'optimizer_args.weight_decay': 0.01,
      'optimizer_args.betas': '0.9,0.999',
      resolution: '512,512',
      max_train_epochs: 8,
      lr_warmup_steps: 10,
      clip_skip: 2,
      keep_tokens: 1,
      seed: 1234,
      sdpa: true,
      noise_offset: 0.05,
      max_token_length: 225,
    });
    expect(r.config.values.vae_batch_size).toBeUndefined();
    expect(r.unknownKeys).toEqual(
      expect.arrayContaining(['noise_offset_type', 'num_cpu_threads_per_process']),
    );
  });

  it('reads a LoRA_Easy_Training_Scripts TOML with its subsets', () => {
    const r = importConfig(readFixture('lets.toml'));
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.format).toBe('lets-toml');
    expect(r.config.family).toBe('sdxl');
    expect(r.config.values).toMatchObject({
      resolution: '1024,1024',
      train_batch_size: 2,
      network_dim: 16,
      'optimizer_args.weight_decay': 0.1,
      lr_warmup_steps: 5,
      max_bucket_reso: 2048,
    });
    expect(r.config.subsets).toEqual([
      {
        imageDir: '/home/me/数据集/mio',
        numRepeats: 12,
        classTokens: 'mio girl',
        captionExtension: '.txt',
        keepTokens: 1,
        overrides: { shuffle_caption: true, flip_aug: false },
      },
      { imageDir: '/home/me/reg/girl', numRepeats: 1, isReg: true, overrides: { shuffle_caption: false } },
    ]);
    const ds = exportKohya(r.config).datasetToml!;
    expect(ds).toContain('[[datasets.subsets]]');
    expect(ds).toContain('shuffle_caption = false');
  });

  it('round-trips a Danlu export: config TOML in, same values out', () => {
    const preset = presetFiles().find((f) => f.name === 'sd15-locon-character.toml')!;
    const first = importConfig(preset.text);
    if (!first.ok) throw new Error(first.error.message.en);
    expect(first.format).toBe('danlu-preset');
    const out = exportKohya({
      ...first.config,
      values: { ...first.config.values, output_dir: 'C:\\Users\\小明\\My LoRA' },
    });
    const back = importConfig(out.configToml);
    if (!back.ok) throw new Error(back.error.message.en);
    expect(back.config.trainingType).toBe('lycoris');
    expect(back.config.values.output_dir).toBe('C:\\Users\\小明\\My LoRA');
    expect(back.config.values['network_args.conv_alpha']).toBe(4);
    expect(back.config.values.lr_warmup_steps).toBe(5);
  });

  describe('malformed input', () => {
    it('truncated TOML names the line, nothing applied', () => {
      const r = importConfig('network_dim = 16\nnetwork_alpha = \n');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('syntax');
        expect(r.error.line).toBe(2);
        expect(r.error.message.en).toContain('line 2');
      }
    });
    it('truncated JSON names the line', () => {
      const r = importConfig('{\n  "network_dim": 16,\n  "optimizer": "AdamW8bit"');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('syntax');
    });
    it('a value of the wrong kind fails the whole file, naming the key', () => {
      const r = importConfig('[network]\nnetwork_dim = 16\nnetwork_alpha = "half"\n');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.key).toBe('network_alpha');
        expect(r.error.message.zh).toContain('network_alpha');
      }
    });
    it('accepts a BOM and CRLF line endings', () => {
      const r = importConfig('\uFEFF[network]\r\nnetwork_dim = 16\r\nlearning_rate = "1e-4"\r\n');
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.config.values).toEqual({ network_dim: 16, learning_rate: 1e-4 });
    });
    it('refuses Qiuye types Danlu does not train', () => {
      const r = importConfig('model_train_type = "flux-lora"\nnetwork_dim = 2\n');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.key).toBe('model_train_type');
    });
  });
});
