import { describe, expect, it } from 'vitest';
import { ParamEntrySchema, catalogue, defaultFor, getEntry } from './catalogue';
import { coerceValue } from './config';
import { hasKohyaReference, referenceKeys } from './testing/paths';

describe('catalogue', () => {
  it('has at least 120 real kohya options plus the network/optimizer sub-arguments', () => {
    const options = catalogue.filter((e) => e.place === 'config' || e.place === 'dataset');
    expect(options.length).toBeGreaterThanOrEqual(120);
    expect(catalogue.filter((e) => e.place === 'network_args').length).toBeGreaterThanOrEqual(20);
    expect(catalogue.filter((e) => e.place === 'optimizer_args').length).toBeGreaterThanOrEqual(8);
  });

  it('validates every entry against the zod schema and has unique ids', () => {
    const ids = new Set<string>();
    for (const e of catalogue) {
      expect(() => ParamEntrySchema.parse(e), e.id).not.toThrow();
      expect(ids.has(e.id), e.id).toBe(false);
      ids.add(e.id);
    }
  });

  it('gives every entry both languages, with help of real length', () => {
    for (const e of catalogue) {
      expect(e.help.zh.length, e.id).toBeGreaterThan(10);
      expect(e.help.en.length, e.id).toBeGreaterThan(25);
      expect(e.label.zh.length * e.label.en.length, e.id).toBeGreaterThan(0);
    }
  });

  it('keeps every default valid for its own entry', () => {
    for (const e of catalogue) {
      for (const fam of e.families)
        for (const type of e.types) {
          const d = defaultFor(e, fam, type);
          if (d === null) continue;
          const r = coerceValue(e, d);
          expect(r.ok, `${e.id} ${fam} ${type}`).toBe(true);
        }
    }
  });

  it('uses Danlu defaults rather than kohya ones where kohya misleads', () => {
    expect(getEntry('learning_rate')?.default).toBe(1e-4);
    expect(getEntry('caption_extension')?.default).toBe('.txt');
    expect(getEntry('resolution')?.familyDefaults?.sdxl).toBe('1024,1024');
    expect(getEntry('lr_warmup_steps')?.unit).toBe('%');
  });

  it.skipIf(!hasKohyaReference)(
    'lists only keys that the kohya reference documents (skipped when ../shared/reference is absent)',
    () => {
      const ref = referenceKeys();
      const missing: string[] = [];
      for (const e of catalogue) {
        if (e.place === 'config' && !ref.options.has(e.key)) missing.push(e.id);
        if (e.place === 'dataset') {
          if (!ref.datasetKeys.has(e.datasetKey ?? e.key)) missing.push(`${e.id} (dataset key)`);
          if (e.hasCliOption && !ref.options.has(e.key)) missing.push(`${e.id} (option)`);
        }
        if (e.place === 'network_args' && !ref.networkArgs.has(e.key)) missing.push(e.id);
        if (e.place === 'optimizer_args' && !ref.optimizerWords.has(e.key)) missing.push(e.id);
      }
      expect(missing).toEqual([]);
    },
  );
});

describe('coerceValue', () => {
  const lr = getEntry('learning_rate')!;
  it('accepts numbers written as strings', () => {
    expect(coerceValue(lr, '1e-4')).toEqual({ ok: true, value: 0.0001 });
    expect(coerceValue(getEntry('network_dim')!, '32')).toEqual({ ok: true, value: 32 });
    expect(coerceValue(getEntry('cache_latents')!, 'True')).toEqual({ ok: true, value: true });
  });
  it('normalises resolutions and rejects bad ones', () => {
    const res = getEntry('resolution')!;
    expect(coerceValue(res, 512)).toEqual({ ok: true, value: '512,512' });
    expect(coerceValue(res, [768, 512])).toEqual({ ok: true, value: '768,512' });
    expect(coerceValue(res, 'big').ok).toBe(false);
  });
  it('rejects out-of-range, fractional ints and unknown choices with both languages', () => {
    const r = coerceValue(getEntry('network_dim')!, 12.5);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message.en).toContain('network_dim');
      expect(r.message.zh).toContain('network_dim');
    }
    expect(coerceValue(getEntry('lr_scheduler')!, 'dpm++_2m_karras').ok).toBe(false);
    expect(coerceValue(getEntry('optimizer_type')!, 'adamw8bit')).toEqual({ ok: true, value: 'AdamW8bit' });
    expect(coerceValue(getEntry('max_token_length')!, 255).ok).toBe(false);
  });
});
