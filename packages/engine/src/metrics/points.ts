import type { EpochMetric, MetricPoint } from '@danlu/contracts';

/**
 * kohya's scalar tags → Danlu's metric records. Both structured sources (the launcher shim's JSON lines
 * and TensorBoard event files) carry the same `tag → number` maps that the training script handed to
 * accelerate, so they share this mapping.
 *
 *   train_network.py / sdxl_train_network.py: `loss/current`, `loss/average`, `lr/<group>` per step,
 *     `loss/epoch_average` per epoch (logged with step = epoch number).
 *   train_db.py / sdxl_train.py: `loss`, `lr/unet`, `lr/text_encoder1`… per step, `loss/epoch` per epoch.
 */
export interface ScalarSet {
  step: number;
  /** ms since the epoch */
  time: number;
  values: Record<string, number>;
}

export interface MappedScalars {
  point?: MetricPoint;
  epoch?: EpochMetric;
}

/** Non-finite numbers (a NaN loss) cannot travel as JSON numbers; the contract keeps them as null. */
function finite(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

export function mapScalars(set: ScalarSet): MappedScalars {
  const { values } = set;
  const result: MappedScalars = {};
  const epochLoss = values['loss/epoch_average'] ?? values['loss/epoch'];
  if (epochLoss !== undefined && Number.isInteger(set.step) && set.step >= 0) {
    result.epoch = { epoch: set.step, averageLoss: finite(epochLoss), step: null };
  }
  let any = false;
  const lr: Record<string, number> = {};
  for (const key in values) {
    if (key.startsWith('lr/')) {
      const value = values[key];
      if (value !== undefined && Number.isFinite(value)) {
        lr[key.slice(3)] = value;
        any = true;
      }
    }
  }
  const loss = values['loss/current'] ?? values.loss;
  const average = values['loss/average'];
  if (loss !== undefined || average !== undefined) any = true;
  if (any && Number.isInteger(set.step) && set.step >= 0) {
    result.point = { step: set.step, loss: finite(loss), averageLoss: finite(average), lr, time: set.time };
  }
  return result;
}

/** Several scalar sets for one step (TensorBoard writes one event per tag) → one point. */
export function mergePoint(into: MetricPoint, next: MetricPoint): MetricPoint {
  return {
    step: into.step,
    loss: next.loss ?? into.loss,
    averageLoss: next.averageLoss ?? into.averageLoss,
    lr: { ...into.lr, ...next.lr },
    time: Math.max(into.time, next.time),
  };
}
