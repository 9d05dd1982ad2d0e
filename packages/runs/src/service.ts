import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

import {
  DanluError,
  finishedRunStates,
  type Diagnosis,
  type RunCreateInput,
  type RunDetail,
  type RunLogPage,
  type RunMetrics,
  type RunState,
  type RunSummary,
  type RunUpdate,
} from '@danlu/contracts';
import {
  buildEngineLaunch,
  checkEngine,
  prepareRun,
  runFiles,
  scanSamples,
  scanSaves,
  writeRunFiles,
} from '@danlu/engine';
import { writeFileAtomic } from '@danlu/node-utils';
import {
  applyPatch,
  checkConfig,
  resolveValues,
  scriptFor,
  TrainingConfigSchema,
  type ParamValue,
  type TrainingConfig,
} from '@danlu/params';

import { createParser, diagnoseRun } from './engineBridge.js';
import { imageDataUrl, modelMetadata } from './files.js';
import { datasetManifest, readScene, SCENE_FORMAT, sceneFileName, writeScene } from './scene.js';
import { LogIndex } from './logfile.js';
import { readRunMetrics } from './metrics.js';
import { RunRecordSchema, type RunEngine, type RunRecord } from './record.js';
import { isRunId, newRunId, RunStore } from './store.js';
import { isSameProcess, pidExists, processStartToken } from './supervisor/procinfo.js';
import { inJobObject, jobScriptPath, startEngine, supervisorFiles } from './supervisor/spawn.js';
import { stopRunProcess } from './supervisor/stop.js';
import { RunWatcher } from './watcher.js';

export interface RunServiceOptions {
  /** `<data>/runs`. */
  runsDir: string;
  /** Danlu's resources (the launcher shim lives in `python/`). */
  resourcesDir: string;
  /** The engine for a new run: the given profile id, or the default one; null when none is attached. */
  resolveEngine: (profileId?: string) => Promise<RunEngine | null>;
  /** GPUs a run uses when the caller names none (settings). */
  defaultGpus?: () => Promise<number[]>;
  onChanged?: (runs: RunSummary[]) => void;
  onUpdate?: (update: RunUpdate) => void;
  /** Polite-stop grace period before the tree is killed (default 15 s). */
  stopGraceMs?: number;
  /** How often live files are read and updates pushed (default 250 ms, i.e. ≤ 4 updates/s). */
  pollMs?: number;
  /** The Node binary for the wrapper (default process.execPath). */
  nodePath?: string;
  /** The wrapper script (default: supervisor/wrapper.mjs beside this package; a bundle ships its own copy). */
  wrapperPath?: string;
  onInternalError?: (error: unknown) => void;
  /**
   * true (the app): this instance owns the data folder — it re-attaches live runs, marks dead ones and runs
   * the persistent queue. false (a `danlu run` next to a possibly open app): it starts and follows only the
   * runs it created itself, keeps them out of queue.json, and leaves every other run alone.
   */
  exclusive?: boolean;
  /** Where scene archives go by default (`<data>/exports`). */
  exportsDir?: string;
  /** Checks of paths in a configuration before it is queued (default: fs.existsSync). */
  pathExists?: (path: string) => boolean;
}

const bad = (zh: string, en: string) => new DanluError('bad_request', `${zh} / ${en}`);
const notFound = (id: string) => new DanluError('not_found', `找不到训练任务 ${id} / No run with id ${id}`);

const activeStates: readonly RunState[] = ['starting', 'running', 'stopping'];

/** What the failure catalogue may read of a run's configuration (to tailor its fixes). */
function diagnoseConfig(record: RunRecord): { family: RunRecord['family']; values: Record<string, unknown> } {
  const parsed = TrainingConfigSchema.safeParse(record.config);
  return { family: record.family, values: parsed.success ? parsed.data.values : {} };
}

function isFinished(state: RunState): boolean {
  return finishedRunStates.includes(state);
}

/** Two GPU sets share a device; an empty set is "the engine's default device" and shares with every set. */
export function gpusConflict(a: readonly number[], b: readonly number[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  return a.some((gpu) => b.includes(gpu));
}

interface Active {
  watcher: RunWatcher;
  timer: NodeJS.Timeout | null;
  stopping: Promise<void> | null;
  lastPersist: number;
  lastDiagnosis: number;
  finishing: boolean;
}

/**
 * The run service: the store (run.json + queue.json), the queue, the supervisor and the live data. One
 * instance per data folder. Disposing it (the app closes or crashes) leaves every engine running; the next
 * instance re-attaches to them.
 */
export class RunService {
  readonly store: RunStore;
  readonly #records = new Map<string, RunRecord>();
  #queue: string[] = [];
  readonly #active = new Map<string, Active>();
  readonly #logIndexes = new Map<string, LogIndex>();
  #serial: Promise<unknown> = Promise.resolve();
  #disposed = false;
  /** Runs this instance created (the only ones a non-exclusive instance starts). */
  readonly #own = new Set<string>();
  /** Runs between "starting" and a recorded pid. */
  readonly #starting = new Set<string>();
  #guestTimer: NodeJS.Timeout | null = null;

  private constructor(readonly options: RunServiceOptions) {
    this.store = new RunStore(options.runsDir);
  }

  /** Loads every run, repairs what cannot be read, re-attaches to live engines and starts the queue. */
  static async open(options: RunServiceOptions): Promise<RunService> {
    const service = new RunService(options);
    // Nothing to manage, nothing written: the owner is claimed with the first run (see create()).
    if ((await service.store.ids()).length > 0) await service.#claimOwnership();
    await service.#load();
    void service.#pump();
    if (service.exclusive) service.#scheduleRescan();
    return service;
  }

  #rescanTimer: NodeJS.Timeout | null = null;

  /**
   * Runs started by `danlu run` while the app is open appear in its list: new run folders are picked up
   * every few seconds; a live one is followed (the CLI started it and keeps it out of the app's queue).
   */
  #scheduleRescan(): void {
    if (this.#disposed) return;
    this.#rescanTimer = setTimeout(() => {
      void this.#serialized(async () => {
        let added = false;
        for (const id of await this.store.ids()) {
          if (this.#records.has(id) || this.#disposed) continue;
          const loaded = await this.store.load(id, { repair: false });
          if (!loaded.ok) continue;
          this.#records.set(id, loaded.record);
          added = true;
          if (activeStates.includes(loaded.record.state)) await this.#reattach(loaded.record);
        }
        if (added) this.#changed();
      })
        .catch((error: unknown) => this.options.onInternalError?.(error))
        .finally(() => {
          this.#scheduleRescan();
        });
    }, 3000);
    this.#rescanTimer.unref();
  }

  get exclusive(): boolean {
    return (this.options.exclusive ?? true) && !this.#demoted;
  }

  /** true when another live instance (a second window, `danlu serve`) already owns this data folder. */
  #demoted = false;

  /**
   * One owner per data folder: `runs/owner.json` names the instance (pid + start token). A second app
   * instance finds the first alive and runs as a guest instead of managing the same runs twice.
   */
  #claimed = false;

  async #claimOwnership(): Promise<void> {
    this.#claimed = true;
    if (!(this.options.exclusive ?? true)) return;
    const file = join(this.options.runsDir, 'owner.json');
    try {
      const owner = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown; token?: unknown };
      if (
        typeof owner.pid === 'number' &&
        owner.pid !== process.pid &&
        (await isSameProcess(owner.pid, typeof owner.token === 'string' ? owner.token : null))
      ) {
        this.#demoted = true;
        return;
      }
    } catch {
      // no owner yet, or an unreadable file: take it over
    }
    await mkdir(this.options.runsDir, { recursive: true });
    await writeFileAtomic(
      file,
      JSON.stringify({ pid: process.pid, token: await processStartToken(process.pid) }),
    );
  }

  get pollMs(): number {
    return this.options.pollMs ?? 250;
  }

  // ---- reading ------------------------------------------------------------------------------------------

  list(): RunSummary[] {
    return [...this.#records.values()]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .map((r) => this.#summary(r));
  }

  async get(id: string): Promise<RunDetail> {
    const record = this.#record(id);
    const dir = this.store.runDir(id);
    const files = runFiles(dir);
    const read = (file: string) => readFile(file, 'utf8').catch(() => null);
    const [configToml, datasetToml, saves, samples] = await Promise.all([
      read(files.configToml),
      read(files.datasetToml),
      scanSaves(dir, record.outputName),
      scanSamples(dir),
    ]);
    const active = this.#active.get(id);
    return {
      ...this.#summary(record),
      runDir: dir,
      logFile: files.engineLog,
      config: record.config,
      configToml: configToml ?? '',
      datasetToml,
      prompts: record.samplePrompts,
      launch: record.launch,
      startup: active?.watcher.startup ?? record.startup,
      saves: saves.map((s) => ({
        file: s.file,
        name: s.name,
        kind: s.kind,
        epoch: s.epoch,
        step: s.step,
        sizeBytes: s.sizeBytes,
        savedAt: new Date(s.mtimeMs).toISOString(),
      })),
      samples: samples.map((s) => ({
        file: s.file,
        promptIndex: s.promptIndex,
        prompt: record.samplePrompts[s.promptIndex] ?? null,
        epoch: s.epoch,
        step: s.step,
        createdAt: new Date(s.mtimeMs).toISOString(),
      })),
    };
  }

  metrics(id: string, maxPoints?: number): Promise<RunMetrics> {
    this.#record(id);
    const files = runFiles(this.store.runDir(id));
    return readRunMetrics(files.metrics, files.loggingDir, maxPoints);
  }

  async log(
    id: string,
    options: { from?: number; limit?: number; search?: string } = {},
  ): Promise<RunLogPage & { lineNumbers?: number[] }> {
    const record = this.#record(id);
    let index = this.#logIndexes.get(id);
    if (!index) {
      index = new LogIndex(runFiles(this.store.runDir(id)).engineLog);
      this.#logIndexes.set(id, index);
      // A few indexes are plenty (the page shows one run); each is ~1 number per 1024 lines.
      if (this.#logIndexes.size > 16) this.#logIndexes.delete(this.#logIndexes.keys().next().value as string);
    }
    const limit = options.limit ?? 500;
    const partial = isFinished(record.state);
    if (options.search && options.search.trim() !== '') {
      const found = await index.search(options.search, limit, partial);
      return {
        lines: found.lines,
        first: found.lineNumbers[0] ?? 0,
        totalLines: found.total,
        lineNumbers: found.lineNumbers,
      };
    }
    const page = await index.page(options.from ?? -limit, limit, partial);
    return { lines: page.lines, first: page.first, totalLines: page.total };
  }

  image(id: string, file: string, size?: 'thumb' | 'full') {
    this.#record(id);
    return imageDataUrl(this.store.runDir(id), file, size);
  }

  modelMetadata(id: string, file: string) {
    this.#record(id);
    return modelMetadata(this.store.runDir(id), file);
  }

  /** 保存现场: one zip with the run folder (no state folders) and the dataset manifest. */
  async exportScene(id: string, destination?: string): Promise<{ file: string; sizeBytes: number }> {
    const record = this.#record(id);
    if (activeStates.includes(record.state))
      throw bad(
        '任务还在运行，结束后才能保存现场。',
        'The run is still going; save the scene once it has ended.',
      );
    const fileName = sceneFileName(record.name, id);
    let target =
      destination ?? join(this.options.exportsDir ?? join(this.options.runsDir, '..', 'exports'), fileName);
    if (destination) {
      const info = await stat(destination).catch(() => null);
      if (info?.isDirectory()) target = join(destination, fileName);
      else if (!/\.zip$/i.test(destination)) target = `${destination}.zip`;
    }
    const parsed = TrainingConfigSchema.safeParse(record.config);
    const manifest = await datasetManifest(parsed.success ? parsed.data : null);
    return writeScene(this.store.runDir(id), target, { manifest, runId: id });
  }

  /** Opens a scene archive as a new run (finished as it was; a run that was live becomes interrupted). */
  async importScene(file: string): Promise<RunSummary> {
    const id = newRunId();
    const dir = this.store.runDir(id);
    const staging = join(this.options.runsDir, `_import-${id}`);
    try {
      const { scene } = await readScene(file, staging);
      if (scene?.['format'] !== SCENE_FORMAT) throw new Error('not a Danlu scene archive');
      const text = await readFile(join(staging, 'run.json'), 'utf8');
      const parsed = RunRecordSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error('run.json in the archive is not valid');
      const old = parsed.data;
      const record: RunRecord = {
        ...old,
        id,
        state: isFinished(old.state) ? old.state : 'interrupted',
        process: null,
        paused: false,
        stopRequested: false,
        imported: true,
        notice: `从现场存档导入（原任务 ${old.id}） / Imported from a scene archive (was run ${old.id})`,
      };
      await rm(join(staging, 'run.json'));
      await rename(staging, dir);
      await this.store.save(record);
      this.#records.set(id, record);
      this.#changed();
      return this.#summary(record);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (error instanceof DanluError) throw error;
      throw bad(`无法导入现场存档：${String(error)}`, `Cannot import the scene archive: ${String(error)}`);
    }
  }

  /** The run folder of a known run (for image/metadata/export helpers). */
  runDir(id: string): string {
    this.#record(id);
    return this.store.runDir(id);
  }

  record(id: string): RunRecord {
    return this.#record(id);
  }

  // ---- creating and editing ----------------------------------------------------------------------------

  async create(
    input: RunCreateInput & { samplePrompts?: string[] },
    extra: { continuesFrom?: string } = {},
  ): Promise<RunSummary> {
    const config = this.#validConfig(input.config);
    const engine = await this.options.resolveEngine(input.profileId);
    if (!engine)
      throw bad(
        input.profileId
          ? `找不到训练引擎 ${input.profileId}`
          : '还没有可用的训练引擎，请先在“环境”页连接 sd-scripts。',
        input.profileId
          ? `No engine profile ${input.profileId}`
          : 'No training engine is attached yet; attach sd-scripts on the Environment page.',
      );
    const script = scriptFor(config.family, config.trainingType);
    const check = await checkEngine({
      python: engine.python,
      sdScriptsDir: engine.sdScriptsDir,
      script,
      resourcesDir: this.options.resourcesDir,
    });
    if (!check.ok) throw bad(check.message.zh, check.message.en);

    if (!this.#claimed) await this.#claimOwnership();
    const now = new Date();
    const id = newRunId(now);
    const runDir = this.store.runDir(id);
    const name = (input.name ?? '').trim() || this.#defaultName(config);
    const prepared = await prepareRun(config, {
      runDir,
      samplePrompts: input.samplePrompts,
      outputName: name,
    });
    this.#checkRules(prepared.config, runDir);
    await mkdir(runDir, { recursive: true });
    await writeRunFiles(prepared);
    const gpus = input.gpus ?? (await this.options.defaultGpus?.()) ?? [];
    const record: RunRecord = {
      version: 1,
      id,
      name,
      state: 'queued',
      family: config.family,
      trainingType: config.trainingType,
      outputName: prepared.outputName,
      createdAt: now.toISOString(),
      startedAt: null,
      endedAt: null,
      gpus: [...new Set(gpus)],
      exitCode: null,
      diagnosis: null,
      continuesFrom: extra.continuesFrom ?? null,
      config,
      samplePrompts: prepared.prompts,
      engine,
      launch: null,
      process: null,
      progress: null,
      startup: null,
      paused: input.start === false,
      stopRequested: false,
      notice: null,
      imported: false,
    };
    await this.store.save(record);
    this.#records.set(id, record);
    this.#own.add(id);
    this.#queue.push(id);
    await this.#saveQueue();
    this.#changed();
    void this.#pump();
    return this.#summary(record);
  }

  async update(id: string, patch: { name?: string; config?: unknown }): Promise<RunSummary> {
    const record = this.#record(id);
    if (record.state !== 'queued')
      throw bad('只能修改还在排队的任务。', 'Only a run that is still waiting can be edited.');
    const config =
      patch.config === undefined ? (record.config as TrainingConfig) : this.#validConfig(patch.config);
    const name = patch.name?.trim() || record.name;
    const prepared = await prepareRun(config, {
      runDir: this.store.runDir(id),
      samplePrompts: record.samplePrompts,
      outputName: name,
    });
    this.#checkRules(prepared.config, this.store.runDir(id));
    await writeRunFiles(prepared);
    Object.assign(record, {
      name,
      config,
      family: config.family,
      trainingType: config.trainingType,
      outputName: prepared.outputName,
    });
    await this.store.save(record);
    this.#changed();
    return this.#summary(record);
  }

  async reorder(ids: string[]): Promise<RunSummary[]> {
    const queued = new Set(this.#queue);
    for (const id of ids)
      if (!queued.has(id)) throw bad(`任务 ${id} 不在队列中`, `Run ${id} is not waiting in the queue`);
    const given = [...new Set(ids)];
    this.#queue = [...given, ...this.#queue.filter((id) => !given.includes(id))];
    await this.#saveQueue();
    this.#changed();
    void this.#pump();
    return this.list();
  }

  async remove(id: string, deleteFiles = false): Promise<RunSummary[]> {
    const record = this.#record(id);
    if (activeStates.includes(record.state))
      throw bad('任务正在运行，请先停止它。', 'The run is still running; stop it first.');
    this.#records.delete(id);
    this.#logIndexes.delete(id);
    this.#queue = this.#queue.filter((q) => q !== id);
    await this.#saveQueue();
    if (deleteFiles) await this.store.remove(id);
    else {
      // Kept on disk but out of the list: `_removed/` is not a valid run id, so it is never loaded again.
      const bin = join(this.options.runsDir, '_removed');
      await mkdir(bin, { recursive: true });
      await rename(this.store.runDir(id), join(bin, `${id}-${Date.now()}`));
    }
    this.#changed();
    return this.list();
  }

  /** A new run from a finished one: resume its latest state folder, or start from a saved LoRA. */
  async continueRun(input: {
    id: string;
    mode: 'resume_state' | 'from_weights';
    file?: string;
    extraEpochs?: number;
  }): Promise<RunSummary> {
    const source = this.#record(input.id);
    if (!isFinished(source.state))
      throw bad('只能在任务结束后继续训练。', 'A run can be continued only after it has ended.');
    const config = this.#validConfig(source.config);
    const dir = this.store.runDir(source.id);
    const saves = await scanSaves(dir, source.outputName);
    const epochs = resolveValues(config).get('max_train_epochs');
    const patch: Record<string, ParamValue | null> = {};
    if (input.mode === 'resume_state') {
      const states = saves.filter((s) => s.kind === 'state');
      const latest = states.at(-1);
      if (!latest)
        throw bad(
          '这个任务没有保存训练状态（需要开启“保存训练状态”），可以改用“从 LoRA 继续”。',
          'This run saved no training state (turn on “save training state”); continue from a LoRA instead.',
        );
      patch['resume'] = join(dir, latest.file);
      patch['network_weights'] = null;
      if (input.extraEpochs && typeof epochs === 'number')
        patch['max_train_epochs'] = epochs + input.extraEpochs;
    } else {
      const models = saves.filter((s) => s.kind !== 'state');
      const chosen = input.file
        ? models.find((s) => s.file === input.file)
        : (models.find((s) => s.kind === 'final') ?? models.at(-1));
      if (!chosen)
        throw bad(
          input.file ? `找不到保存的模型 ${input.file}` : '这个任务没有保存任何模型。',
          input.file ? `No saved model ${input.file}` : 'This run saved no model.',
        );
      patch['network_weights'] = join(dir, chosen.file);
      patch['resume'] = null;
      if (input.extraEpochs) patch['max_train_epochs'] = input.extraEpochs;
    }
    return this.create(
      {
        name: `${source.name} · ${input.mode === 'resume_state' ? '续训' : '追加'}`,
        config: applyPatch(config, patch),
        gpus: source.gpus,
        ...(source.engine?.profileId ? { profileId: source.engine.profileId } : {}),
        samplePrompts: source.samplePrompts,
      },
      { continuesFrom: source.id },
    );
  }

  /** Queues a copy of a failed run with one of its diagnosis' fixes applied. */
  async applyFix(id: string, fixId: string): Promise<RunSummary> {
    const source = this.#record(id);
    const fix = source.diagnosis?.fixes.find((f) => f.id === fixId);
    if (!fix?.patch)
      throw bad(`这个任务没有可自动应用的修复 ${fixId}`, `This run has no applicable fix ${fixId}`);
    const config = applyPatch(this.#validConfig(source.config), fix.patch);
    return this.create(
      {
        name: `${source.name} · ${fix.label.zh}`,
        config,
        gpus: source.gpus,
        ...(source.engine?.profileId ? { profileId: source.engine.profileId } : {}),
        samplePrompts: source.samplePrompts,
      },
      { continuesFrom: source.id },
    );
  }

  /**
   * Stops a run. A waiting run leaves the queue (state stopped); a live one goes to `stopping` at once and
   * its tree is stopped in the background (the returned promise of `stopAndWait` waits for the end).
   */
  async stop(id: string): Promise<RunSummary> {
    const record = this.#record(id);
    if (record.state === 'queued') {
      this.#queue = this.#queue.filter((q) => q !== id);
      await this.#saveQueue();
      await this.#setState(record, 'stopped', { endedAt: new Date().toISOString() });
      void this.#pump();
      return this.#summary(record);
    }
    if (!activeStates.includes(record.state)) return this.#summary(record);
    if (!this.#active.has(id) && record.state === 'starting' && this.#starting.has(id)) {
      // Being spawned right now: #start stops it as soon as its pid is known.
      record.stopRequested = true;
      await this.#setState(record, 'stopping');
      return this.#summary(record);
    }
    // A guest asked to stop a run another instance follows: adopt it (read its files), then stop it.
    if (!this.#active.has(id)) await this.#reattach(record);
    const active = this.#active.get(id);
    if (!active) return this.#summary(record);
    if (record.state !== 'stopping') {
      record.stopRequested = true;
      await this.#setState(record, 'stopping');
    }
    active.stopping ??= this.#stopProcess(record).catch((error: unknown) =>
      this.options.onInternalError?.(error),
    );
    return this.#summary(record);
  }

  /** Stop and wait until the run has ended (CLI Ctrl-C). */
  async stopAndWait(id: string): Promise<RunSummary> {
    await this.stop(id);
    await this.waitFor(id);
    return this.#summary(this.#record(id));
  }

  /** Resolves once the run is in a finished state. */
  waitFor(id: string, timeoutMs = Number.POSITIVE_INFINITY): Promise<RunRecord> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const check = () => {
        const record = this.#records.get(id);
        if (!record) reject(notFound(id));
        else if (isFinished(record.state)) resolve(record);
        else if (Date.now() - started > timeoutMs) reject(new Error(`run ${id} still ${record.state}`));
        else setTimeout(check, 50);
      };
      check();
    });
  }

  /** Stops timers and file handles. Engines keep running (they outlive the app). */
  async dispose(): Promise<void> {
    this.#disposed = true;
    if (this.#guestTimer) clearTimeout(this.#guestTimer);
    if (this.#rescanTimer) clearTimeout(this.#rescanTimer);
    await this.#serial.catch(() => undefined);
    for (const active of this.#active.values()) {
      if (active.timer) clearTimeout(active.timer);
      active.timer = null;
      await active.watcher.close();
    }
    this.#active.clear();
  }

  // ---- internals --------------------------------------------------------------------------------------

  /** queue.json belongs to the exclusive instance; a guest keeps its own waiting runs in memory. */
  async #saveQueue(): Promise<void> {
    if (this.exclusive) await this.store.saveQueue(this.#queue);
  }

  #record(id: string): RunRecord {
    if (!isRunId(id)) throw notFound(id);
    const record = this.#records.get(id);
    if (!record) throw notFound(id);
    return record;
  }

  #defaultName(config: TrainingConfig): string {
    const named = resolveValues(config).get('output_name');
    return typeof named === 'string' && named.trim() !== ''
      ? named
      : `${config.family.toUpperCase()} ${config.trainingType}`;
  }

  #validConfig(raw: unknown): TrainingConfig {
    const parsed = TrainingConfigSchema.safeParse(raw);
    if (!parsed.success)
      throw bad(
        `训练配置格式不对：${parsed.error.issues[0]?.message ?? ''}`,
        `The training configuration is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    return parsed.data;
  }

  /** The 防呆 rules; files the run folder is about to get (prompts, dataset TOML) count as present. */
  #checkRules(config: TrainingConfig, runDir: string): void {
    const exists = this.options.pathExists ?? existsSync;
    const pathExists = (path: string) => path.startsWith(runDir) || exists(path);
    const errors = checkConfig(config, { pathExists }).filter((r) => r.severity === 'error');
    if (errors.length > 0)
      throw bad(errors.map((e) => e.text.zh).join('；'), errors.map((e) => e.text.en).join('; '));
  }

  #summary(record: RunRecord): RunSummary {
    const position = this.#queue.indexOf(record.id);
    const active = this.#active.get(record.id);
    return {
      id: record.id,
      name: record.name,
      state: record.state,
      family: record.family,
      trainingType: record.trainingType,
      outputName: record.outputName,
      createdAt: record.createdAt,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      queuePosition: record.state === 'queued' && position >= 0 ? position : null,
      gpus: record.gpus,
      progress: active?.watcher.progress ?? record.progress,
      exitCode: record.exitCode,
      diagnosis: record.diagnosis,
      continuesFrom: record.continuesFrom,
      notice: record.notice,
    };
  }

  #changed(): void {
    if (this.#disposed) return;
    this.options.onChanged?.(this.list());
  }

  async #setState(record: RunRecord, state: RunState, patch: Partial<RunRecord> = {}): Promise<void> {
    await this.store.save({ ...record, ...patch, state });
    Object.assign(record, patch, { state });
    this.#changed();
    this.#emitUpdate(record, null);
  }

  #emitUpdate(record: RunRecord, batch: ReturnType<RunWatcher['takeBatch']>): void {
    if (this.#disposed || !this.options.onUpdate) return;
    const active = this.#active.get(record.id);
    this.options.onUpdate({
      id: record.id,
      state: record.state,
      progress: active?.watcher.progress ?? record.progress,
      ...(batch?.startup ? { startup: batch.startup } : {}),
      newPoints: batch?.newPoints ?? [],
      newEpochs: batch?.newEpochs ?? [],
      newLogLines: batch?.newLogLines ?? [],
      ...(active ? { totalLogLines: active.watcher.linesRead } : {}),
      newSaves: batch?.newSaves ?? [],
      newSamples: batch?.newSamples ?? [],
      diagnosis: record.diagnosis,
    });
  }

  /** Runs `task` after every earlier queue/state operation (no two starts race for one GPU). */
  #serialized<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#serial.then(task, task);
    this.#serial = next.catch(() => undefined);
    return next;
  }

  async #load(): Promise<void> {
    const ids = await this.store.ids();
    for (const id of ids) {
      const loaded = await this.store.load(id, { repair: this.exclusive });
      if (loaded.ok) {
        this.#records.set(id, loaded.record);
        continue;
      }
      // A guest neither repairs nor lists what it cannot read (the owner may be writing it right now).
      if (!this.exclusive) continue;
      // A run folder whose run.json is gone or damaged: shown as interrupted, nothing is deleted.
      const stand: RunRecord = {
        version: 1,
        id,
        name: id,
        state: 'interrupted',
        family: 'sd1',
        trainingType: 'lora',
        outputName: 'lora',
        createdAt: new Date().toISOString(),
        startedAt: null,
        endedAt: null,
        gpus: [],
        exitCode: null,
        diagnosis: null,
        continuesFrom: null,
        config: null,
        samplePrompts: [],
        engine: null,
        launch: null,
        process: null,
        progress: null,
        startup: null,
        paused: false,
        stopRequested: false,
        notice:
          loaded.reason === 'corrupt'
            ? `run.json 已损坏，原文件保存为 ${loaded.backup ?? '（无法移动）'} / run.json was damaged; the original was kept as ${loaded.backup ?? '(could not be moved)'}`
            : 'run.json 缺失 / run.json was missing',
        imported: false,
      };
      await this.store.save(stand).catch(() => undefined);
      this.#records.set(id, stand);
    }
    const saved = await this.store.loadQueue();
    const queued = [...this.#records.values()].filter((r) => r.state === 'queued');
    this.#queue = [
      ...saved.filter((id) => this.#records.get(id)?.state === 'queued'),
      ...queued
        .filter((r) => !saved.includes(r.id))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map((r) => r.id),
    ];
    if (!this.exclusive) {
      this.#queue = [];
      return;
    }
    for (const record of this.#records.values()) {
      if (activeStates.includes(record.state)) await this.#reattach(record);
    }
  }

  async #reattach(record: RunRecord): Promise<void> {
    const dir = this.store.runDir(record.id);
    const files = supervisorFiles(dir);
    const proc = record.process;
    const alive = proc ? await isSameProcess(proc.pid, proc.startToken) : false;
    if (!alive && !existsSync(files.exit)) {
      await this.#setState(record, 'interrupted', {
        endedAt: new Date().toISOString(),
        notice:
          '丹炉启动时这个任务的引擎已不在运行，已保存的模型仍可使用。 / The engine was no longer running when Danlu started; what it saved is still there.',
      });
      return;
    }
    // Alive (or it ended while Danlu was closed): rebuild progress from the files, then follow or finish.
    const watcher = this.#newWatcher(record);
    let caught = false;
    while (!caught) {
      const before = watcher.linesRead;
      await watcher.poll({ backlog: true, maxBytes: 64 * 1024 * 1024 });
      caught = watcher.linesRead === before;
    }
    await watcher.poll({ backlog: true });
    this.#active.set(record.id, {
      watcher,
      timer: null,
      stopping: null,
      lastPersist: Date.now(),
      lastDiagnosis: Date.now(),
      finishing: false,
    });
    if (record.state === 'stopping' && alive) {
      const active = this.#active.get(record.id);
      if (active)
        active.stopping = this.#stopProcess(record).catch((e: unknown) => this.options.onInternalError?.(e));
    }
    this.#schedule(record.id);
  }

  #newWatcher(record: RunRecord): RunWatcher {
    return new RunWatcher(
      this.store.runDir(record.id),
      record.outputName,
      createParser,
      record.samplePrompts,
    );
  }

  #schedule(id: string): void {
    const active = this.#active.get(id);
    if (!active || this.#disposed) return;
    active.timer = setTimeout(() => {
      void this.#tick(id).catch((error: unknown) => {
        this.options.onInternalError?.(error);
        this.#schedule(id);
      });
    }, this.pollMs);
  }

  async #tick(id: string): Promise<void> {
    const active = this.#active.get(id);
    const record = this.#records.get(id);
    if (!active || !record || this.#disposed) return;
    active.timer = null;
    await active.watcher.poll();
    const batch = active.watcher.takeBatch();
    if (batch?.startup) record.startup = batch.startup;
    if (batch?.active && record.state === 'starting') {
      // One update carries both the new state and the lines that made it (no count ahead of its lines).
      await this.store.save({ ...record, state: 'running' });
      record.state = 'running';
      this.#changed();
    }
    if (batch) this.#emitUpdate(record, batch);
    if (record.state === 'running' && Date.now() - active.lastDiagnosis > 5000) {
      // While it runs: a NaN loss or a long silence is worth saying before the run ends.
      active.lastDiagnosis = Date.now();
      const live = diagnoseRun({
        lines: active.watcher.diagnosisTail.lines(),
        exitCode: null,
        signal: null,
        vanished: false,
        savedModels: active.watcher.savedModelCount(),
        finalModel: false,
        stopRequested: record.stopRequested,
        config: diagnoseConfig(record),
        silentSeconds: (Date.now() - active.watcher.lastOutputAt) / 1000,
      });
      if ((live?.code ?? null) !== (record.diagnosis?.code ?? null)) {
        record.diagnosis = live;
        this.#emitUpdate(record, null);
      }
    }
    if (Date.now() - active.lastPersist > 5000) {
      active.lastPersist = Date.now();
      record.progress = active.watcher.progress;
      await this.store.save(record);
    }
    if (await this.#hasExited(record)) {
      await this.#finish(record, active);
      return;
    }
    this.#schedule(id);
  }

  async #hasExited(record: RunRecord): Promise<boolean> {
    const files = supervisorFiles(this.store.runDir(record.id));
    if (existsSync(files.exit)) return true;
    const proc = record.process;
    if (!proc) return true;
    if (!pidExists(proc.pid)) return true;
    // On Linux the identity check is a /proc read; elsewhere it starts a program, so only pid liveness here.
    if (process.platform === 'linux') return !(await isSameProcess(proc.pid, proc.startToken));
    return false;
  }

  async #readExit(
    record: RunRecord,
  ): Promise<{ code: number | null; signal: string | null; written: boolean }> {
    try {
      const exit = JSON.parse(await readFile(supervisorFiles(this.store.runDir(record.id)).exit, 'utf8')) as {
        code?: unknown;
        signal?: unknown;
      };
      return {
        code: typeof exit.code === 'number' ? exit.code : null,
        signal: typeof exit.signal === 'string' ? exit.signal : null,
        written: true,
      };
    } catch {
      return { code: null, signal: null, written: false };
    }
  }

  async #finish(record: RunRecord, active: Active): Promise<void> {
    if (active.finishing) return;
    active.finishing = true;
    const { watcher } = active;
    await watcher.finish();
    const exit = await this.#readExit(record);
    await active.stopping;
    // Another instance (the CLI's `danlu runs stop`) may have asked for the stop.
    const onDisk = await this.store.load(record.id, { repair: false });
    if (onDisk.ok && onDisk.record.stopRequested) record.stopRequested = true;
    let state: RunState;
    let diagnosis: Diagnosis | null = null;
    if (record.stopRequested) state = 'stopped';
    else {
      diagnosis = diagnoseRun({
        lines: watcher.diagnosisTail.lines(),
        exitCode: exit.code,
        signal: exit.signal,
        vanished: !exit.written,
        savedModels: watcher.savedModelCount(),
        finalModel: watcher.hasFinalModel(),
        stopRequested: false,
        config: diagnoseConfig(record),
      });
      state = exit.code === 0 && diagnosis === null ? 'completed' : 'failed';
    }
    const batch = watcher.takeBatch();
    this.#active.delete(record.id);
    await watcher.close();
    record.progress = watcher.progress ? { ...watcher.progress, phase: 'finishing' } : record.progress;
    record.startup = watcher.startup ?? record.startup;
    const ended = { exitCode: exit.code, diagnosis, endedAt: new Date().toISOString(), state };
    // Saved first, then shown: whoever sees the finished state (waitFor, the list) has had the last update.
    await this.store.save({ ...record, ...ended });
    Object.assign(record, ended);
    if (!this.#disposed) {
      this.options.onUpdate?.({
        id: record.id,
        state,
        progress: record.progress,
        ...(batch?.startup ? { startup: batch.startup } : {}),
        newPoints: batch?.newPoints ?? [],
        newEpochs: batch?.newEpochs ?? [],
        newLogLines: batch?.newLogLines ?? [],
        totalLogLines: watcher.linesRead,
        newSaves: batch?.newSaves ?? [],
        newSamples: batch?.newSamples ?? [],
        diagnosis,
      });
    }
    this.#changed();
    void this.#pump();
  }

  async #stopProcess(record: RunRecord): Promise<void> {
    const proc = record.process;
    if (!proc) return;
    const outcome = await stopRunProcess({
      pid: proc.pid,
      startToken: proc.startToken,
      graceMs: this.options.stopGraceMs ?? 15_000,
      hasExited: () => this.#hasExited(record),
    });
    if (outcome === 'not_ours') {
      record.notice =
        '记录的进程号已属于别的程序，丹炉没有向它发送任何信号。 / The recorded pid now belongs to another program; Danlu sent it nothing.';
    }
  }

  /** Starts every waiting run whose GPUs are free, in queue order (earlier waiting runs reserve theirs). */
  #pump(): Promise<void> {
    return this.#serialized(async () => {
      if (this.#disposed) return;
      if (!this.exclusive) await this.#refreshOthers();
      const busy: number[][] = [...this.#records.values()]
        .filter((r) => activeStates.includes(r.state))
        .map((r) => r.gpus);
      for (const id of [...this.#queue]) {
        const record = this.#records.get(id);
        if (record?.state !== 'queued' || record.paused) continue;
        if (!this.exclusive && !this.#own.has(id)) continue;
        const blocked = busy.some((gpus) => gpusConflict(gpus, record.gpus));
        busy.push(record.gpus);
        if (blocked) continue;
        await this.#start(record);
      }
      // A guest learns about the other instance's runs only from the files: look again in a while.
      if (!this.exclusive && this.#queue.some((id) => this.#own.has(id)) && !this.#guestTimer) {
        this.#guestTimer = setTimeout(() => {
          this.#guestTimer = null;
          void this.#pump();
        }, 2000);
      }
    });
  }

  /** Guest mode: re-read the run.json of runs this instance does not follow (their state changes elsewhere). */
  async #refreshOthers(): Promise<void> {
    for (const id of await this.store.ids()) {
      if (this.#own.has(id) || this.#active.has(id)) continue;
      const loaded = await this.store.load(id, { repair: false }).catch(() => null);
      if (loaded?.ok) this.#records.set(id, loaded.record);
    }
  }

  async #start(record: RunRecord): Promise<void> {
    this.#queue = this.#queue.filter((q) => q !== record.id);
    await this.#saveQueue();
    const dir = this.store.runDir(record.id);
    const files = runFiles(dir);
    const engine = record.engine;
    const config = record.config as TrainingConfig;
    const script = scriptFor(record.family, record.trainingType);
    const fail = (code: Diagnosis['code'], zh: string, en: string) =>
      this.#setState(record, 'failed', {
        endedAt: new Date().toISOString(),
        diagnosis: { code, title: { zh, en }, explanation: { zh, en }, evidence: '', fixes: [] },
      });
    if (!engine) {
      await fail('engine_missing', '没有训练引擎', 'No training engine');
      return;
    }
    const check = await checkEngine({
      python: engine.python,
      sdScriptsDir: engine.sdScriptsDir,
      script,
      resourcesDir: this.options.resourcesDir,
    });
    if (!check.ok) {
      await fail('engine_missing', check.message.zh, check.message.en);
      return;
    }
    const mixed = resolveValues(config).get('mixed_precision');
    const launch = buildEngineLaunch({
      python: engine.python,
      sdScriptsDir: engine.sdScriptsDir,
      script,
      configToml: files.configToml,
      datasetToml: existsSync(files.datasetToml) ? files.datasetToml : null,
      metricsFile: files.metrics,
      resourcesDir: this.options.resourcesDir,
      gpus: record.gpus,
      mixedPrecision: typeof mixed === 'string' ? mixed : 'no',
      profileEnv: engine.env,
    });
    const sup = supervisorFiles(dir);
    await Promise.all([rm(sup.exit, { force: true }), rm(sup.info, { force: true })]);
    record.launch = {
      script,
      python: engine.python,
      sdScriptsDir: engine.sdScriptsDir,
      args: launch.args,
      gpus: record.gpus,
    };
    await this.#setState(record, 'starting', { startedAt: new Date().toISOString() });
    this.#starting.add(record.id);
    try {
      // Windows: the tree is held in a Job Object by resources/python/danlu_job.py (when it ships).
      const jobScript = jobScriptPath(this.options.resourcesDir);
      const held = existsSync(jobScript) ? inJobObject(launch, jobScript) : launch;
      const spawned = await startEngine({
        runDir: dir,
        ...held,
        ...(this.options.nodePath ? { nodePath: this.options.nodePath } : {}),
        ...(this.options.wrapperPath ? { wrapperPath: this.options.wrapperPath } : {}),
      });
      record.process = {
        pid: spawned.pid,
        startToken: spawned.startToken,
        platform: spawned.platform,
        enginePid: null,
      };
      await this.store.save(record);
    } catch (error) {
      await fail(
        'engine_missing',
        `无法启动训练进程：${String(error)}`,
        `Could not start the training process: ${String(error)}`,
      );
      return;
    } finally {
      this.#starting.delete(record.id);
    }
    this.#active.set(record.id, {
      watcher: this.#newWatcher(record),
      timer: null,
      stopping: null,
      lastPersist: Date.now(),
      lastDiagnosis: Date.now(),
      finishing: false,
    });
    if (record.stopRequested) {
      const active = this.#active.get(record.id);
      if (active)
        active.stopping = this.#stopProcess(record).catch((e: unknown) => this.options.onInternalError?.(e));
    }
    this.#schedule(record.id);
  }
}
