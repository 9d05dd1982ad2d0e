import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { parsePreset, type Notice, type ParseFailure, type Preset } from '@danlu/params';

import { decodeText } from './decodeText.js';

export interface LoadedPreset {
  file: string;
  preset: Preset;
  notices: Notice[];
  unknownKeys: string[];
}

export interface BrokenPreset {
  file: string;
  error: ParseFailure;
}

/**
 * Reads every `*.toml` preset in a folder. A broken file is reported beside the good ones, never fatal:
 * one bad preset must not hide the others.
 */
export async function loadPresetFolder(
  dir: string,
): Promise<{ presets: LoadedPreset[]; broken: BrokenPreset[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.toml')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { presets: [], broken: [] };
    throw error;
  }
  const presets: LoadedPreset[] = [];
  const broken: BrokenPreset[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const parsed = parsePreset(decodeText(await readFile(file)).text);
    if (parsed.ok)
      presets.push({ file, preset: parsed.preset, notices: parsed.notices, unknownKeys: parsed.unknownKeys });
    else broken.push({ file, error: parsed.error });
  }
  return { presets, broken };
}
