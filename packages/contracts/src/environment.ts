import { z } from 'zod';

import { BilingualSchema, NoInput } from './common.js';
import type { EnvironmentEventName, EnvironmentMethodName } from './environment.names.js';

/**
 * The environment domain on the wire: attached training engines, their probe results, the install
 * plan and its progress, doctor cards and the diagnostics bundle. The shapes mirror @danlu/engine's
 * (the backend hands those objects through); only what the UI reads is spelled out.
 */

const PathSchema = z.string().min(1).max(4000);

export const EngineProfileSchema = z.object({
  id: z.string(),
  kind: z.enum(['lora-scripts', 'kohya_ss', 'sd-scripts']),
  root: z.string(),
  sdScriptsDir: z.string(),
  otherSdScriptsDirs: z.array(z.string()),
  pythonExe: z.string().nullable(),
  pythonLayout: z.enum(['venv-windows', 'venv-posix', 'embedded-windows', 'posix-prefix']).nullable(),
  scripts: z.array(z.string()),
  label: BilingualSchema,
  attachedAt: z.string().optional(),
  env: z.record(z.string(), z.string()),
});
export type EngineProfile = z.infer<typeof EngineProfileSchema>;

export const ProbePackageSchema = z.object({
  name: z.string(),
  version: z.string().nullable(),
  importable: z.boolean(),
  error: z.string().optional(),
});

export const ProbeReportSchema = z.object({
  python: z.object({ version: z.string(), executable: z.string() }),
  packages: z.array(ProbePackageSchema),
  torch: z.object({
    importable: z.boolean(),
    error: z.string().optional(),
    version: z.string().nullable().optional(),
    cudaBuild: z.string().nullable().optional(),
    cudaAvailable: z.boolean().optional(),
    cudnnVersion: z.number().nullable().optional(),
    gpus: z
      .array(
        z.object({
          index: z.number(),
          name: z.string(),
          totalMemoryBytes: z.number(),
          capability: z.tuple([z.number(), z.number()]),
        }),
      )
      .optional(),
  }),
  sdScripts: z
    .object({
      dir: z.string(),
      exists: z.boolean(),
      commit: z.string().optional(),
      tags: z.array(z.string()).optional(),
      branch: z.string().optional(),
    })
    .optional(),
});

export const ProbeOutcomeSchema = z.object({
  status: z.enum(['ok', 'python_missing', 'python_broken', 'timeout', 'garbage']),
  pythonExe: z.string().nullable(),
  message: BilingualSchema,
  report: ProbeReportSchema.optional(),
  outputTail: z.string().optional(),
  durationMs: z.number(),
  probedAt: z.string(),
});
export type ProbeOutcomeWire = z.infer<typeof ProbeOutcomeSchema>;

export const DoctorCardSchema = z.object({
  id: z.string(),
  status: z.enum(['ok', 'warning', 'error']),
  title: BilingualSchema,
  detail: BilingualSchema,
  fix: z.object({ id: z.string(), label: BilingualSchema }).optional(),
});
export type DoctorCardWire = z.infer<typeof DoctorCardSchema>;

export const EnvironmentPrefsSchema = z.object({
  activeEngineId: z.string().optional(),
  gpuIndices: z.array(z.number().int().nonnegative()).optional(),
  mirror: z.enum(['official', 'cn']).optional(),
});

export const EngineListSchema = z.object({
  engines: z.array(EngineProfileSchema),
  activeId: z.string().nullable(),
  prefs: EnvironmentPrefsSchema,
  /** The cached probe of each engine, by id (absent = never probed). */
  probes: z.record(z.string(), ProbeOutcomeSchema),
});
export type EngineList = z.infer<typeof EngineListSchema>;

export const InstallGpuSchema = z.enum(['rtx50', 'rtx40', 'cpu']);
export const InstallOptionsSchema = z
  .object({
    gpu: InstallGpuSchema.optional(),
    mirror: z.enum(['official', 'cn']).optional(),
    targetDir: PathSchema.optional(),
    xformers: z.boolean().optional(),
    prodigyopt: z.boolean().optional(),
    bitsandbytes: z.boolean().optional(),
  })
  .strict();

export const InstallStageStatusSchema = z.enum(['pending', 'running', 'done', 'failed', 'skipped']);

export const InstallPlanViewSchema = z.object({
  gpu: InstallGpuSchema,
  mirror: z.enum(['official', 'cn']),
  targetDir: z.string(),
  stages: z.array(
    z.object({
      id: z.string(),
      title: BilingualSchema,
      optional: z.boolean(),
      enabled: z.boolean(),
      versions: z.record(z.string(), z.string()),
      /** From the state file of an earlier attempt into the same folder. */
      done: z.boolean(),
    }),
  ),
  notes: z.array(BilingualSchema),
  /** The whole plan as `danlu engine install --dry-run` prints it. */
  printed: BilingualSchema,
  /** Rough download size in GB, for the "this downloads several GB" notice. */
  downloadGb: z.number(),
  /** Why the GPU kind was chosen (detected from nvidia-smi, or the caller's choice). */
  gpuDetected: z.boolean(),
});
export type InstallPlanView = z.infer<typeof InstallPlanViewSchema>;

export const InstallStatusSchema = z.object({
  running: z.boolean(),
  targetDir: z.string().nullable(),
  stages: z.array(z.object({ id: z.string(), title: BilingualSchema, status: InstallStageStatusSchema })),
  current: z
    .object({
      stage: z.string(),
      /** What is happening, already worded (download 45 %, pip output line…). */
      line: z.string(),
      received: z.number().optional(),
      total: z.number().nullable().optional(),
    })
    .nullable(),
  result: z
    .object({
      ok: z.boolean(),
      cancelled: z.boolean(),
      failedStage: z.string().optional(),
      explanation: BilingualSchema.optional(),
      detail: z.string().optional(),
    })
    .nullable(),
  logFile: z.string().nullable(),
});
export type InstallStatus = z.infer<typeof InstallStatusSchema>;

const SourceCheckSchema = z.object({
  id: z.string(),
  url: z.string(),
  ok: z.boolean(),
  status: z.number().nullable(),
  ms: z.number().nullable(),
  error: z.string().optional(),
});

export const DoctorResultSchema = z.object({
  status: z.enum(['ok', 'warning', 'error']),
  summary: BilingualSchema,
  cards: z.array(DoctorCardSchema),
  engineId: z.string().nullable(),
  checkedAt: z.string(),
});
export type DoctorResult = z.infer<typeof DoctorResultSchema>;

const EngineRef = z.object({ id: z.string().min(1).max(100) }).strict();

/** Request/response schemas of the environment domain; merged into `apiMethods` in api.ts. */
export const environmentMethods = {
  'engine.list': { input: NoInput, output: EngineListSchema },
  /** Looks in the usual unpack places plus the given folders; attaches nothing. */
  'engine.search': {
    input: z.object({ paths: z.array(PathSchema).max(20).optional() }).strict(),
    output: z.object({
      found: z.array(EngineProfileSchema),
      rejected: z.array(z.object({ root: z.string(), reason: BilingualSchema })),
    }),
  },
  'engine.attach': {
    input: z.object({ path: PathSchema, python: PathSchema.optional() }).strict(),
    output: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), profile: EngineProfileSchema, replaced: z.boolean() }),
      z.object({ ok: z.literal(false), reason: BilingualSchema, expected: z.array(z.string()) }),
    ]),
  },
  'engine.detach': { input: EngineRef, output: EngineListSchema },
  'engine.probe': {
    input: z.object({ id: z.string().min(1).max(100), refresh: z.boolean().optional() }).strict(),
    output: z.object({ outcome: ProbeOutcomeSchema, fromCache: z.boolean() }),
  },
  'engine.setActive': { input: EngineRef, output: EngineListSchema },
  'engine.setEnv': {
    input: z
      .object({ id: z.string().min(1).max(100), env: z.record(z.string().max(200), z.string().max(4000)) })
      .strict(),
    output: EngineProfileSchema,
  },
  'engine.installPlan': { input: InstallOptionsSchema, output: InstallPlanViewSchema },
  /** Starts the install in the background; progress comes as `engine.install` events. */
  'engine.install': {
    input: InstallOptionsSchema.extend({ confirm: z.literal(true) }).strict(),
    output: InstallStatusSchema,
  },
  'engine.installStatus': { input: NoInput, output: InstallStatusSchema },
  'engine.installCancel': { input: NoInput, output: InstallStatusSchema },
  'engine.reachability': {
    input: z.object({ timeoutMs: z.number().int().min(500).max(30_000) }).strict(),
    output: z.object({
      official: z.array(SourceCheckSchema),
      cn: z.array(SourceCheckSchema),
      suggestion: z.enum(['official', 'cn']),
    }),
  },
  'environment.setPrefs': {
    input: z
      .object({
        gpuIndices: z.array(z.number().int().nonnegative().max(63)).max(64).optional(),
        mirror: z.enum(['official', 'cn']).optional(),
      })
      .strict(),
    output: EngineListSchema,
  },
  'doctor.run': {
    input: z
      .object({
        refresh: z.boolean().optional(),
        mixedPrecision: z.enum(['no', 'fp16', 'bf16', 'fp8']).optional(),
        optimizer: z.string().max(200).optional(),
        networkModule: z.string().max(200).optional(),
        xformers: z.boolean().optional(),
      })
      .strict(),
    output: DoctorResultSchema,
  },
  /** Writes `<data>/logs/diagnostics-<time>/` (and a .zip of it) and says where. */
  'diagnostics.bundle': {
    input: z.object({ maskUserPaths: z.boolean().optional() }).strict(),
    output: z.object({ folder: z.string(), zip: z.string().nullable(), files: z.array(z.string()) }),
  },
} as const satisfies Record<EnvironmentMethodName, { input: z.ZodType; output: z.ZodType }>;

export const environmentEvents = {
  'engine.install': InstallStatusSchema,
  /** The attached engines, the active one or the preferences changed. */
  'engine.changed': EngineListSchema,
} as const satisfies Record<EnvironmentEventName, z.ZodType>;
