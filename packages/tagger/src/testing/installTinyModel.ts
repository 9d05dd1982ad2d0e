import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { buildTinyWdModel, tinyTagsCsv, type TinyModelOptions } from './onnxModel.js';

/**
 * Puts a tiny WD model where the model manager looks for local models:
 * `<dataDir>/models/taggers/<folder>/model.onnx` + `selected_tags.csv`. Returns the folder.
 */
export async function installTinyModel(
  dataDir: string,
  folder = 'local/tiny-wd',
  options: TinyModelOptions = {},
): Promise<string> {
  const dir = join(dataDir, 'models', 'taggers', ...folder.split('/'));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.onnx'), buildTinyWdModel(options));
  await writeFile(join(dir, 'selected_tags.csv'), tinyTagsCsv(options.tags));
  return dir;
}
