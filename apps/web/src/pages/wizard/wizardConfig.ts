import type { SubsetRow } from '@danlu/contracts';
import {
  applyPatch,
  defaultConfig,
  suggestRepeatsAndEpochs,
  type ModelFamily,
  type ParamValue,
  type Preset,
  type Subset,
  type TrainingConfig,
  type TrainingKind,
} from '@danlu/params';

/** What the beginner chose, step by step; null knobs follow the preset and the calculator. */
export interface WizardChoices {
  subject: TrainingKind;
  look: 'anime' | 'realistic';
  modelPath: string;
  family: ModelFamily;
  datasetDir: string;
  /** From dataset.scan: usable images and kohya `N_name` subfolders. */
  imageCount: number | null;
  subsets: readonly SubsetRow[];
  triggerWord: string;
  epochs: number | null;
  repeats: number | null;
  resolution: number | null;
  dim: number | null;
  batch: number | null;
  /** Fixes the user accepted on the review step (rule patches), applied last. */
  patch: Readonly<Record<string, ParamValue | null>>;
}

/** The kind the calculator and the step ranges use: a realistic "character" is a person. */
export function effectiveKind(c: Pick<WizardChoices, 'subject' | 'look'>): TrainingKind {
  return c.look === 'realistic' && c.subject === 'character' ? 'person' : c.subject;
}

/**
 * The bundled preset for the choices: SDXL character/style (8 GB variant on small cards), SD1.5 anime
 * character, realistic person or style (SD2 starts from the SD1.5 one). Low VRAM picks the 8 GB variants.
 */
export function pickPresetId(
  c: Pick<WizardChoices, 'subject' | 'look' | 'family'>,
  vramGb: number | undefined,
): string {
  const kind = effectiveKind(c);
  const small = vramGb !== undefined && vramGb <= 8;
  if (c.family === 'sdxl') {
    if (kind === 'style') return 'sdxl-style';
    return small ? 'sdxl-character-8gb' : 'sdxl-character';
  }
  if (kind === 'style') return 'sd15-style';
  if (kind === 'person') return 'sd15-realistic-person';
  return vramGb !== undefined && vramGb <= 6 ? 'sd15-character-8gb' : 'sd15-anime-character';
}

/** A kohya-safe output file name from the trigger word ("my 角色" → "my_角色"), "lora" when empty. */
export function outputName(trigger: string): string {
  const cleaned = trigger
    .trim()
    .replace(/[\\/:*?"<>|\s]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return cleaned === '' ? 'lora' : cleaned.slice(0, 60);
}

const num = (v: ParamValue | null | undefined) => (typeof v === 'number' ? v : undefined);

/** The defaults the four or five knobs show when the beginner has not touched them. */
export function knobDefaults(c: WizardChoices, preset: Preset | undefined) {
  const values = preset?.config.values ?? {};
  const batch = c.batch ?? num(values.train_batch_size) ?? 1;
  const kind = effectiveKind(c);
  // kohya `N_name` folders bring their own repeats; the calculator then only suggests the epochs.
  const folderRepeats = c.subsets.find((s) => s.fromFolderName && !s.isReg && s.numRepeats > 0)?.numRepeats;
  const suggestion =
    c.imageCount !== null && c.imageCount > 0 && folderRepeats === undefined
      ? suggestRepeatsAndEpochs({ imageCount: c.imageCount, kind, batchSize: batch })
      : undefined;
  const resText = typeof values.resolution === 'string' ? values.resolution : undefined;
  const presetRes = resText ? Number(resText.split(',')[0]) : undefined;
  return {
    epochs: c.epochs ?? suggestion?.epochs ?? num(values.max_train_epochs) ?? 10,
    repeats: c.repeats ?? folderRepeats ?? suggestion?.repeats ?? preset?.meta.default_repeats ?? 10,
    resolution: c.resolution ?? (c.family === 'sdxl' ? 1024 : c.family === 'sd2' ? 768 : (presetRes ?? 512)),
    dim: c.dim ?? num(values.network_dim) ?? 32,
    batch,
    suggestion,
  };
}

/** Subsets: the dataset's own `N_name` folders keep their repeats unless the user set one; else one folder. */
function subsetsFor(c: WizardChoices, repeats: number): Subset[] {
  if (c.datasetDir.trim() === '') return [];
  const trigger = c.triggerWord.trim();
  const named = c.subsets.filter((s) => s.imageCount > 0);
  if (named.length > 0)
    return named.map((s) => ({
      imageDir: s.dir,
      numRepeats: s.isReg
        ? Math.max(1, s.numRepeats)
        : c.repeats !== null || s.numRepeats < 1
          ? repeats
          : s.numRepeats,
      imageCount: s.imageCount,
      ...(s.isReg ? { isReg: true } : {}),
      ...(s.classTokens
        ? { classTokens: s.classTokens }
        : trigger && !s.isReg
          ? { classTokens: trigger }
          : {}),
    }));
  return [
    {
      imageDir: c.datasetDir.trim(),
      numRepeats: repeats,
      ...(c.imageCount !== null ? { imageCount: c.imageCount } : {}),
      ...(trigger ? { classTokens: trigger } : {}),
    },
  ];
}

/** The TrainingConfig the wizard starts: the preset, the knobs, the paths, then the accepted fixes. */
export function buildWizardConfig(
  c: WizardChoices,
  preset: Preset | undefined,
  outputsDir: string | undefined,
): TrainingConfig {
  const k = knobDefaults(c, preset);
  const base: TrainingConfig = preset
    ? { ...structuredClone(preset.config), family: c.family }
    : defaultConfig(c.family, 'lora');
  const values: Record<string, ParamValue | null> = {
    max_train_epochs: k.epochs,
    resolution: `${String(k.resolution)},${String(k.resolution)}`,
    network_dim: k.dim,
    // The seeds' rule: alpha = dim / 2.
    network_alpha: k.dim / 2,
    train_batch_size: k.batch,
    output_name: outputName(c.triggerWord),
  };
  if (c.modelPath.trim() !== '') values.pretrained_model_name_or_path = c.modelPath.trim();
  if (outputsDir) values.output_dir = outputsDir;
  // clip_skip means nothing to SD2/SDXL (a rule would warn about it).
  if (c.family !== 'sd1') values.clip_skip = null;
  const withKnobs = applyPatch(
    { ...base, kind: effectiveKind(c), subsets: subsetsFor(c, k.repeats) },
    values,
  );
  return applyPatch(withKnobs, c.patch);
}

/** Words that make a neutral preview of each kind, after the trigger word. */
const previewWords: Record<TrainingKind, Record<WizardChoices['look'], string>> = {
  character: {
    anime: 'solo, upper body, looking at viewer, simple background',
    realistic: 'photo, solo, upper body, looking at viewer, natural light',
  },
  person: {
    anime: 'solo, portrait, looking at viewer, simple background',
    realistic: 'photo, portrait of a person, looking at viewer, natural light',
  },
  style: { anime: 'a girl in a city street, scenery', realistic: 'a city street at dusk, scenery' },
  concept: { anime: 'solo, full body, simple background', realistic: 'photo, full body, natural light' },
};

/**
 * The wizard always asks for one preview image per epoch, so a beginner can pick the best epoch by eye:
 * the trigger word plus neutral words for the kind, in kohya's prompt-file syntax (--n negative, --w/--h
 * size, --d seed, --s steps, --l CFG). The prompts travel with runs.create (the run folder gets its own
 * prompts.txt), so sampling is switched on only here, at start.
 */
export function withPreviewSamples(
  config: TrainingConfig,
  c: Pick<WizardChoices, 'triggerWord' | 'subject' | 'look'>,
  resolution: number,
): { config: TrainingConfig; samplePrompts: string[] } {
  const trigger = c.triggerWord.trim();
  const words = previewWords[effectiveKind(c)][c.look];
  const prompt = `${trigger ? `${trigger}, ` : ''}${words} --n lowres, worst quality, bad anatomy --w ${String(resolution)} --h ${String(resolution)} --d 1234 --s 24 --l 7`;
  return {
    config: applyPatch(config, { sample_every_n_epochs: 1, sample_every_n_steps: null }),
    samplePrompts: [prompt],
  };
}
