import { describe, expect, it } from 'vitest';

import { shortGpuName, vramGb } from './gpu.js';

describe('GPU formatting', () => {
  it('drops the vendor prefix but keeps the model', () => {
    expect(shortGpuName('NVIDIA GeForce RTX 4090')).toBe('RTX 4090');
    expect(shortGpuName('NVIDIA A100-SXM4-80GB')).toBe('A100-SXM4-80GB');
    expect(shortGpuName('Tesla T4')).toBe('Tesla T4');
    expect(shortGpuName('NVIDIA')).toBe('NVIDIA');
  });

  it('rounds VRAM the way cards are sold', () => {
    expect(vramGb(24564)).toBe(24);
    expect(vramGb(8192)).toBe(8);
    expect(vramGb(12282)).toBe(12);
    expect(vramGb(81920)).toBe(80);
    expect(vramGb(2048)).toBe(2);
    expect(vramGb(3994)).toBe(3.9);
  });
});
