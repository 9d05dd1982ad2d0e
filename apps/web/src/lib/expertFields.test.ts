import { applyPatch, defaultConfig, getEntry, type ParamEntry, type TrainingConfig } from '@danlu/params';
import { describe, expect, it } from 'vitest';

import {
  baselineFor,
  changedFromPreset,
  changedIds,
  changedLines,
  effectiveSection,
  formatNumber,
  formatValue,
  matchesSearch,
  parseFieldInput,
  patchFor,
  valueIn,
  visibleAtLevel,
  visibleFields,
} from './expertFields.js';

function entry(id: string): ParamEntry {
  const found = getEntry(id);
  if (!found) throw new Error(`no entry ${id}`);
  return found;
}

const sd1 = defaultConfig('sd1', 'lora');

describe('field value coercion', () => {
  it('turns typed numbers into values, kohya style included', () => {
    expect(parseFieldInput(entry('learning_rate'), '1e-4', sd1)).toEqual({ ok: true, value: 0.0001 });
    expect(parseFieldInput(entry('network_dim'), ' 32 ', sd1)).toEqual({ ok: true, value: 32 });
  });

  it('refuses text, fractions in whole-number fields and values out of range, saying why', () => {
    const bad = parseFieldInput(entry('network_dim'), 'abc', sd1);
    expect(bad.ok).toBe(false);
    const fraction = parseFieldInput(entry('network_dim'), '8.5', sd1);
    expect(!fraction.ok && fraction.message.en).toMatch(/whole number/);
    const big = parseFieldInput(entry('network_dim'), '100000', sd1);
    expect(!big.ok && big.message.zh).toMatch(/不能大于/);
  });

  it('treats an empty field as "not set", and refuses it for what kohya needs', () => {
    expect(parseFieldInput(entry('network_dropout'), '', sd1)).toEqual({ ok: true, value: null });
    expect(parseFieldInput(entry('network_dim'), '  ', sd1)).toEqual({ ok: true, value: null });
    expect(parseFieldInput(entry('caption_extension'), '', sd1)).toEqual({ ok: true, value: null });
    expect(parseFieldInput(entry('resolution'), '', sd1).ok).toBe(false);
  });

  it('reads resolutions and lists', () => {
    expect(parseFieldInput(entry('resolution'), '768', sd1)).toEqual({ ok: true, value: '768,768' });
    expect(parseFieldInput(entry('resolution'), '512,768', sd1)).toEqual({ ok: true, value: '512,768' });
    expect(parseFieldInput(entry('resolution'), '512,', sd1).ok).toBe(false);
  });

  it('stores nothing for a value equal to the default, and null for "not set"', () => {
    expect(applyPatch(sd1, patchFor(entry('network_dim'), 32)).values).toEqual({});
    expect(applyPatch(sd1, patchFor(entry('network_dim'), 16)).values).toEqual({ network_dim: 16 });
    expect(applyPatch(sd1, patchFor(entry('network_dropout'), null)).values).toEqual({});
    const unset = applyPatch(sd1, patchFor(entry('max_train_epochs'), null));
    expect(unset.values).toEqual({ max_train_epochs: null });
    expect(valueIn(unset, entry('max_train_epochs'))).toBeNull();
  });

  it('shows small numbers the way kohya users write them', () => {
    expect(formatNumber(0.0001)).toBe('1e-4');
    expect(formatNumber(0.00005)).toBe('5e-5');
    expect(formatNumber(0.05)).toBe('0.05');
    expect(formatValue(entry('network_dropout'), null)).toBe('');
  });
});

describe('search filtering', () => {
  const dim = entry('network_dim');
  it('finds by kohya key, with or without underscores, and by either label', () => {
    expect(matchesSearch(dim, 'network_dim')).toBe(true);
    expect(matchesSearch(dim, 'networkdim')).toBe(true);
    expect(matchesSearch(dim, 'Rank')).toBe(true);
    expect(matchesSearch(dim, '网络维度')).toBe(true);
    expect(matchesSearch(dim, 'optimizer')).toBe(false);
  });

  it('needs every word to match, and an empty search matches all', () => {
    expect(matchesSearch(dim, 'network rank')).toBe(true);
    expect(matchesSearch(dim, 'network alpha')).toBe(false);
    expect(matchesSearch(dim, '   ')).toBe(true);
  });

  it('counts matches across every section', () => {
    const fields = visibleFields({ family: 'sd1', trainingType: 'lora', level: 'expert', query: 'lr' });
    const total = Object.values(fields).reduce((sum, list) => sum + list.length, 0);
    expect(total).toBeGreaterThan(1);
    expect(fields.optimizer.length).toBeGreaterThan(0);
    expect(fields.model).toHaveLength(0);
  });

  it('moves to the first section with matches when the chosen one has none', () => {
    const fields = visibleFields({
      family: 'sd1',
      trainingType: 'lora',
      level: 'expert',
      query: 'network_dim',
    });
    expect(effectiveSection('model', fields)).toBe('network');
    expect(effectiveSection('network', fields)).toBe('network');
  });
});

describe('level visibility and applicability', () => {
  it('shows beginner ⊂ advanced ⊂ expert', () => {
    expect(visibleAtLevel({ level: 'beginner' }, 'beginner')).toBe(true);
    expect(visibleAtLevel({ level: 'advanced' }, 'beginner')).toBe(false);
    expect(visibleAtLevel({ level: 'advanced' }, 'advanced')).toBe(true);
    expect(visibleAtLevel({ level: 'expert' }, 'advanced')).toBe(false);
    expect(visibleAtLevel({ level: 'expert' }, 'expert')).toBe(true);
  });

  it('hides fields above the level unless a rule result revealed them', () => {
    const count = (level: 'beginner' | 'advanced' | 'expert', revealed?: Set<string>) =>
      Object.values(
        visibleFields({
          family: 'sd1',
          trainingType: 'lora',
          level,
          query: '',
          ...(revealed ? { revealed } : {}),
        }),
      ).flat();
    const beginner = count('beginner');
    expect(beginner.every((e) => e.level === 'beginner')).toBe(true);
    expect(count('advanced').length).toBeGreaterThan(beginner.length);
    expect(count('expert').length).toBeGreaterThan(count('advanced').length);
    expect(beginner.some((e) => e.id === 'network_module')).toBe(false);
    expect(count('beginner', new Set(['network_module'])).some((e) => e.id === 'network_module')).toBe(true);
  });

  it('hides what does not apply to the family and type', () => {
    const lora = Object.values(
      visibleFields({ family: 'sd1', trainingType: 'lora', level: 'expert', query: '' }),
    ).flat();
    const db = Object.values(
      visibleFields({ family: 'sd1', trainingType: 'dreambooth', level: 'expert', query: '' }),
    ).flat();
    expect(lora.some((e) => e.id === 'network_dim')).toBe(true);
    expect(db.some((e) => e.id === 'network_dim')).toBe(false);
  });
});

describe('changed from the preset', () => {
  const preset: TrainingConfig = { ...sd1, values: { network_dim: 16, network_alpha: 8 } };
  const baseline = baselineFor(preset, 'sd1', 'lora');

  it('compares with the preset value, not with Danlu defaults', () => {
    const same = { ...sd1, values: { network_dim: 16, network_alpha: 8 } };
    expect(changedIds(same, baseline)).toEqual([]);
    const edited = { ...same, values: { ...same.values, network_dim: 32 } };
    expect(changedFromPreset(edited, baseline, entry('network_dim'))).toBe(true);
    expect(changedIds(edited, baseline)).toEqual(['network_dim']);
  });

  it('counts a value back at its default as changed when the preset had set it', () => {
    expect(changedIds(sd1, baseline).sort()).toEqual(['network_alpha', 'network_dim']);
  });

  it('treats an empty string and an unset value alike, and compares lists by content', () => {
    const withEmpty = { ...sd1, values: { ...preset.values, network_dropout: '' } };
    expect(changedFromPreset(withEmpty, baseline, entry('network_dropout'))).toBe(false);
    const listBase = baselineFor({ ...sd1, values: { lr_scheduler_args: ['a=1'] } }, 'sd1', 'lora');
    const list = { ...sd1, values: { lr_scheduler_args: ['a=1'] } };
    expect(changedFromPreset(list, listBase, entry('lr_scheduler_args'))).toBe(false);
  });

  it('marks TOML lines that are not in the preset export', () => {
    expect([...changedLines('[a]\nx = 1\ny = 2\n', '[a]\nx = 1\n')]).toEqual([2]);
  });
});
