/** Compares dotted numeric versions ("560.28.03" vs "560.76"): negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const left = a.split(/[.+-]/).map((part) => Number.parseInt(part, 10));
  const right = b.split(/[.+-]/).map((part) => Number.parseInt(part, 10));
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const x = left[index] ?? 0;
    const y = right[index] ?? 0;
    const diff = (Number.isNaN(x) ? 0 : x) - (Number.isNaN(y) ? 0 : y);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** "12.8" → [12, 8]; undefined for anything else. */
export function majorMinor(version: string | null | undefined): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * Minimum NVIDIA driver for each CUDA runtime torch may be built with, from NVIDIA's CUDA Toolkit
 * release notes ("CUDA Toolkit and Corresponding Driver Versions", GA releases). `exact` is the driver
 * the toolkit shipped with; below it, a driver of the same CUDA major may still run the wheel through
 * minor-version compatibility (`major`) but PTX JIT and newer features fail.
 */
export const cudaDriverTable: Record<string, { linux: string; windows: string }> = {
  '11.8': { linux: '520.61.05', windows: '520.06' },
  '12.0': { linux: '525.60.13', windows: '527.41' },
  '12.1': { linux: '530.30.02', windows: '531.14' },
  '12.2': { linux: '535.54.03', windows: '536.25' },
  '12.3': { linux: '545.23.06', windows: '545.84' },
  '12.4': { linux: '550.54.14', windows: '551.61' },
  '12.5': { linux: '555.42.02', windows: '555.85' },
  '12.6': { linux: '560.28.03', windows: '560.76' },
  '12.8': { linux: '570.26', windows: '570.65' },
  '12.9': { linux: '575.51.03', windows: '576.02' },
  '13.0': { linux: '580.65.06', windows: '580.88' },
};

/** The floor of minor-version compatibility per CUDA major. */
export const cudaMajorDriverFloor: Record<number, { linux: string; windows: string }> = {
  11: { linux: '450.80.02', windows: '452.39' },
  12: { linux: '525.60.13', windows: '527.41' },
  13: { linux: '580.65.06', windows: '580.88' },
};

export function driverRequirement(
  cuda: string,
  platform: NodeJS.Platform,
): { exact: string | undefined; floor: string | undefined } {
  const key = platform === 'win32' ? 'windows' : 'linux';
  const mm = majorMinor(cuda);
  return {
    exact: mm ? cudaDriverTable[`${mm[0]}.${mm[1]}`]?.[key] : undefined,
    floor: mm ? cudaMajorDriverFloor[mm[0]]?.[key] : undefined,
  };
}

/**
 * Compute capability guessed from a marketing name, for when only nvidia-smi answered (no torch). The
 * probe's real number always wins over this.
 */
export function capabilityFromName(name: string): [number, number] | undefined {
  const n = name.toUpperCase();
  if (/RTX\s*PRO\s*\d+\s*BLACKWELL|RTX\s*50\d0|B200|B100/.test(n)) return [12, 0];
  if (/H100|H200|H800|GH200/.test(n)) return [9, 0];
  if (/RTX\s*40\d0|RTX\s*\d+\s*ADA|L40|\bL4\b/.test(n)) return [8, 9];
  if (/RTX\s*30\d0|A100|A800|\bA10\b|\bA40\b|RTX\s*A\d000/.test(n)) return [8, 6];
  if (/RTX\s*20\d0|TITAN\s*RTX|\bT4\b|GTX\s*16\d0|QUADRO\s*RTX/.test(n)) return [7, 5];
  if (/V100|TITAN\s*V/.test(n)) return [7, 0];
  if (/GTX\s*10\d0|P100|P40|TITAN\s*X/.test(n)) return [6, 1];
  return undefined;
}
