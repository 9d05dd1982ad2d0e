import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

import { DanluError, type TrainingMethodName } from '@danlu/contracts';
import { writeFileAtomic } from '@danlu/node-utils';
import {
  PRESET_FORMAT_VERSION,
  TrainingConfigSchema,
  exportKohya,
  importConfig,
  stringifyPreset,
  type TrainingConfig,
} from '@danlu/params';

import { inspectModelPath, ModelReadError } from '../models/inspectModel.js';
import { listModels } from '../models/listModels.js';
import { decodeText } from '../params/decodeText.js';
import { deleteUserPreset, listPresets, renameUserPreset, saveUserPreset } from '../params/userPresets.js';
import type { DomainContext, DomainModule } from './context.js';

/** A TrainingConfig from the wire (contracts carry it as unknown), or a clear bad_request. */
function configFrom(raw: unknown): TrainingConfig {
  const parsed = TrainingConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new DanluError(
      'bad_request',
      `训练配置无效（${where}）：${issue?.message ?? ''} / The training configuration is invalid (${where}): ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Handlers of the training domain (see @danlu/contracts training.ts). */
export function createTrainingDomain(context: DomainContext): DomainModule<TrainingMethodName> {
  const dataDir = context.paths.data;
  const list = () => listPresets(context.resourcesDir, dataDir);
  return {
    handlers: {
      'presets.list': () => list(),

      'presets.save': (input) =>
        saveUserPreset(dataDir, {
          ...(input.id !== undefined ? { id: input.id } : {}),
          name: input.name,
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.kind !== undefined ? { kind: input.kind } : {}),
          ...(input.defaultRepeats !== undefined ? { defaultRepeats: input.defaultRepeats } : {}),
          config: configFrom(input.config),
        }),

      'presets.rename': (input) => renameUserPreset(dataDir, input.id, input.name),

      'presets.delete': async (input) => {
        await deleteUserPreset(dataDir, input.id);
        return list();
      },

      'presets.import': async (input) => {
        let bytes: Buffer;
        try {
          const s = await stat(input.path);
          if (!s.isFile()) throw new Error('not a file');
          if (s.size > MAX_IMPORT_BYTES)
            throw new DanluError(
              'bad_request',
              `文件太大（${String(s.size)} 字节），不像配置文件 / The file is too big (${String(s.size)} bytes) to be a configuration`,
            );
          bytes = await readFile(input.path);
        } catch (error) {
          if (error instanceof DanluError) throw error;
          throw new DanluError(
            'not_found',
            `无法读取文件：${input.path} / Cannot read the file: ${input.path}`,
          );
        }
        const result = importConfig(decodeText(bytes).text, input.family ? { family: input.family } : {});
        if (!result.ok) {
          const where = result.error.line !== undefined ? `:${String(result.error.line)}` : '';
          const key = result.error.key ? ` [${result.error.key}]` : '';
          throw new DanluError(
            'bad_request',
            `${basename(input.path)}${where}${key}：${result.error.message.zh} / ${result.error.message.en}`,
          );
        }
        const stem = basename(input.path, extname(input.path));
        return {
          format: result.format,
          config: result.config,
          name: { zh: stem, en: stem },
          unknownKeys: result.unknownKeys,
          notices: result.notices.map((n) => ({ key: n.key, text: n.text })),
        };
      },

      'presets.export': async (input) => {
        const config = configFrom(input.config);
        const files: string[] = [];
        const targets: Array<[string, string]> = [];
        let script: string | null = null;
        if (input.format === 'danlu') {
          const name = input.name ?? basename(input.path, extname(input.path));
          const text = stringifyPreset({
            meta: {
              id: 'exported',
              version: PRESET_FORMAT_VERSION,
              name: { zh: name, en: name },
              description: { zh: '从丹炉导出', en: 'Exported from Danlu' },
              family: config.family,
              training_type: config.trainingType,
              kind: config.kind ?? 'character',
            },
            config: { ...config, subsets: [] },
          });
          targets.push([input.path, `# Danlu preset\n${text}`]);
        } else {
          const datasetPath = join(
            dirname(input.path),
            `${basename(input.path, extname(input.path))}.dataset.toml`,
          );
          const exported = exportKohya(config, { datasetConfigPath: datasetPath });
          script = exported.script;
          targets.push([input.path, exported.configToml]);
          if (exported.datasetToml !== null) targets.push([datasetPath, exported.datasetToml]);
        }
        if (!input.overwrite)
          for (const [path] of targets)
            if (await exists(path))
              throw new DanluError('bad_request', `文件已存在：${path} / The file already exists: ${path}`);
        if (!(await exists(dirname(input.path))))
          throw new DanluError(
            'not_found',
            `文件夹不存在：${dirname(input.path)} / The folder does not exist: ${dirname(input.path)}`,
          );
        for (const [path, text] of targets) {
          await writeFileAtomic(path, text);
          files.push(path);
        }
        return { files, script };
      },

      'models.inspect': async (input) => {
        try {
          return await inspectModelPath(input.path, input.family);
        } catch (error) {
          if (error instanceof ModelReadError)
            throw new DanluError('bad_request', `${error.text.zh} / ${error.text.en}`);
          throw error;
        }
      },

      'models.list': (input) => {
        const settings = context.settings.get();
        return listModels([settings.folders.models, ...(settings.modelFolders ?? [])], {
          ...(input.inspect !== undefined ? { inspect: input.inspect } : {}),
        });
      },
    },
  };
}
