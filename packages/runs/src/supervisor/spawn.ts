import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

import { writeFileAtomic } from '@danlu/node-utils';

import { processStartToken } from './procinfo.js';

/** The wrapper script shipped beside this file (a plain .mjs so any Node — or Electron as Node — runs it). */
export const wrapperScript = fileURLToPath(new URL('./wrapper.mjs', import.meta.url));

export function supervisorFiles(runDir: string) {
  return {
    spec: join(runDir, 'launch.spec.json'),
    /** Written by the wrapper once the engine runs: { wrapperPid, enginePid, startedAt }. */
    info: join(runDir, 'process.json'),
    /** Written by the wrapper when the engine ended: { code, signal, endedAt }. */
    exit: join(runDir, 'exit.json'),
    log: join(runDir, 'engine.log'),
  };
}

export interface SpawnedRun {
  /** The wrapper's pid; on POSIX also the process group id of the whole run. */
  pid: number;
  /** processStartToken(pid): the identity check before any later signal. */
  startToken: string | null;
  platform: NodeJS.Platform;
}

export interface StartEngineInput {
  runDir: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** The Node binary that runs the wrapper; default process.execPath (Electron with ELECTRON_RUN_AS_NODE). */
  nodePath?: string;
  /** Default wrapperScript; an app bundle that moves this file passes its own copy. */
  wrapperPath?: string;
}

/**
 * Starts the wrapper (and through it the engine) so that it outlives this process:
 * - stdout and stderr are file descriptors of `engine.log` opened for appending — not pipes, so nothing
 *   breaks when the app is gone (a dead pipe would kill the engine at its next print);
 * - `detached`: a new session/process group on POSIX; on Windows outside the app's kill-on-close job
 *   (the wrapper is Node, not Python, so no console window pops up for it; its Python child gets a
 *   hidden console through windowsHide);
 * - unref'd, so the app's event loop does not wait for it.
 */
export async function startEngine(input: StartEngineInput): Promise<SpawnedRun> {
  const files = supervisorFiles(input.runDir);
  await writeFileAtomic(
    files.spec,
    JSON.stringify({
      command: input.command,
      args: input.args,
      env: input.env,
      cwd: input.cwd,
      exitFile: files.exit,
      infoFile: files.info,
    }),
  );
  const fd = openSync(files.log, 'a');
  let pid: number;
  try {
    pid = await new Promise<number>((resolve, reject) => {
      const child = spawn(
        input.nodePath ?? process.execPath,
        [input.wrapperPath ?? wrapperScript, files.spec],
        {
          detached: true,
          stdio: ['ignore', fd, fd],
          windowsHide: true,
          cwd: input.runDir,
          env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        },
      );
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        if (child.pid === undefined) reject(new Error('no pid'));
        else resolve(child.pid);
      });
    });
  } finally {
    closeSync(fd);
  }
  return { pid, startToken: await processStartToken(pid), platform: process.platform };
}

/** resources/python/danlu_job.py: holds the engine tree in a Windows Job Object (kill-on-close). */
export function jobScriptPath(resourcesDir: string): string {
  return join(resourcesDir, 'python', 'danlu_job.py');
}

/**
 * On Windows the engine runs under `python danlu_job.py -- <engine command>`: the job holder puts itself
 * and every descendant in a Job Object with KILL_ON_JOB_CLOSE, so whatever ends it (our taskkill /T /F,
 * Task Manager, a crash) ends the whole training tree — Windows never reparents, and `taskkill /T` alone
 * misses children whose parent already died (windows-notes §2–3). Elsewhere the command is unchanged:
 * the process group does that job.
 */
export function inJobObject<T extends { command: string; args: string[] }>(
  launch: T,
  jobScript: string,
  platform: NodeJS.Platform = process.platform,
): T {
  if (platform !== 'win32') return launch;
  return { ...launch, args: ['-X', 'utf8', jobScript, '--', launch.command, ...launch.args] };
}
