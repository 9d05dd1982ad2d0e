import { describe, expect, it } from 'vitest';
import { estimateFileSize, estimateNetworkSize, factorization } from './size';

const lora = (
  family: 'sd1' | 'sdxl',
  dim: number,
  extra: Partial<Parameters<typeof estimateNetworkSize>[0]> = {},
) =>
  estimateNetworkSize({
    family,
    module: 'networks.lora',
    dim,
    trainTextEncoder: true,
    bytesPerParam: 2,
    ...extra,
  });

describe('LoRA file size from module shapes', () => {
  it('SD1.5 dim 32 fp16 ≈ 37.9 MB', () => {
    const s = lora('sd1', 32);
    expect(s.params).toBe(32 * 589_824);
    expect(s.modules).toBe(264);
    expect(Math.abs(s.mb - 37.9) / 37.9).toBeLessThan(0.02);
  });
  it('SD1.5 dim 128 ≈ 151 MB (the seeds’ “128 → 140 MB+”, in MiB)', () => {
    const s = lora('sd1', 128);
    expect(Math.abs(s.mb - 151) / 151).toBeLessThan(0.02);
    expect(s.mib).toBeGreaterThan(140);
    expect(s.mib).toBeLessThan(150);
  });
  it('SD1.5 dim 64 ≈ 75 MB and dim 32 ≈ 36 MiB (seeds: 64 → 70 MB+, 32 → 40 MB-ish)', () => {
    expect(lora('sd1', 64).mib).toBeGreaterThan(70);
    expect(lora('sd1', 32).mib).toBeGreaterThan(35);
  });
  it('SDXL dim 32 fp16 ≈ 228 MB (217.9 MiB)', () => {
    const s = lora('sdxl', 32);
    expect(Math.abs(s.mb - 228) / 228).toBeLessThan(0.02);
    expect(Math.abs(s.mib - 217.9) / 217.9).toBeLessThan(0.02);
  });
  it('U-Net-only SDXL drops both text encoders', () => {
    expect(lora('sdxl', 32, { trainTextEncoder: false }).params).toBe(32 * 2_659_840);
  });
  it('conv_dim adds the 3×3 convs (LoRA-C3Lier) and float doubles the size', () => {
    const base = lora('sd1', 16);
    const c3 = lora('sd1', 16, { convDim: 8 });
    expect(c3.params).toBeGreaterThan(base.params);
    expect(lora('sd1', 16, { bytesPerParam: 4 }).bytes).toBeGreaterThan(base.bytes * 1.9);
  });
  it('LoHa holds twice the LoCon parameters at the same rank; LoKr is far smaller', () => {
    const locon = estimateNetworkSize({
      family: 'sd1',
      module: 'lycoris.kohya',
      algo: 'locon',
      dim: 16,
      convDim: 8,
      trainTextEncoder: true,
      bytesPerParam: 2,
    });
    const loha = estimateNetworkSize({
      family: 'sd1',
      module: 'lycoris.kohya',
      algo: 'loha',
      dim: 16,
      convDim: 8,
      trainTextEncoder: true,
      bytesPerParam: 2,
    });
    const lokr = estimateNetworkSize({
      family: 'sd1',
      module: 'lycoris.kohya',
      algo: 'lokr',
      dim: 16,
      convDim: 8,
      trainTextEncoder: true,
      bytesPerParam: 2,
    });
    expect(loha.params).toBe(2 * locon.params);
    expect(lokr.params).toBeLessThan(locon.params / 3);
  });
  it('factorization matches LyCORIS', () => {
    expect(factorization(320)).toEqual([16, 20]);
    expect(factorization(768)).toEqual([24, 32]);
    expect(factorization(320, 8)).toEqual([8, 40]);
  });
  it('a DreamBooth run saves a whole checkpoint (~2.1 GB for SD1.5 fp16)', () => {
    const s = estimateFileSize({ family: 'sd1', trainingType: 'dreambooth', values: {}, subsets: [] });
    expect(s.kind).toBe('checkpoint');
    expect(s.mb).toBeGreaterThan(2000);
    expect(s.mb).toBeLessThan(2300);
  });
  it('reads the configuration (SDXL default is U-Net only)', () => {
    const s = estimateFileSize({
      family: 'sdxl',
      trainingType: 'lora',
      values: { network_dim: 32 },
      subsets: [],
    });
    expect(Math.round(s.mb)).toBe(Math.round(lora('sdxl', 32, { trainTextEncoder: false }).mb));
  });
});
