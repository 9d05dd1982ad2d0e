import { z } from 'zod';

import { TextSchema } from '@danlu/params';

/** One line of `danlu_probe.py` output. Optional everywhere a broken environment may leave a gap. */
export const ProbePackageSchema = z.object({
  name: z.string(),
  version: z.string().nullable(),
  importable: z.boolean(),
  error: z.string().optional(),
});
export type ProbePackage = z.infer<typeof ProbePackageSchema>;

export const ProbeGpuSchema = z.object({
  index: z.number().int().nonnegative(),
  name: z.string(),
  totalMemoryBytes: z.number().nonnegative(),
  capability: z.tuple([z.number().int(), z.number().int()]),
  multiProcessors: z.number().int().optional(),
});
export type ProbeGpu = z.infer<typeof ProbeGpuSchema>;

export const ProbeTorchSchema = z.object({
  importable: z.boolean(),
  error: z.string().optional(),
  version: z.string().nullable().optional(),
  /** `torch.version.cuda`: null for a CPU-only build. */
  cudaBuild: z.string().nullable().optional(),
  cudaAvailable: z.boolean().optional(),
  cudaError: z.string().optional(),
  archList: z.array(z.string()).optional(),
  cudnnVersion: z.number().nullable().optional(),
  cudnnError: z.string().optional(),
  bf16Supported: z.boolean().nullable().optional(),
  gpus: z.array(ProbeGpuSchema).optional(),
});
export type ProbeTorch = z.infer<typeof ProbeTorchSchema>;

export const ProbeSdScriptsSchema = z.object({
  dir: z.string(),
  exists: z.boolean(),
  scripts: z.array(z.string()).optional(),
  hasTrainUtil: z.boolean().optional(),
  branch: z.string().optional(),
  commit: z.string().optional(),
  tags: z.array(z.string()).optional(),
  versionFile: z.object({ name: z.string(), content: z.string() }).optional(),
  readmeVersion: z.string().optional(),
});
export type ProbeSdScripts = z.infer<typeof ProbeSdScriptsSchema>;

export const ProbeReportSchema = z.object({
  danluProbe: z.literal(1),
  python: z.object({
    version: z.string(),
    executable: z.string(),
    prefix: z.string(),
    basePrefix: z.string(),
    implementation: z.string(),
    bits: z.number(),
    utf8Mode: z.boolean(),
  }),
  platform: z.object({
    system: z.string(),
    release: z.string(),
    machine: z.string(),
    sysPlatform: z.string(),
  }),
  packages: z.array(ProbePackageSchema),
  torch: ProbeTorchSchema,
  sdScripts: ProbeSdScriptsSchema.optional(),
  probeError: z.string().optional(),
});
export type ProbeReport = z.infer<typeof ProbeReportSchema>;

/**
 * Every way a probe can end. Only `ok` carries a report; the others say which of the user's problems it
 * is, because "Python is missing", "the venv is half-made", "it hangs" and "it prints nonsense" each
 * need a different fix.
 */
export const ProbeStatusSchema = z.enum(['ok', 'python_missing', 'python_broken', 'timeout', 'garbage']);
export type ProbeStatus = z.infer<typeof ProbeStatusSchema>;

export const ProbeOutcomeSchema = z.object({
  status: ProbeStatusSchema,
  pythonExe: z.string().nullable(),
  message: TextSchema,
  report: ProbeReportSchema.optional(),
  exitCode: z.number().nullable().optional(),
  /** The last part of stderr (or of unparseable stdout), for the details pane and the diagnostics bundle. */
  outputTail: z.string().optional(),
  durationMs: z.number().nonnegative(),
  probedAt: z.string(),
});
export type ProbeOutcome = z.infer<typeof ProbeOutcomeSchema>;

/** Version of a package from the report, or undefined when it is not installed. */
export function packageVersion(report: ProbeReport, name: string): string | undefined {
  return report.packages.find((entry) => entry.name === name)?.version ?? undefined;
}
