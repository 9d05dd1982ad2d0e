import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Writes empty (or given) files under `root`; enough for detection, which never runs anything. */
export async function makeFiles(root: string, files: (string | [string, string])[]): Promise<void> {
  for (const entry of files) {
    const [relative, content] = typeof entry === 'string' ? [entry, ''] : entry;
    const path = join(root, relative);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

/** The files that make a folder an sd-scripts copy, under `prefix`. */
export function sdScriptsFiles(
  prefix: string,
  scripts = ['train_network.py', 'sdxl_train_network.py'],
): string[] {
  const at = (name: string) => (prefix ? `${prefix}/${name}` : name);
  return [...scripts.map(at), at('library/train_util.py'), at('requirements.txt')];
}

/** A POSIX shell script posing as python, for the failure cases of the probe. */
export async function fakePython(path: string, body: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}
