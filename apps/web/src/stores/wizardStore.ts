import type { DatasetCheckOutput, DatasetScanOutput, ModelInspectionResult } from '@danlu/contracts';
import type { ModelFamily, ParamValue, TrainingKind } from '@danlu/params';
import { create } from 'zustand';

import { api } from '../bridge/api.js';
import type { ApiClient, UiError } from '../bridge/types.js';
import type { WizardChoices } from '../pages/wizard/wizardConfig.js';

export const wizardSteps = ['what', 'dataset', 'captions', 'parameters', 'review'] as const;
export type WizardStep = (typeof wizardSteps)[number];

export type Loadable<T> =
  | { status: 'idle' }
  | { status: 'loading'; key: string }
  | { status: 'done'; key: string; data: T }
  | { status: 'failed'; key: string; error: UiError };

export interface DatasetView {
  scan: DatasetScanOutput;
  check: DatasetCheckOutput | null;
}

export type Knob = 'epochs' | 'repeats' | 'resolution' | 'dim' | 'batch';

export interface WizardState extends WizardChoices {
  step: number;
  model: Loadable<ModelInspectionResult>;
  dataset: Loadable<DatasetView>;
  /** data: URLs of a few thumbnails, by image path. */
  thumbnails: Readonly<Record<string, string>>;
  setStep: (step: number) => void;
  setSubject: (subject: TrainingKind) => void;
  setLook: (look: WizardChoices['look']) => void;
  setModelPath: (path: string) => void;
  setFamily: (family: ModelFamily) => void;
  setDatasetDir: (dir: string) => void;
  setTriggerWord: (word: string) => void;
  setKnob: (knob: Knob, value: number | null) => void;
  applyFix: (patch: Record<string, ParamValue | null>) => void;
  /** models.inspect; a trainable family found in the file becomes the wizard's family. */
  inspectModel: () => Promise<void>;
  /** dataset.scan + dataset.check, then a few thumbnails. */
  scanDataset: () => Promise<void>;
  reset: () => void;
}

const initialChoices: WizardChoices = {
  subject: 'character',
  look: 'anime',
  modelPath: '',
  family: 'sd1',
  datasetDir: '',
  imageCount: null,
  subsets: [],
  triggerWord: '',
  epochs: null,
  repeats: null,
  resolution: null,
  dim: null,
  batch: null,
  patch: {},
};

const THUMBNAILS = 6;

/** Knob changes start over on fixes for the same options: the user's newer choice wins. */
function withoutPatch(patch: WizardChoices['patch'], ids: string[]): WizardChoices['patch'] {
  const next = { ...patch };
  for (const id of ids) Reflect.deleteProperty(next, id);
  return next;
}

const knobIds: Record<Knob, string[]> = {
  epochs: ['max_train_epochs', 'max_train_steps'],
  repeats: [],
  resolution: ['resolution'],
  dim: ['network_dim', 'network_alpha'],
  batch: ['train_batch_size'],
};

export function createWizardStore(client: ApiClient) {
  return create<WizardState>()((set, get) => ({
    ...initialChoices,
    step: 0,
    model: { status: 'idle' },
    dataset: { status: 'idle' },
    thumbnails: {},

    setStep(step) {
      set({ step: Math.max(0, Math.min(wizardSteps.length - 1, step)) });
    },
    setSubject(subject) {
      set({ subject });
    },
    setLook(look) {
      set({ look });
    },
    setModelPath(modelPath) {
      set({ modelPath, model: { status: 'idle' } });
    },
    setFamily(family) {
      set({ family });
    },
    setDatasetDir(datasetDir) {
      set({ datasetDir, dataset: { status: 'idle' }, imageCount: null, subsets: [], thumbnails: {} });
    },
    setTriggerWord(triggerWord) {
      set({ triggerWord });
    },
    setKnob(knob, value) {
      set({ [knob]: value, patch: withoutPatch(get().patch, knobIds[knob]) } as Partial<WizardState>);
    },
    applyFix(patch) {
      set({ patch: { ...get().patch, ...patch } });
    },

    async inspectModel() {
      const path = get().modelPath.trim();
      if (path === '') return;
      set({ model: { status: 'loading', key: path } });
      // No family: the wizard follows the file, it does not argue with it.
      const answer = await client.call('models.inspect', { path });
      if (get().modelPath.trim() !== path) return;
      if (!answer.ok) {
        set({ model: { status: 'failed', key: path, error: answer.error } });
        return;
      }
      const found = answer.data.family;
      const trainable = found === 'sd1' || found === 'sd2' || found === 'sdxl';
      set({
        model: { status: 'done', key: path, data: answer.data },
        ...(trainable && answer.data.usable ? { family: found } : {}),
      });
    },

    async scanDataset() {
      const dir = get().datasetDir.trim();
      if (dir === '') return;
      set({ dataset: { status: 'loading', key: dir }, thumbnails: {} });
      const scan = await client.call('dataset.scan', { dir, limit: THUMBNAILS, filter: { problem: false } });
      if (get().datasetDir.trim() !== dir) return;
      if (!scan.ok) {
        set({ dataset: { status: 'failed', key: dir, error: scan.error } });
        return;
      }
      const trainSubsets = scan.data.subsets.filter((s) => !s.isReg);
      set({
        dataset: { status: 'done', key: dir, data: { scan: scan.data, check: null } },
        imageCount:
          trainSubsets.length > 0
            ? trainSubsets.reduce((a, s) => a + s.imageCount, 0)
            : scan.data.summary.usable,
        // kohya `N_name` folders only; a plain folder of images is one subset the wizard builds itself.
        subsets: scan.data.subsets.some((s) => s.fromFolderName) ? scan.data.subsets : [],
      });
      const { triggerWord } = get();
      const check = await client.call('dataset.check', {
        dir,
        kind: get().subject,
        ...(triggerWord.trim() ? { triggerWord: triggerWord.trim() } : {}),
      });
      if (get().datasetDir.trim() !== dir) return;
      if (check.ok)
        set({ dataset: { status: 'done', key: dir, data: { scan: scan.data, check: check.data } } });
      for (const image of scan.data.images.slice(0, THUMBNAILS)) {
        const thumb = await client.call('dataset.thumbnail', { path: image.path, size: 160 });
        if (get().datasetDir.trim() !== dir) return;
        if (thumb.ok) set({ thumbnails: { ...get().thumbnails, [image.path]: thumb.data.dataUrl } });
      }
    },

    reset() {
      set({
        ...initialChoices,
        step: 0,
        model: { status: 'idle' },
        dataset: { status: 'idle' },
        thumbnails: {},
      });
    },
  }));
}

export const useWizardStore = createWizardStore(api);
