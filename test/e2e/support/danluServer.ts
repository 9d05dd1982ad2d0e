import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface StartedServer {
  url: string;
  openUrl: string;
  port: number;
  process: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

/**
 * Starts the real `danlu serve` (the same bin users run) on a free port with its own data folder, and
 * waits for the JSON line that says where it listens.
 */
export async function startDanluServe(
  dataDir: string,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<StartedServer> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'apps/cli/bin/danlu.mjs'), 'serve', '--port', '0', '--json', ...extraArgs],
    {
      cwd: repoRoot,
      env: { ...process.env, DANLU_DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<{ url: string; openUrl: string; port: number }>((resolve, reject) => {
    lines.on('line', (line) => {
      output.push(line);
      if (line.startsWith('{')) resolve(JSON.parse(line) as { url: string; openUrl: string; port: number });
    });
    child.once('exit', (code) => {
      reject(new Error(`danlu serve exited with ${String(code)}:\n${output.join('\n')}`));
    });
  });
  const started = await ready;
  return {
    ...started,
    process: child,
    output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
