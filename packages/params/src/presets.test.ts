import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { exportKohya } from './export';
import { PRESET_FORMAT_VERSION, parsePreset } from './presets';
import { presetFiles } from './testing/paths';

describe('built-in presets', () => {
  const files = presetFiles();

  it('ship the required variety', () => {
    const ids = files.map((f) => f.name.replace(/\.toml$/, ''));
    for (const id of [
      'sd15-anime-character',
      'sd15-realistic-person',
      'sd15-style',
      'sdxl-character',
      'sdxl-style',
      'sd15-locon-character',
      'sd15-loha-style',
      'sd15-character-8gb',
      'sdxl-character-8gb',
    ])
      expect(ids).toContain(id);
  });

  it.each(files)('$name parses cleanly and exports TOML that parses back', ({ name, text }) => {
    const r = parsePreset(text);
    if (!r.ok) throw new Error(`${name}: ${r.error.message.en}`);
    expect(r.unknownKeys).toEqual([]);
    expect(r.notices).toEqual([]);
    expect(`${r.preset.meta.id}.toml`).toBe(name);
    const out = exportKohya({
      ...r.preset.config,
      subsets: [{ imageDir: 'C:\\data\\set', numRepeats: r.preset.meta.default_repeats ?? 1 }],
    });
    const cfg = parse(out.configToml, { integersAsBigInt: true });
    const flat = Object.assign({}, ...Object.values(cfg)) as Record<string, unknown>;
    expect(typeof flat.resolution).toBe('string');
    expect(typeof flat.max_train_epochs).toBe('bigint');
    expect(typeof flat.learning_rate).toBe('number');
    expect(parse(out.datasetToml!)).toHaveProperty('datasets');
  });

  it('follows the seeds for the anime and realistic presets', () => {
    const anime = parsePreset(files.find((f) => f.name === 'sd15-anime-character.toml')!.text);
    const real = parsePreset(files.find((f) => f.name === 'sd15-realistic-person.toml')!.text);
    if (!anime.ok || !real.ok) throw new Error('preset failed');
    expect(anime.preset.meta.default_repeats).toBe(8);
    expect(anime.preset.config.values.max_train_epochs).toBe(20);
    expect(real.preset.meta.default_repeats).toBe(15);
    expect(real.preset.config.values.network_dim).toBe(64);
    expect(real.preset.config.values.network_alpha).toBe(32);
  });
});

describe('parsePreset', () => {
  const base = `[meta]
id = "mine"
version = 1
name = { zh = "我的", en = "Mine" }
description = { zh = "测试", en = "Test" }
family = "sd1"
training_type = "lora"
kind = "character"
`;
  it('accepts numbers as strings, CRLF and a BOM', () => {
    const text = `\uFEFF${base}[config]\nlearning_rate = "1e-4"\nnetwork_dim = "32"\n`.replace(/\n/g, '\r\n');
    const r = parsePreset(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.preset.config.values).toEqual({ learning_rate: 0.0001, network_dim: 32 });
  });

  it('lists unknown keys instead of dropping them, and notes a newer format', () => {
    const text =
      base.replace('version = 1', `version = ${PRESET_FORMAT_VERSION + 1}`) +
      '[config]\nnetwork_dim = 8\nfuture_knob = 3\n[config.network_args]\nwarp = 2\n';
    const r = parsePreset(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.unknownKeys).toEqual(['config.future_knob', 'config.network_args.warp']);
    expect(r.notices.map((n) => n.key)).toContain('meta.version');
    expect(r.preset.config.values.network_dim).toBe(8);
  });

  it('fails whole, naming the line or key, on malformed input', () => {
    const truncated = parsePreset(`${base}[config]\nnetwork_dim = `);
    expect(truncated.ok).toBe(false);
    if (!truncated.ok) {
      expect(truncated.error.code).toBe('syntax');
      expect(truncated.error.line).toBe(10);
      expect(truncated.error.message.zh).toContain('第 10 行');
    }
    const wrongType = parsePreset(`${base}[config]\nnetwork_dim = "lots"\n`);
    expect(wrongType.ok).toBe(false);
    if (!wrongType.ok) expect(wrongType.error.key).toBe('network_dim');
    const noMeta = parsePreset('[config]\nnetwork_dim = 8\n');
    expect(noMeta.ok).toBe(false);
  });
});
