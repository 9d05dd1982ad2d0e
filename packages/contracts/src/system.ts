import { z } from 'zod';

export const GpuSchema = z.object({
  index: z.number().int().nonnegative(),
  name: z.string(),
  uuid: z.string().optional(),
  memoryTotalMiB: z.number().nonnegative(),
  memoryUsedMiB: z.number().nonnegative().optional(),
  driverVersion: z.string().optional(),
  /** CUDA compute capability, "8.9" (nvidia-smi `compute_cap`, drivers 510+). */
  computeCapability: z.string().optional(),
});
export type Gpu = z.infer<typeof GpuSchema>;

/**
 * What the machine reports about its GPUs. `source: 'none'` with an empty list is the honest answer on a
 * machine without an NVIDIA driver; `error` says why a query that should have worked did not.
 */
export const GpuReportSchema = z.object({
  gpus: z.array(GpuSchema),
  source: z.enum(['nvidia-smi', 'none']),
  driverVersion: z.string().optional(),
  cudaVersion: z.string().optional(),
  error: z.string().optional(),
  checkedAt: z.string(),
});
export type GpuReport = z.infer<typeof GpuReportSchema>;
