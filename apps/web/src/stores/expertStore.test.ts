import { parsePreset } from '@danlu/params';
import { describe, expect, it } from 'vitest';

import { changedIds } from '../lib/expertFields.js';
import type { LibraryPreset } from '../lib/presetList.js';
import { builtInPresets } from '../lib/presets.js';
import { createExpertStore } from './expertStore.js';

const text = `
[meta]
id = "test"
version = 1
name = { zh = "测试", en = "Test" }
description = { zh = "测试预设", en = "A test preset" }
family = "sd1"
training_type = "lora"
kind = "character"
default_repeats = 8

[config]
network_dim = 16
network_alpha = 8
`;

function store() {
  const parsed = parsePreset(text);
  if (!parsed.ok) throw new Error('bad preset');
  return createExpertStore([parsed.preset]);
}

describe('the expert store', () => {
  it('loads the built-in presets in the browser bundle', () => {
    expect(builtInPresets.length).toBeGreaterThanOrEqual(8);
    expect(builtInPresets.map((p) => p.meta.family)).toContain('sdxl');
  });

  it('starts from the first preset and resets a field to the preset value', () => {
    const s = store();
    expect(s.getState().presetId).toBe('test');
    expect(s.getState().estimateRepeats).toBe(8);
    s.getState().setValue('network_dim', 64);
    expect(s.getState().config.values['network_dim']).toBe(64);
    s.getState().resetField('network_dim');
    expect(s.getState().config.values['network_dim']).toBe(16);
  });

  it('keeps only what differs from the defaults, and resets everything to the preset', () => {
    const s = store();
    s.getState().setValue('network_dim', 32);
    expect('network_dim' in s.getState().config.values).toBe(false);
    s.getState().setValue('learning_rate', 0.0002);
    s.getState().resetAll();
    expect(s.getState().config.values).toEqual({ network_dim: 16, network_alpha: 8 });
  });

  it('applies a rule fix patch and focuses a field, showing its section and clearing a hiding search', () => {
    const s = store();
    s.getState().applyFix({ gradient_checkpointing: true, network_dim: null });
    expect(s.getState().config.values['gradient_checkpointing']).toBe(true);
    // null in a fix means "not set": kept as null, left out of the TOML.
    expect(s.getState().config.values['network_dim']).toBeNull();
    s.getState().setQuery('alpha');
    s.getState().focusField('network_module');
    expect(s.getState().section).toBe('network');
    expect(s.getState().query).toBe('');
    expect(s.getState().revealed.has('network_module')).toBe(true);
    expect(s.getState().focus?.id).toBe('network_module');
  });

  it('changes family and type without losing values, and Danlu defaults is a preset choice', () => {
    const s = store();
    s.getState().setFamily('sdxl');
    s.getState().setTrainingType('lycoris');
    expect(s.getState().config).toMatchObject({ family: 'sdxl', trainingType: 'lycoris' });
    expect(s.getState().baseline).toMatchObject({ family: 'sdxl', trainingType: 'lycoris' });
    expect(s.getState().config.values['network_dim']).toBe(16);
    s.getState().choosePreset(null);
    expect(s.getState().presetId).toBeNull();
    expect(s.getState().config.values).toEqual({});
  });
});

describe('the expert store: "not set" and the preset library', () => {
  it('clears a field to "not set" and the reset arrow brings the preset value back', () => {
    const s = store();
    s.getState().setValue('network_dim', null);
    expect(s.getState().config.values['network_dim']).toBeNull();
    expect(changedIds(s.getState().config, s.getState().baseline)).toContain('network_dim');
    s.getState().resetField('network_dim');
    expect(s.getState().config.values['network_dim']).toBe(16);
    expect(changedIds(s.getState().config, s.getState().baseline)).toEqual([]);
  });

  it('takes over a user preset list and keeps the config when its preset disappears', () => {
    const s = store();
    const [first] = s.getState().presets;
    if (!first) throw new Error('no preset');
    const mine: LibraryPreset = {
      ...first,
      source: 'user',
      meta: { ...first.meta, id: 'user-abc123', name: { zh: '我的 预设', en: 'Mine' } },
      config: { ...first.config, values: { ...first.config.values, max_train_epochs: null } },
    };
    s.getState().setPresets([first, mine]);
    s.getState().choosePreset('user-abc123');
    expect(s.getState().config.values['max_train_epochs']).toBeNull();
    s.getState().setValue('seed', 7);
    s.getState().setPresets([first]);
    expect(s.getState().presetId).toBeNull();
    expect(s.getState().config.values['seed']).toBe(7);
  });

  it('loads a configuration from elsewhere against a preset baseline', () => {
    const s = store();
    const config = { ...s.getState().config, values: { network_dim: 16, network_alpha: 8, seed: 1 } };
    s.getState().loadConfig(config, 'test');
    expect(changedIds(s.getState().config, s.getState().baseline)).toEqual(['seed']);
  });
});
