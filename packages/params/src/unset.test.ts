import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { canUnset, entryOrThrow } from './catalogue';
import {
  applyPatch,
  checkValues,
  defaultConfig,
  effectiveValue,
  isUnset,
  resetValues,
  resolveValues,
  type TrainingConfig,
} from './config';
import { estimateConfigSteps } from './estimate';
import { exportKohya } from './export';
import { importConfig } from './import';
import { parsePreset, stringifyPreset, type Preset } from './presets';
import { presetFiles } from './testing/paths';

function anime(): Preset {
  const r = parsePreset(presetFiles().find((f) => f.name === 'sd15-anime-character.toml')!.text);
  if (!r.ok) throw new Error(r.error.message.en);
  return r.preset;
}

const withSubset = (c: TrainingConfig): TrainingConfig => ({
  ...c,
  subsets: [{ imageDir: 'D:\\数据 集\\8_角色', numRepeats: 8, imageCount: 20 }],
});

describe('"not set" values', () => {
  it('leaves an unset option out of the TOML so max_train_steps decides the length', () => {
    const base = withSubset(anime().config);
    const before = parse(exportKohya(base).configToml) as Record<string, Record<string, unknown>>;
    expect(before.training?.max_train_epochs).toBe(20);

    const steps = applyPatch(base, { max_train_epochs: null, max_train_steps: 1500 });
    expect(isUnset(steps, 'max_train_epochs')).toBe(true);
    expect(resolveValues(steps).has('max_train_epochs')).toBe(false);
    const after = parse(exportKohya(steps).configToml) as Record<string, Record<string, unknown>>;
    expect(after.training?.max_train_epochs).toBeUndefined();
    expect(after.training?.max_train_steps).toBe(1500);
    expect(estimateConfigSteps(steps).totalSteps).toBe(1500);
  });

  it('unsets an option whose Danlu default is set, and reset brings the default back', () => {
    const c = applyPatch(defaultConfig('sd1', 'lora'), { text_encoder_lr: null });
    expect(c.values).toEqual({ text_encoder_lr: null });
    expect(effectiveValue(c, entryOrThrow('text_encoder_lr'))).toBeNull();
    expect(exportKohya(c).configKeys).not.toContain('text_encoder_lr');
    const back = resetValues(c, ['text_encoder_lr']);
    expect(back.values).toEqual({});
    expect(effectiveValue(back, entryOrThrow('text_encoder_lr'))).toBe(0.00005);
  });

  it('keeps only differences: a value equal to the default, or unset where the default is unset, is dropped', () => {
    // network_dim defaults to 32 and the SD2 clip_skip default is unset.
    const c = applyPatch(defaultConfig('sd2', 'lora'), { network_dim: 32, clip_skip: null, seed: 7 });
    expect(c.values).toEqual({ seed: 7 });
    expect(applyPatch(c, { seed: 42 }).values).toEqual({});
  });

  it('refuses to unset what kohya needs', () => {
    expect(canUnset(entryOrThrow('resolution'))).toBe(false);
    expect(canUnset(entryOrThrow('enable_bucket'))).toBe(false);
    expect(canUnset(entryOrThrow('max_train_epochs'))).toBe(true);
    const c = applyPatch(defaultConfig('sdxl', 'lora'), { resolution: null });
    expect(checkValues(c).map((i) => i.id)).toEqual(['resolution']);
  });

  it('round-trips through a user preset file with an unset list', () => {
    const p = anime();
    const edited: Preset = {
      meta: { ...p.meta, id: 'user-1', name: { zh: '我的 角色', en: 'My character' } },
      config: applyPatch(p.config, { max_train_epochs: null, max_train_steps: 1800, network_dim: 32 }),
    };
    const text = stringifyPreset(edited);
    expect(text).toMatch(/^unset = \[ "max_train_epochs" \]/m);
    const back = parsePreset(text);
    if (!back.ok) throw new Error(back.error.message.en);
    expect(back.unknownKeys).toEqual([]);
    expect(back.preset.meta.name.zh).toBe('我的 角色');
    expect(back.preset.config.values).toEqual(edited.config.values);
  });

  it('rejects a preset that unsets a required option, and lists unknown ones', () => {
    const p = stringifyPreset(anime());
    const bad = parsePreset(`unset = ["resolution"]\n${p}`);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.key).toBe('unset.resolution');
    const unknown = parsePreset(`unset = ["no_such_option"]\n${p}`);
    expect(unknown.ok && unknown.unknownKeys).toEqual(['unset.no_such_option']);
  });

  it('imports a kohya file that trains by steps with epochs not set', () => {
    const r = importConfig('[training]\nmax_train_steps = 1200\nnetwork_dim = 8\n', { family: 'sd1' });
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.config.values.max_train_epochs).toBeNull();
    expect(r.notices.map((n) => n.key)).toContain('max_train_epochs');
    const toml = parse(exportKohya(r.config).configToml) as Record<string, Record<string, unknown>>;
    expect(toml.training?.max_train_steps).toBe(1200);
    expect(toml.training?.max_train_epochs).toBeUndefined();
  });
});
