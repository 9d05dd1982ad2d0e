import { join, resolve } from 'node:path';

import {
  DanluError,
  type EngineList,
  type EnvironmentMethodName,
  type InstallStatus,
  type MethodInput,
} from '@danlu/contracts';
import {
  attachEngine,
  buildInstallPlan,
  checkReachability,
  collectDoctor,
  createDiagnosticsBundle,
  defaultProbeScript,
  detachEngine,
  envEntryProblem,
  executeInstallPlan,
  findEngines,
  formatInstallPlan,
  installStateFile,
  loadEngines,
  mirrorPreset,
  probeProfile,
  readCachedProbe,
  readEnvironmentPrefs,
  readInstallState,
  setActiveEngine,
  setEngineEnv,
  stageFingerprint,
  updateEnvironmentPrefs,
  usualEngineRoots,
  type InstallEvent,
  type InstallGpu,
  type InstallPlan,
  type ProbeOutcome,
} from '@danlu/engine';

import type { ApiHandlers } from '../rpc/dispatch.js';
import type { DomainContext, DomainModule } from './context.js';

type InstallInput = MethodInput<'engine.installPlan'>;

/** Rough download sizes (GB) per stage, for the wizard's "this downloads several GB" line. */
const stageGb: Record<string, number> = {
  python: 0.03,
  torch: 2.8,
  'sd-scripts': 0.01,
  requirements: 0.6,
  lycoris: 0.01,
  bitsandbytes: 0.1,
  xformers: 0.1,
  prodigyopt: 0.01,
};

function gpuKindFrom(names: string[]): InstallGpu {
  if (names.some((name) => /RTX\s*50\d0|BLACKWELL/i.test(name))) return 'rtx50';
  return names.length ? 'rtx40' : 'cpu';
}

/** Handlers of the environment domain (see @danlu/contracts environment.ts). */
export function createEnvironmentDomain(context: DomainContext): DomainModule<EnvironmentMethodName> {
  const dataDir = context.paths.data;
  const probeScript = defaultProbeScript(context.resourcesDir);
  const defaultTarget = join(resolve(dataDir), 'engine');

  const list = async (): Promise<EngineList> => {
    const [{ engines }, prefs] = await Promise.all([loadEngines(dataDir), readEnvironmentPrefs(dataDir)]);
    const probes: Record<string, ProbeOutcome> = {};
    for (const engine of engines) {
      const cached = await readCachedProbe(dataDir, engine.id);
      if (cached) probes[engine.id] = cached;
    }
    const active = engines.find((engine) => engine.id === prefs.activeEngineId) ?? engines[0];
    const { version: _version, ...rest } = prefs;
    return { engines, activeId: active?.id ?? null, prefs: rest, probes };
  };
  const changed = async () => {
    const next = await list();
    context.events.emit('engine.changed', next);
    return next;
  };

  const planFor = async (input: InstallInput): Promise<{ plan: InstallPlan; detected: boolean }> => {
    const prefs = await readEnvironmentPrefs(dataDir);
    let gpu = input.gpu;
    let detected = false;
    if (!gpu) {
      gpu = gpuKindFrom((await context.gpus()).gpus.map((entry) => entry.name));
      detected = true;
    }
    const mirror = input.mirror ?? prefs.mirror ?? 'official';
    const plan = buildInstallPlan({
      platform: process.platform === 'win32' ? 'win32' : 'linux',
      gpu,
      targetDir: input.targetDir ? resolve(input.targetDir) : defaultTarget,
      mirrors: mirrorPreset(mirror),
      ...(input.xformers === undefined ? {} : { xformers: input.xformers }),
      ...(input.prodigyopt === undefined ? {} : { prodigyopt: input.prodigyopt }),
      ...(input.bitsandbytes === undefined ? {} : { bitsandbytes: input.bitsandbytes }),
    });
    return { plan, detected };
  };

  // One install at a time; its status is what `engine.install` events carry.
  let install: { controller: AbortController; promise: Promise<void> } | undefined;
  let status: InstallStatus = {
    running: false,
    targetDir: null,
    stages: [],
    current: null,
    result: null,
    logFile: null,
  };
  let lastEmit = 0;
  const publish = (force = false) => {
    const now = Date.now();
    if (!force && now - lastEmit < 250) return;
    lastEmit = now;
    context.events.emit('engine.install', status);
  };
  const setStage = (id: string, stageStatus: InstallStatus['stages'][number]['status']) => {
    status = {
      ...status,
      stages: status.stages.map((stage) => (stage.id === id ? { ...stage, status: stageStatus } : stage)),
    };
  };
  const onEvent = (event: InstallEvent) => {
    switch (event.type) {
      case 'started':
        setStage(event.stage, 'running');
        status = { ...status, current: { stage: event.stage, line: '' } };
        publish(true);
        return;
      case 'completed':
        setStage(event.stage, 'done');
        publish(true);
        return;
      case 'skipped':
        setStage(event.stage, 'skipped');
        publish(true);
        return;
      case 'failed':
        setStage(event.stage, 'failed');
        publish(true);
        return;
      case 'download': {
        const inner = event.event;
        if (inner.type === 'progress')
          status = {
            ...status,
            current: { stage: event.stage, line: inner.url, received: inner.received, total: inner.total },
          };
        else if (inner.type !== 'done')
          status = {
            ...status,
            current: { stage: event.stage, line: `${inner.url}: ${inner.reason}` },
          };
        publish();
        return;
      }
      case 'command':
        status = { ...status, current: { stage: event.stage, line: event.argv.slice(1).join(' ') } };
        publish(true);
        return;
      case 'output':
        status = { ...status, current: { stage: event.stage, line: event.line.slice(0, 300) } };
        publish();
        return;
      case 'extract':
        status = { ...status, current: { stage: event.stage, line: event.archive } };
        publish(true);
        return;
      case 'probe':
        status = { ...status, current: { stage: event.stage, line: event.outcome.message.en } };
        publish(true);
        return;
    }
  };

  const handlers: Pick<ApiHandlers, EnvironmentMethodName> = {
    'engine.list': list,
    'engine.search': async ({ paths }) => {
      const result = await findEngines([...(paths ?? []), ...usualEngineRoots()]);
      return result;
    },
    'engine.attach': async ({ path, python }) => {
      const result = await attachEngine(dataDir, path, python ? { pythonExe: python } : {});
      if (result.ok) {
        // Probe at once so the page shows what the folder holds; a broken Python is reported, not thrown.
        await probeProfile(dataDir, result.profile, { refresh: true, probeScript });
        await changed();
      }
      return result;
    },
    'engine.detach': async ({ id }) => {
      await detachEngine(dataDir, id);
      return changed();
    },
    'engine.probe': async ({ id, refresh }) => {
      const engine = (await loadEngines(dataDir)).engines.find((entry) => entry.id === id);
      if (!engine) throw new DanluError('not_found', `没有这个引擎 / No such engine: ${id}`);
      const result = await probeProfile(dataDir, engine, { refresh: refresh ?? false, probeScript });
      if (!result.fromCache) await changed();
      return result;
    },
    'engine.setActive': async ({ id }) => {
      if (!(await setActiveEngine(dataDir, id)))
        throw new DanluError('not_found', `没有这个引擎 / No such engine: ${id}`);
      return changed();
    },
    'engine.setEnv': async ({ id, env }) => {
      for (const [key, value] of Object.entries(env)) {
        const problem = envEntryProblem(key, value);
        if (problem) throw new DanluError('bad_request', `${problem.zh} / ${problem.en}`);
      }
      const profile = await setEngineEnv(dataDir, id, env);
      if (!profile) throw new DanluError('not_found', `没有这个引擎 / No such engine: ${id}`);
      await changed();
      return profile;
    },
    'engine.installPlan': async (input) => {
      const { plan, detected } = await planFor(input);
      const state = await readInstallState(installStateFile(plan.targetDir));
      return {
        gpu: plan.gpu,
        mirror: Object.keys(plan.mirrors).length ? 'cn' : 'official',
        targetDir: plan.targetDir,
        stages: plan.stages.map((stage) => ({
          id: stage.id,
          title: stage.title,
          optional: stage.optional,
          enabled: stage.enabled,
          versions: stage.versions,
          done: stage.id !== 'probe' && state.completed[stage.id]?.fingerprint === stageFingerprint(stage),
        })),
        notes: plan.notes,
        printed: { zh: formatInstallPlan(plan, 'zh-CN'), en: formatInstallPlan(plan, 'en') },
        downloadGb:
          Math.round(
            plan.stages
              .filter((stage) => stage.enabled && state.completed[stage.id] === undefined)
              .reduce((sum, stage) => sum + (stageGb[stage.id] ?? 0), 0) * 10,
          ) / 10,
        gpuDetected: detected,
      };
    },
    'engine.install': async ({ confirm: _confirm, ...input }) => {
      if (install) return status;
      const { plan } = await planFor(input);
      const controller = new AbortController();
      const logFile = join(context.paths.logs, 'engine-install.log');
      status = {
        running: true,
        targetDir: plan.targetDir,
        stages: plan.stages.map((stage) => ({
          id: stage.id,
          title: stage.title,
          status: stage.enabled ? 'pending' : 'skipped',
        })),
        current: null,
        result: null,
        logFile,
      };
      publish(true);
      const promise = (async () => {
        try {
          const result = await executeInstallPlan(plan, {
            logFile,
            signal: controller.signal,
            probeScript,
            onEvent,
          });
          if (result.ok) {
            const attached = await attachEngine(dataDir, plan.targetDir, { pythonExe: plan.pythonExe });
            if (attached.ok && !(await readEnvironmentPrefs(dataDir)).activeEngineId)
              await setActiveEngine(dataDir, attached.profile.id);
            await changed();
          }
          status = {
            ...status,
            running: false,
            current: null,
            result: {
              ok: result.ok,
              cancelled: result.cancelled,
              ...(result.failed ? { failedStage: result.failed.stage, detail: result.failed.message } : {}),
              ...(result.explanation ? { explanation: result.explanation } : {}),
            },
          };
        } catch (error) {
          context.onInternalError?.(error);
          status = {
            ...status,
            running: false,
            result: {
              ok: false,
              cancelled: false,
              detail: error instanceof Error ? error.message : String(error),
            },
          };
        } finally {
          install = undefined;
          publish(true);
        }
      })();
      install = { controller, promise };
      return status;
    },
    'engine.installStatus': () => Promise.resolve(status),
    'engine.installCancel': async () => {
      const running = install;
      if (!running) return status;
      running.controller.abort();
      await running.promise;
      return status;
    },
    'engine.reachability': ({ timeoutMs }) => checkReachability({ timeoutMs }),
    'environment.setPrefs': async (patch) => {
      await updateEnvironmentPrefs(dataDir, {
        ...(patch.gpuIndices === undefined ? {} : { gpuIndices: [...new Set(patch.gpuIndices)].sort() }),
        ...(patch.mirror === undefined ? {} : { mirror: patch.mirror }),
      });
      return changed();
    },
    'doctor.run': async ({ refresh, ...request }) => {
      const result = await collectDoctor({
        dataDir,
        gpus: await context.gpus(),
        request,
        refresh: refresh ?? false,
        probeScript,
        // The page shows attached engines; it does not go hunting through the disks on every visit.
        searchRoots: [],
      });
      return {
        status: result.status,
        summary: result.summary,
        cards: result.cards,
        engineId: result.engine?.id ?? null,
        checkedAt: new Date().toISOString(),
      };
    },
    'diagnostics.bundle': async ({ maskUserPaths }) => {
      const gpus = await context.gpus();
      const doctor = await collectDoctor({ dataDir, gpus, probeScript, searchRoots: [] });
      const bundle = await createDiagnosticsBundle({
        dataDir,
        logsDir: context.paths.logs,
        runsDir: context.paths.runs,
        app: {
          paths: context.paths,
          platform: process.platform,
          arch: process.arch,
          node: process.versions.node,
        },
        settings: context.settings.get(),
        gpus,
        doctor: { status: doctor.status, summary: doctor.summary, cards: doctor.cards },
        maskUserPaths: maskUserPaths ?? false,
      });
      return bundle;
    },
  };
  return {
    handlers,
    close: async () => {
      install?.controller.abort();
      await install?.promise;
    },
  };
}
