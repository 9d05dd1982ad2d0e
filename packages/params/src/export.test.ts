import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { TrainingConfig } from './config';
import { exportKohya } from './export';
import { parsePreset } from './presets';
import { hasKohyaReference, presetFiles, referenceKeys } from './testing/paths';

const big = (text: string) => parse(text, { integersAsBigInt: true });

const subsets: TrainingConfig['subsets'] = [
  {
    imageDir: 'D:\\训练集\\my char\\img',
    numRepeats: 8,
    classTokens: 'mychar girl',
    captionExtension: '.txt',
  },
  { imageDir: '/home/user/正则 images/girl', numRepeats: 1, isReg: true, classTokens: 'girl' },
];

function presetConfig(name: string): TrainingConfig {
  const file = presetFiles().find((f) => f.name === name);
  const r = parsePreset(file!.text);
  if (!r.ok) throw new Error(r.error.message.en);
  return { ...r.preset.config, subsets };
}

describe('exportKohya', () => {
  it('writes exact kohya types for an SD1.5 LoRA', () => {
    const cfg = presetConfig('sd15-anime-character.toml');
    const out = exportKohya(cfg, { datasetConfigPath: 'C:\\Runs\\第 1 次\\dataset.toml' });
    expect(out.script).toBe('train_network.py');
    const c = big(out.configToml);
    const flat = Object.assign({}, ...Object.values(c)) as Record<string, unknown>;
    expect(flat.resolution).toBe('512,512');
    expect(flat.network_dim).toBe(16n);
    expect(flat.network_alpha).toBe(8);
    expect(typeof flat.network_alpha).toBe('number');
    expect(flat.learning_rate).toBe(0.0001);
    expect(flat.lr_warmup_steps).toBe(0.05);
    expect(flat.max_train_epochs).toBe(20n);
    expect(flat.network_module).toBe('networks.lora');
    expect(flat.dataset_config).toBe('C:\\Runs\\第 1 次\\dataset.toml');
    expect(flat.cache_latents).toBe(true);
    expect(flat.v2).toBeUndefined();
    expect(flat.train_batch_size).toBeUndefined();

    const d = big(out.datasetToml!) as {
      general: Record<string, unknown>;
      datasets: Array<Record<string, unknown> & { subsets: Array<Record<string, unknown>> }>;
    };
    expect(Object.keys(d).sort()).toEqual(['datasets', 'general']);
    expect(d.general.caption_extension).toBe('.txt');
    expect(d.general.shuffle_caption).toBe(true);
    expect(d.general.keep_tokens).toBe(1n);
    const ds = d.datasets[0]!;
    expect(ds.resolution).toEqual([512n, 512n]);
    expect(ds.batch_size).toBe(2n);
    expect(ds.subsets[0]).toMatchObject({ image_dir: 'D:\\训练集\\my char\\img', num_repeats: 8n });
    expect(ds.subsets[1]).toMatchObject({ image_dir: '/home/user/正则 images/girl', is_reg: true });
  });

  it('folds LyCORIS settings into network_args strings and leaves false flags out', () => {
    const cfg = presetConfig('sd15-locon-character.toml');
    cfg.values['network_args.decompose_both'] = false;
    cfg.values['network_args.use_tucker'] = true;
    const flat = Object.assign({}, ...Object.values(big(exportKohya(cfg).configToml))) as Record<
      string,
      unknown
    >;
    expect(flat.network_module).toBe('lycoris.kohya');
    expect(flat.network_args).toEqual(['algo=locon', 'conv_dim=8', 'conv_alpha=4.0', 'use_tucker=True']);
  });

  it('writes optimizer_args only for the optimizer that takes them', () => {
    const cfg = presetConfig('sdxl-character.toml');
    cfg.values.optimizer_type = 'Prodigy';
    cfg.values.learning_rate = 1;
    cfg.values.unet_lr = 1;
    cfg.values['optimizer_args.d_coef'] = 2;
    cfg.values['optimizer_args.decouple'] = true;
    cfg.values['optimizer_args.weight_decay'] = 0.01;
    cfg.values['optimizer_args.betas'] = '0.9,0.99';
    cfg.values['optimizer_args.relative_step'] = false;
    const out = exportKohya(cfg);
    const flat = Object.assign({}, ...Object.values(big(out.configToml))) as Record<string, unknown>;
    expect(out.script).toBe('sdxl_train_network.py');
    expect(flat.optimizer_args).toEqual([
      'weight_decay=0.01',
      'betas=0.9,0.99',
      'd_coef=2.0',
      'decouple=True',
    ]);
    expect(out.notices.map((n) => n.id)).toContain('optimizer_args.relative_step');
    expect(flat.learning_rate).toBe(1);
    expect(flat.network_train_unet_only).toBe(true);
    expect(flat.clip_skip).toBeUndefined();
  });

  it('uses the config file for dataset options in folder mode', () => {
    const cfg: TrainingConfig = {
      family: 'sd2',
      trainingType: 'lora',
      values: { train_data_dir: 'E:\\lora data\\train', network_multiplier: 0.5 },
      subsets: [],
    };
    const out = exportKohya(cfg);
    expect(out.datasetToml).toBeNull();
    const flat = Object.assign({}, ...Object.values(big(out.configToml))) as Record<string, unknown>;
    expect(flat.v2).toBe(true);
    expect(flat.resolution).toBe('768,768');
    expect(flat.train_batch_size).toBe(1n);
    expect(flat.train_data_dir).toBe('E:\\lora data\\train');
    expect(flat.enable_bucket).toBe(true);
    expect(out.notices.map((n) => n.id)).toContain('network_multiplier');
  });

  it('exports a DreamBooth fine-tune through train_db.py without network keys', () => {
    const cfg = presetConfig('sd15-dreambooth-person.toml');
    const out = exportKohya(cfg);
    expect(out.script).toBe('train_db.py');
    expect(out.configKeys).not.toContain('network_module');
    expect(out.configKeys).not.toContain('network_dim');
    expect(out.configKeys).not.toContain('unet_lr');
    expect(out.configKeys).toContain('learning_rate_te');
  });

  it.skipIf(!hasKohyaReference)('emits only keys present in the kohya reference, for every preset', () => {
    const ref = referenceKeys();
    for (const { name } of presetFiles()) {
      const out = exportKohya(presetConfig(name));
      for (const k of out.configKeys) expect(ref.options.has(k), `${name}: ${k}`).toBe(true);
      for (const k of out.datasetKeys) expect(ref.datasetKeys.has(k), `${name}: ${k}`).toBe(true);
      for (const k of out.networkArgKeys) expect(ref.networkArgs.has(k), `${name}: ${k}`).toBe(true);
      for (const k of out.optimizerArgKeys) expect(ref.optimizerWords.has(k), `${name}: ${k}`).toBe(true);
    }
  });
});
