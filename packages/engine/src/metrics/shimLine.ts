import type { MappedScalars, ScalarSet } from './points.js';
import { mapScalars } from './points.js';

/**
 * One line of `metrics` JSON written by resources/python/danlu_train_shim.py:
 * `{"step": 12, "time": 1733140000123, "values": {"loss/current": 0.12, "lr/unet": 0.0001}}`.
 * Non-finite numbers arrive as the strings "nan", "inf", "-inf" (JSON has no NaN).
 */
export function parseShimScalars(line: string): ScalarSet | null {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.charCodeAt(0) !== 123) return null;
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch {
    return null; // a half-written last line, or not ours
  }
  if (typeof data !== 'object' || data === null) return null;
  const record = data as { step?: unknown; time?: unknown; values?: unknown };
  if (typeof record.step !== 'number' || !Number.isFinite(record.step)) return null;
  if (typeof record.values !== 'object' || record.values === null) return null;
  const values: Record<string, number> = {};
  for (const [key, raw] of Object.entries(record.values as Record<string, unknown>)) {
    if (typeof raw === 'number') values[key] = raw;
    else if (raw === 'nan') values[key] = Number.NaN;
    else if (raw === 'inf') values[key] = Number.POSITIVE_INFINITY;
    else if (raw === '-inf') values[key] = Number.NEGATIVE_INFINITY;
  }
  const time = typeof record.time === 'number' && Number.isFinite(record.time) ? record.time : Date.now();
  return { step: Math.trunc(record.step), time, values };
}

/** A shim line → the metric point and/or epoch average it carries; `{}` for anything else. */
export function parseShimLine(line: string): MappedScalars {
  const set = parseShimScalars(line);
  return set ? mapScalars(set) : {};
}
