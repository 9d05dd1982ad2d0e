import { readFile } from 'node:fs/promises';

import { z } from 'zod';

import { writeFileAtomic } from '@danlu/node-utils';

import { stageFingerprint, type InstallPlan, type InstallStage, type StageId } from './plan.js';

const StageRecordSchema = z.object({
  fingerprint: z.string(),
  completedAt: z.string(),
  versions: z.record(z.string(), z.string()),
});

export const InstallStateSchema = z.object({
  version: z.literal(1),
  completed: z.record(z.string(), StageRecordSchema),
  lastFailure: z.object({ stage: z.string(), message: z.string(), at: z.string() }).optional(),
});
export type InstallState = z.infer<typeof InstallStateSchema>;

const emptyState = (): InstallState => ({ version: 1, completed: {} });

/** A missing or unreadable state file means "nothing done yet": redoing a stage is always safe. */
export async function readInstallState(file: string): Promise<InstallState> {
  try {
    const parsed = InstallStateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : emptyState();
  } catch {
    return emptyState();
  }
}

async function writeState(file: string, state: InstallState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** Runs one stage's actions; the real one downloads and runs pip, tests pass fakes. */
export type StageRunner = (stage: InstallStage, plan: InstallPlan) => Promise<void>;

export type StageEvent =
  | { type: 'skipped'; stage: StageId; reason: 'done' | 'disabled' }
  | { type: 'started'; stage: StageId; index: number; total: number }
  | { type: 'completed'; stage: StageId }
  | { type: 'failed'; stage: StageId; message: string };

export interface RunPlanResult {
  ok: boolean;
  ran: StageId[];
  skipped: StageId[];
  failed?: { stage: StageId; message: string };
  state: InstallState;
}

/**
 * Runs the plan's enabled stages in order, skipping those the state file records as done with the same
 * fingerprint. Each success is written at once, so a crash or a failed stage loses nothing: the next call
 * starts at the first stage not done. A stage whose content changed is redone, and so is every stage
 * after a redone one (a new torch invalidates what was installed on top of it).
 */
export async function runInstallPlan(
  plan: InstallPlan,
  stateFile: string,
  runner: StageRunner,
  options: { onEvent?: (event: StageEvent) => void; now?: () => Date } = {},
): Promise<RunPlanResult> {
  const now = options.now ?? (() => new Date());
  const emit = options.onEvent ?? (() => undefined);
  const state = await readInstallState(stateFile);
  const ran: StageId[] = [];
  const skipped: StageId[] = [];
  const enabled = plan.stages.filter((stage) => stage.enabled);
  let redoRest = false;
  for (const [index, stage] of enabled.entries()) {
    const record = state.completed[stage.id];
    const fingerprint = stageFingerprint(stage);
    if (!redoRest && record?.fingerprint === fingerprint && stage.id !== 'probe') {
      skipped.push(stage.id);
      emit({ type: 'skipped', stage: stage.id, reason: 'done' });
      continue;
    }
    redoRest = true;
    emit({ type: 'started', stage: stage.id, index, total: enabled.length });
    try {
      await runner(stage, plan);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      Reflect.deleteProperty(state.completed, stage.id);
      state.lastFailure = { stage: stage.id, message, at: now().toISOString() };
      await writeState(stateFile, state);
      emit({ type: 'failed', stage: stage.id, message });
      return { ok: false, ran, skipped, failed: { stage: stage.id, message }, state };
    }
    state.completed[stage.id] = { fingerprint, completedAt: now().toISOString(), versions: stage.versions };
    delete state.lastFailure;
    await writeState(stateFile, state);
    ran.push(stage.id);
    emit({ type: 'completed', stage: stage.id });
  }
  for (const stage of plan.stages)
    if (!stage.enabled) emit({ type: 'skipped', stage: stage.id, reason: 'disabled' });
  return { ok: true, ran, skipped, state };
}

/** Every version the state file says is installed, for the engine record and a later rollback. */
export function installedVersions(state: InstallState): Record<string, string> {
  return Object.assign({}, ...Object.values(state.completed).map((record) => record.versions)) as Record<
    string,
    string
  >;
}
