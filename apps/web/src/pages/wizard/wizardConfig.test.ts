import { checkConfig, defaultConfig, exportKohya, resolveValues } from '@danlu/params';
import { describe, expect, it } from 'vitest';

import { builtInPresets } from '../../lib/presets.js';
import {
  buildWizardConfig,
  effectiveKind,
  knobDefaults,
  outputName,
  pickPresetId,
  withPreviewSamples,
  type WizardChoices,
} from './wizardConfig.js';

const base: WizardChoices = {
  subject: 'character',
  look: 'anime',
  modelPath: 'D:\\模型\\anything v5.safetensors',
  family: 'sd1',
  datasetDir: 'D:\\数据 集\\角色',
  imageCount: 20,
  subsets: [],
  triggerWord: 'alice chara',
  epochs: null,
  repeats: null,
  resolution: null,
  dim: null,
  batch: null,
  patch: {},
};
const presetFor = (c: WizardChoices, vram?: number) =>
  builtInPresets.find((p) => p.meta.id === pickPresetId(c, vram));

describe('the wizard plan', () => {
  it('picks the preset from subject, look, family and VRAM', () => {
    expect(pickPresetId(base, 12)).toBe('sd15-anime-character');
    expect(pickPresetId({ ...base, look: 'realistic' }, 12)).toBe('sd15-realistic-person');
    expect(effectiveKind({ subject: 'character', look: 'realistic' })).toBe('person');
    expect(pickPresetId({ ...base, subject: 'style' }, 12)).toBe('sd15-style');
    expect(pickPresetId({ ...base, family: 'sdxl' }, 8)).toBe('sdxl-character-8gb');
    expect(pickPresetId({ ...base, family: 'sdxl' }, 24)).toBe('sdxl-character');
    for (const c of [base, { ...base, family: 'sdxl' as const }, { ...base, look: 'realistic' as const }])
      expect(presetFor(c, 12), pickPresetId(c, 12)).toBeDefined();
  });

  it('suggests repeats and epochs that land in the step range, alpha = dim / 2', () => {
    const preset = presetFor(base, 12);
    const k = knobDefaults(base, preset);
    const config = buildWizardConfig(base, preset, 'D:\\输出');
    const v = resolveValues(config);
    expect(v.get('network_alpha')).toBe((v.get('network_dim') as number) / 2);
    expect(config.subsets).toEqual([
      { imageDir: 'D:\\数据 集\\角色', numRepeats: k.repeats, imageCount: 20, classTokens: 'alice chara' },
    ]);
    expect(v.get('output_name')).toBe('alice_chara');
    expect(v.get('output_dir')).toBe('D:\\输出');
    const steps = Math.ceil((20 * k.repeats) / k.batch) * k.epochs;
    expect(steps).toBeGreaterThanOrEqual(1000);
    expect(steps).toBeLessThanOrEqual(3000);
    expect(checkConfig(config).filter((r) => r.severity === 'error')).toEqual([]);
  });

  it('keeps the repeats of kohya N_name folders unless the user sets one', () => {
    const c: WizardChoices = {
      ...base,
      subsets: [
        {
          dir: 'D:\\d\\8_alice',
          relDir: '8_alice',
          imageCount: 12,
          numRepeats: 8,
          fromFolderName: true,
          isReg: false,
        },
        {
          dir: 'D:\\d\\reg\\1_girl',
          relDir: 'reg/1_girl',
          imageCount: 30,
          numRepeats: 1,
          fromFolderName: true,
          isReg: true,
        },
      ],
    };
    const preset = presetFor(c, 12);
    expect(buildWizardConfig(c, preset, undefined).subsets.map((s) => s.numRepeats)).toEqual([8, 1]);
    // The knob shows the folder's repeats, so the step explanation matches what kohya will do.
    expect(knobDefaults(c, preset)).toMatchObject({ repeats: 8, suggestion: undefined });
    expect(
      buildWizardConfig({ ...c, repeats: 5 }, preset, undefined).subsets.map((s) => s.numRepeats),
    ).toEqual([5, 1]);
  });

  it('uses SDXL resolution and leaves clip_skip unset on SDXL; fixes are applied last', () => {
    const xl = { ...base, family: 'sdxl' as const };
    const config = buildWizardConfig(xl, presetFor(xl, 24), undefined);
    const toml = exportKohya(config).configToml;
    expect(toml).toContain('resolution = "1024,1024"');
    expect(toml).not.toContain('clip_skip');
    const fixed = buildWizardConfig({ ...xl, patch: { max_train_epochs: 7 } }, presetFor(xl, 24), undefined);
    expect(resolveValues(fixed).get('max_train_epochs')).toBe(7);
  });

  it('makes safe output names', () => {
    expect(outputName('  my: 角色 / v2 ')).toBe('my_角色_v2');
    expect(outputName('')).toBe('lora');
  });
});

describe('withPreviewSamples', () => {
  it('asks for one preview per epoch with the trigger word first, in kohya prompt syntax', () => {
    const config = defaultConfig('sd1', 'lora');
    const out = withPreviewSamples(
      config,
      { triggerWord: ' ohwx ', subject: 'character', look: 'anime' },
      512,
    );
    expect(out.samplePrompts).toHaveLength(1);
    expect(out.samplePrompts[0]).toMatch(/^ohwx, solo, /);
    expect(out.samplePrompts[0]).toContain('--w 512 --h 512');
    expect(out.config.values['sample_every_n_epochs']).toBe(1);
    // The wizard's own config is left as it was.
    expect(config.values['sample_every_n_epochs']).toBeUndefined();
  });

  it('uses photo words for a realistic person and works without a trigger word', () => {
    const out = withPreviewSamples(
      defaultConfig('sdxl', 'lora'),
      { triggerWord: '', subject: 'person', look: 'realistic' },
      1024,
    );
    expect(out.samplePrompts[0]).toMatch(/^photo, portrait/);
    expect(out.samplePrompts[0]).toContain('--w 1024');
  });
});
