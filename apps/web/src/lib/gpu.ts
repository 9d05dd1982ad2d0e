import type { Gpu, GpuReport } from '@danlu/contracts';

/** "NVIDIA GeForce RTX 4090" → "RTX 4090": the vendor prefix only takes room in a chip. */
export function shortGpuName(name: string): string {
  const short = name
    .replace(/^NVIDIA\s+/i, '')
    .replace(/^GeForce\s+/i, '')
    .trim();
  return short === '' ? name.trim() : short;
}

/** VRAM in GB as people say it: 24564 MiB → 24, 8192 → 8, 12288 → 12, 6144 → 6, 3.9 GB → 3.9. */
export function vramGb(memoryTotalMiB: number): number {
  const gb = memoryTotalMiB / 1024;
  return gb >= 4 ? Math.round(gb) : Math.round(gb * 10) / 10;
}

export function primaryGpu(report: GpuReport | undefined): Gpu | undefined {
  return report?.gpus[0];
}
