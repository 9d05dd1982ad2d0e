/** What the environment probe knows about the GPU; every field is optional except the memory. */
export interface GpuInfo {
  name?: string;
  vramGb: number;
  /** CUDA compute capability, e.g. 8.6 for an RTX 3060. */
  computeCapability?: number;
  /** Measured speed of an SD1.5 LoRA at 512×512, batch 1 (it/s); calibrated from real runs later. */
  itPerSecSd15?: number;
}

/** Whether the GPU can do bf16 (Ampere / compute capability 8.0 or newer). Undefined when unknown. */
export function supportsBf16(gpu: GpuInfo): boolean | undefined {
  if (gpu.computeCapability !== undefined) return gpu.computeCapability >= 8;
  const name = (gpu.name ?? '').toUpperCase();
  if (/RTX\s*[2]0\d\d|GTX|TITAN\s*(X|V|RTX)|\bP100\b|\bV100\b|\bT4\b|QUADRO/.test(name)) return false;
  if (/RTX\s*[345]0\d\d|RTX\s*A\d{4}|\bA\d{2,3}\b|\bH\d{2,3}\b|\bL\d{1,2}S?\b|ADA|BLACKWELL/.test(name))
    return true;
  return undefined;
}

/** Rough it/s of an SD1.5 LoRA at 512², batch 1, by card name (used when nothing was measured yet). */
export function guessSd15Speed(gpu: GpuInfo): number | undefined {
  if (gpu.itPerSecSd15 !== undefined) return gpu.itPerSecSd15;
  const name = (gpu.name ?? '').toUpperCase();
  const table: Array<[RegExp, number]> = [
    [/5090/, 14],
    [/4090/, 10],
    [/5080|4080/, 7.5],
    [/4070\s*TI|3090/, 6],
    [/4070|3080/, 5],
    [/4060\s*TI|3070/, 4],
    [/4060|3060/, 3],
    [/2080/, 2.5],
    [/2070|2060/, 1.8],
    [/H100|H200/, 14],
    [/A100/, 8],
  ];
  return table.find(([re]) => re.test(name))?.[1];
}
