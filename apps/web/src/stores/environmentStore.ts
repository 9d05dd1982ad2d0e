import type {
  DoctorResult,
  EngineList,
  InstallPlanView,
  InstallStatus,
  MethodInput,
  MethodOutput,
} from '@danlu/contracts';
import { create } from 'zustand';

import { api } from '../bridge/api.js';
import type { ApiClient, UiError, UiResult } from '../bridge/types.js';

export type InstallChoice = MethodInput<'engine.installPlan'>;
export type AttachResult = MethodOutput<'engine.attach'>;
export type SearchResult = MethodOutput<'engine.search'>;
export type BundleResult = MethodOutput<'diagnostics.bundle'>;

export interface EnvironmentState {
  list: EngineList | undefined;
  listError: UiError | undefined;
  doctor: DoctorResult | undefined;
  doctorLoading: boolean;
  doctorError: UiError | undefined;
  /** Engine ids whose probe is running. */
  probing: string[];
  plan: InstallPlanView | undefined;
  planError: UiError | undefined;
  install: InstallStatus | undefined;
  load: () => Promise<void>;
  runDoctor: (refresh?: boolean) => Promise<void>;
  probe: (id: string) => Promise<void>;
  attach: (path: string, python?: string) => Promise<UiResult<AttachResult>>;
  search: (paths: string[]) => Promise<UiResult<SearchResult>>;
  detach: (id: string) => Promise<UiResult<EngineList>>;
  setActive: (id: string) => Promise<UiResult<EngineList>>;
  setEnv: (id: string, env: Record<string, string>) => Promise<UiResult<unknown>>;
  setGpus: (indices: number[]) => Promise<UiResult<EngineList>>;
  loadPlan: (choice: InstallChoice) => Promise<void>;
  startInstall: (choice: InstallChoice) => Promise<UiResult<InstallStatus>>;
  cancelInstall: () => Promise<void>;
  bundle: (maskUserPaths: boolean) => Promise<UiResult<BundleResult>>;
  receiveList: (list: EngineList) => void;
  receiveInstall: (status: InstallStatus) => void;
}

export function createEnvironmentStore(client: ApiClient) {
  return create<EnvironmentState>()((set, get) => {
    const afterList = (result: UiResult<EngineList>) => {
      if (result.ok) set({ list: result.data, listError: undefined });
      return result;
    };
    return {
      list: undefined,
      listError: undefined,
      doctor: undefined,
      doctorLoading: false,
      doctorError: undefined,
      probing: [],
      plan: undefined,
      planError: undefined,
      install: undefined,
      async load() {
        const [list, install] = await Promise.all([
          client.call('engine.list', {}),
          client.call('engine.installStatus', {}),
        ]);
        set(list.ok ? { list: list.data, listError: undefined } : { listError: list.error });
        if (install.ok) set({ install: install.data });
      },
      async runDoctor(refresh = false) {
        set({ doctorLoading: true });
        const result = await client.call('doctor.run', refresh ? { refresh: true } : {});
        set(
          result.ok
            ? { doctor: result.data, doctorError: undefined, doctorLoading: false }
            : { doctorError: result.error, doctorLoading: false },
        );
      },
      async probe(id) {
        set({ probing: [...get().probing, id] });
        await client.call('engine.probe', { id, refresh: true });
        set({ probing: get().probing.filter((entry) => entry !== id) });
        await get().load();
        await get().runDoctor();
      },
      async attach(path, python) {
        const result = await client.call('engine.attach', python ? { path, python } : { path });
        if (result.ok && result.data.ok) {
          await get().load();
          await get().runDoctor();
        }
        return result;
      },
      search: (paths) => client.call('engine.search', { paths }),
      async detach(id) {
        const result = afterList(await client.call('engine.detach', { id }));
        await get().runDoctor();
        return result;
      },
      async setActive(id) {
        const result = afterList(await client.call('engine.setActive', { id }));
        await get().runDoctor();
        return result;
      },
      async setEnv(id, env) {
        const result = await client.call('engine.setEnv', { id, env });
        if (result.ok) await get().load();
        return result;
      },
      async setGpus(indices) {
        return afterList(await client.call('environment.setPrefs', { gpuIndices: indices }));
      },
      async loadPlan(choice) {
        const result = await client.call('engine.installPlan', choice);
        set(result.ok ? { plan: result.data, planError: undefined } : { planError: result.error });
      },
      async startInstall(choice) {
        const result = await client.call('engine.install', { ...choice, confirm: true });
        if (result.ok) set({ install: result.data });
        return result;
      },
      async cancelInstall() {
        const result = await client.call('engine.installCancel', {});
        if (result.ok) set({ install: result.data });
      },
      bundle: (maskUserPaths) => client.call('diagnostics.bundle', { maskUserPaths }),
      receiveList(list) {
        set({ list });
      },
      receiveInstall(status) {
        set({ install: status });
      },
    };
  });
}

export const useEnvironmentStore = createEnvironmentStore(api);
