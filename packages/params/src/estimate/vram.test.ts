import { describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../config';
import { estimateTrainingTime } from './time';
import { estimateVram } from './vram';
import { supportsBf16 } from './gpu';

const cfg = (
  family: TrainingConfig['family'],
  values: TrainingConfig['values'],
  trainingType: TrainingConfig['trainingType'] = 'lora',
): TrainingConfig => ({
  family,
  trainingType,
  values,
  subsets: [],
});

describe('estimateVram', () => {
  it('an SD1.5 LoRA at 512 fits an 8 GB card', () => {
    const e = estimateVram(cfg('sd1', {}), { vramGb: 8 });
    expect(e.peakGb).toBeGreaterThan(3);
    expect(e.peakGb).toBeLessThan(8);
    expect(e.fit).toBe('fits');
  });

  it('an SDXL LoRA without checkpointing does not fit 12 GB and says how to fix it', () => {
    const e = estimateVram(cfg('sdxl', { gradient_checkpointing: false }), { vramGb: 12 });
    expect(e.fit).toBe('will-not-fit');
    expect(e.suggestions.length).toBeGreaterThanOrEqual(1);
    expect(e.suggestions.length).toBeLessThanOrEqual(2);
    expect(e.suggestions[0]?.patch).toHaveProperty('gradient_checkpointing', true);
  });

  it('the SDXL 8 GB switches (fp8 base, cached TE outputs) bring SDXL under 8 GB', () => {
    const heavy = estimateVram(cfg('sdxl', {}), { vramGb: 8 });
    const light = estimateVram(
      cfg('sdxl', {
        fp8_base: true,
        cache_text_encoder_outputs: true,
        network_dim: 16,
        shuffle_caption: false,
      }),
      { vramGb: 8 },
    );
    expect(heavy.fit).not.toBe('fits');
    expect(light.peakGb).toBeLessThan(8);
  });

  it('a DreamBooth fine-tune of SD1.5 needs about 12 GB or more', () => {
    const e = estimateVram(cfg('sd1', { gradient_checkpointing: true }, 'dreambooth'), { vramGb: 8 });
    expect(e.peakGb).toBeGreaterThan(10);
    expect(e.fit).toBe('will-not-fit');
  });
});

describe('estimateTrainingTime and GPU facts', () => {
  it('scales with the measured speed', () => {
    const t = estimateTrainingTime(cfg('sd1', { sdpa: true }), 2000, { vramGb: 12, itPerSecSd15: 4 });
    expect(t?.secondsPerStep).toBeCloseTo(0.25, 2);
    expect(t?.totalSeconds).toBeCloseTo(500, 0);
    expect(estimateTrainingTime(cfg('sd1', {}), 100, { vramGb: 8 })).toBeUndefined();
  });
  it('knows which cards do bf16', () => {
    expect(supportsBf16({ vramGb: 8, name: 'NVIDIA GeForce RTX 2070 SUPER' })).toBe(false);
    expect(supportsBf16({ vramGb: 12, name: 'NVIDIA GeForce RTX 3060' })).toBe(true);
    expect(supportsBf16({ vramGb: 24, computeCapability: 7.5 })).toBe(false);
  });
});
