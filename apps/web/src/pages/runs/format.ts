/** 3725 → "1:02:05", 65 → "1:05". */
export function formatDuration(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${String(h)}:${pad(m)}:${pad(s)}` : `${String(m)}:${pad(s)}`;
}

/** tqdm's way: it/s at or above one step per second, s/it below. */
export function formatRate(
  stepsPerSecond: number | null | undefined,
): { unit: 'it/s' | 's/it'; value: string } | null {
  if (stepsPerSecond === null || stepsPerSecond === undefined || !(stepsPerSecond > 0)) return null;
  if (stepsPerSecond >= 1) return { unit: 'it/s', value: stepsPerSecond.toFixed(2) };
  return { unit: 's/it', value: (1 / stepsPerSecond).toFixed(2) };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit] ?? 'TB'}`;
}

/** Loss values are small and noisy: four significant digits. */
export function formatLoss(value: number | null | undefined): string | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return value.toPrecision(4);
}

/** Learning rates: 0.0001 → "1.00e-4". */
export function formatLr(value: number): string {
  if (value === 0) return '0';
  return value.toExponential(2).replace('e+', 'e');
}

export function formatTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(language, { dateStyle: 'short', timeStyle: 'short' });
}
