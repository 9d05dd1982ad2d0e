import { stringify } from 'smol-toml';
import { appliesTo, catalogue, type ParamEntry } from './catalogue';
import { parseResolution, resolveValues, type Subset, type TrainingConfig } from './config';
import { scriptFor, type ParamValue, type Section, type Text } from './types';

/** What TOML will hold: BigInt marks an integer, a plain number is always written as a float. */
type TomlOut = string | number | bigint | boolean | TomlOut[] | { [k: string]: TomlOut };
type TomlTableOut = Record<string, TomlOut>;

export interface ExportNotice {
  id: string;
  text: Text;
}

export interface KohyaExport {
  /** `train_network.py`, `sdxl_train_network.py`, `train_db.py` or `sdxl_train.py`. */
  script: string;
  /** The `--config_file` TOML. */
  configToml: string;
  /** The `--dataset_config` TOML; null in folder mode (no subsets: train_data_dir is used). */
  datasetToml: string | null;
  /** Every key written to the config file (flattened) — for the "real kohya key" check. */
  configKeys: string[];
  datasetKeys: string[];
  networkArgKeys: string[];
  optimizerArgKeys: string[];
  notices: ExportNotice[];
}

export interface ExportOptions {
  /** Path the caller writes the dataset TOML to; stored as `dataset_config` in the config file. */
  datasetConfigPath?: string;
}

/** The network module implied by the training type (a LyCORIS run always uses lycoris.kohya). */
export function networkModuleFor(
  config: TrainingConfig,
  values: Map<string, ParamValue>,
): string | undefined {
  if (config.trainingType === 'dreambooth') return undefined;
  if (config.trainingType === 'lycoris') return 'lycoris.kohya';
  const chosen = values.get('network_module');
  return typeof chosen === 'string' && chosen !== 'lycoris.kohya' ? chosen : 'networks.lora';
}

function isEmpty(v: ParamValue): boolean {
  return v === '' || (Array.isArray(v) && v.length === 0);
}

/** Percent entered in Danlu → kohya's ratio float (a TOML float is always a ratio there). */
function percentToRatio(v: number): number {
  return Math.min(Math.max(v, 0), 99.9) / 100;
}

function configValue(entry: ParamEntry, v: ParamValue): TomlOut | undefined {
  if (isEmpty(v)) return undefined;
  switch (entry.type) {
    case 'bool':
      return v === true ? true : undefined;
    case 'int':
      return typeof v === 'number' ? BigInt(Math.round(v)) : undefined;
    case 'float':
      if (typeof v !== 'number') return undefined;
      if (entry.unit === '%') return v > 0 ? percentToRatio(v) : undefined;
      return v;
    case 'resolution': {
      const [w, h] = parseResolution(v);
      return `${w},${h}`;
    }
    case 'string_list':
      return Array.isArray(v) ? v.map(String) : [String(v)];
    case 'float_list':
      return Array.isArray(v) ? v.map(Number) : [Number(v)];
    default:
      return String(v);
  }
}

function datasetValue(entry: ParamEntry, v: ParamValue): TomlOut | undefined {
  if (entry.type === 'resolution') {
    const [w, h] = parseResolution(v);
    return [BigInt(w), BigInt(h)];
  }
  if (entry.type === 'pair' && typeof v === 'string') return v.split(',').map((s) => Number(s.trim()));
  return configValue(entry, v);
}

function argValue(entry: ParamEntry, v: ParamValue, forOptimizer: boolean): string | undefined {
  if (isEmpty(v)) return undefined;
  if (typeof v === 'boolean') {
    // LyCORIS reads any text except "false" as true, so a false flag is simply left out there.
    if (!forOptimizer) return v ? 'True' : undefined;
    return v ? 'True' : 'False';
  }
  if (typeof v === 'number') return Number.isInteger(v) && entry.type === 'float' ? `${v}.0` : String(v);
  return Array.isArray(v) ? v.join(',') : v;
}

const sectionTable: Record<Section, string> = {
  model: 'model',
  dataset: 'dataset',
  captions: 'dataset',
  network: 'network',
  optimizer: 'optimizer',
  training: 'training',
  sampling: 'sampling',
  saving: 'saving',
  noise: 'noise',
  advanced: 'advanced',
};

function subsetTable(subset: Subset, config: TrainingConfig): TomlTableOut {
  const t: TomlTableOut = { image_dir: subset.imageDir, num_repeats: BigInt(subset.numRepeats) };
  if (subset.isReg) t.is_reg = true;
  if (subset.classTokens) t.class_tokens = subset.classTokens;
  if (subset.captionExtension) t.caption_extension = subset.captionExtension;
  if (subset.keepTokens !== undefined) t.keep_tokens = BigInt(subset.keepTokens);
  for (const [id, v] of Object.entries(subset.overrides ?? {})) {
    const entry = catalogue.find((e) => e.id === id);
    if (entry?.place !== 'dataset' || entry.datasetLevel !== 'general') continue;
    if (!appliesTo(entry, config.family, config.trainingType)) continue;
    const key = entry.datasetKey ?? entry.key;
    // Subset values must be able to switch a general "true" off, so false is written here.
    const out = entry.type === 'bool' ? v === true : datasetValue(entry, v);
    if (out !== undefined) t[key] = out;
  }
  return t;
}

/**
 * Write a configuration as kohya's two files. Only keys that the chosen script knows are written, with
 * the exact TOML types kohya expects (§3.1, §3.2 of the reference): the config-file resolution is a
 * string, ints are ints, floats are floats, list options are arrays of strings.
 */
export function exportKohya(config: TrainingConfig, options: ExportOptions = {}): KohyaExport {
  const values = resolveValues(config);
  const notices: ExportNotice[] = [];
  const tables: Record<string, TomlTableOut> = {};
  const put = (table: string, key: string, v: TomlOut) => {
    (tables[table] ??= {})[key] = v;
  };
  const general: TomlTableOut = {};
  const dataset: TomlTableOut = {};
  const networkArgs: string[] = [];
  const optimizerArgs: string[] = [];
  const folderMode = config.subsets.length === 0;
  const module = networkModuleFor(config, values);
  const optimizer = String(values.get('optimizer_type') ?? 'AdamW').toLowerCase();

  for (const entry of catalogue) {
    const v = values.get(entry.id);
    if (v === undefined) continue;
    if (entry.id === 'network_module' || entry.id === 'v2') continue; // derived below
    switch (entry.place) {
      case 'config': {
        if (!folderMode && (entry.id === 'train_data_dir' || entry.id === 'reg_data_dir')) {
          notices.push({
            id: entry.id,
            text: {
              zh: `已定义数据集子集，${entry.key} 不再写入（kohya 会忽略它）`,
              en: `Subsets are defined, so ${entry.key} is left out (kohya would ignore it)`,
            },
          });
          break;
        }
        const out = configValue(entry, v);
        if (out !== undefined) put(sectionTable[entry.section], entry.key, out);
        break;
      }
      case 'dataset': {
        if (folderMode) {
          if (!entry.hasCliOption) {
            notices.push({
              id: entry.id,
              text: {
                zh: `${entry.key} 只能写在数据集配置里，文件夹模式下已忽略`,
                en: `${entry.key} exists only in the dataset config and was left out in folder mode`,
              },
            });
            break;
          }
          const out = configValue(entry, v);
          if (out !== undefined) put('dataset', entry.key, out);
          break;
        }
        const out = datasetValue(entry, v);
        if (out === undefined) break;
        (entry.datasetLevel === 'dataset' ? dataset : general)[entry.datasetKey ?? entry.key] = out;
        break;
      }
      case 'network_args': {
        if (module === undefined || !entry.modules?.some((m) => m === module)) break;
        const out = argValue(entry, v, false);
        if (out !== undefined) networkArgs.push(`${entry.key}=${out}`);
        break;
      }
      case 'optimizer_args': {
        if (entry.optimizers && !entry.optimizers.some((o) => o.toLowerCase() === optimizer)) {
          notices.push({
            id: entry.id,
            text: {
              zh: `优化器参数 ${entry.key} 不适用于 ${String(values.get('optimizer_type'))}，未写入`,
              en: `Optimizer argument ${entry.key} does not apply to ${String(values.get('optimizer_type'))} and was left out`,
            },
          });
          break;
        }
        const out = argValue(entry, v, true);
        if (out !== undefined) optimizerArgs.push(`${entry.key}=${out}`);
        break;
      }
    }
  }

  if (config.family === 'sd2') put('model', 'v2', true);
  if (module !== undefined) put('network', 'network_module', module);
  if (networkArgs.length > 0) put('network', 'network_args', networkArgs);
  if (optimizerArgs.length > 0) put('optimizer', 'optimizer_args', optimizerArgs);

  let datasetToml: string | null = null;
  const datasetKeys: string[] = [];
  if (!folderMode) {
    put('dataset', 'dataset_config', options.datasetConfigPath ?? 'dataset.toml');
    // kohya requires a resolution somewhere; the dataset TOML has it, the config file repeats it as a string.
    const res = values.get('resolution');
    if (res !== undefined) put('dataset', 'resolution', parseResolution(res).join(','));
    const subsets = config.subsets.map((s) => subsetTable(s, config));
    const doc: TomlTableOut = {};
    if (Object.keys(general).length > 0) doc.general = general;
    doc.datasets = [{ ...dataset, subsets }];
    datasetToml = stringify(doc, { numbersAsFloat: true });
    datasetKeys.push(
      ...Object.keys(general),
      ...Object.keys(dataset),
      ...subsets.flatMap((s) => Object.keys(s)),
    );
  }

  const ordered: Record<string, TomlTableOut> = {};
  for (const name of [
    'model',
    'dataset',
    'network',
    'optimizer',
    'training',
    'noise',
    'sampling',
    'saving',
    'advanced',
  ]) {
    const t = tables[name];
    if (t) ordered[name] = t;
  }
  return {
    script: scriptFor(config.family, config.trainingType),
    configToml: stringify(ordered, { numbersAsFloat: true }),
    datasetToml,
    configKeys: Object.values(ordered).flatMap((t) => Object.keys(t)),
    datasetKeys: [...new Set(datasetKeys)],
    networkArgKeys: networkArgs.map((s) => s.slice(0, s.indexOf('='))),
    optimizerArgKeys: optimizerArgs.map((s) => s.slice(0, s.indexOf('='))),
    notices,
  };
}
