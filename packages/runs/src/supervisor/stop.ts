import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { isSameProcess, linuxGroupMembers, pidExists } from './procinfo.js';

/** `taskkill /PID <pid> /T [/F]` as an argument array (never through cmd.exe; windows-notes §3). */
export function taskkillCommand(
  pid: number,
  force: boolean,
  env: NodeJS.ProcessEnv = process.env,
): { file: string; args: string[] } {
  const root = env['SystemRoot'] ?? 'C:\\Windows';
  return {
    file: join(root, 'System32', 'taskkill.exe'),
    args: ['/PID', String(pid), '/T', ...(force ? ['/F'] : [])],
  };
}

function runTaskkill(pid: number, force: boolean): Promise<number> {
  const { file, args } = taskkillCommand(pid, force);
  return new Promise((resolve) => {
    // Exit codes only: the text is localized in the OEM code page. 0 = done, 128 = not found.
    execFile(file, args, { windowsHide: true, timeout: 15_000 }, (error) => {
      resolve(error ? Number((error as NodeJS.ErrnoException & { code?: unknown }).code ?? 1) : 0);
    });
  });
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface StopInput {
  pid: number;
  startToken: string | null;
  /** How long the engine gets to end by itself after the polite request (default 15 s). */
  graceMs?: number;
  /** True once the engine has ended (exit.json written or the wrapper gone). */
  hasExited: () => Promise<boolean>;
  platform?: NodeJS.Platform;
  pollMs?: number;
}

export type StopOutcome =
  /** Ended within the grace period. */
  | 'exited'
  /** Had to be killed (SIGKILL to the group / taskkill /F). */
  | 'killed'
  /** The recorded pid is not our process any more: nothing was signalled. */
  | 'not_ours'
  | 'already_gone';

/**
 * Polite stop, bounded wait, then the whole tree:
 * - POSIX: SIGINT to the run's process group (Python raises KeyboardInterrupt), SIGTERM half-way through
 *   the grace period, SIGKILL to the group at its end, then a sweep of any group member left (DataLoader
 *   workers whose parent already died).
 * - Windows: no signals reach a windowless Python (windows-notes §3): `taskkill /T` without /F first
 *   (WM_CLOSE; harmless if ignored), then `taskkill /T /F` from the wrapper, the root, while it is alive.
 * Before anything is sent the pid's start token is compared with the recorded one.
 */
export async function stopRunProcess(input: StopInput): Promise<StopOutcome> {
  const platform = input.platform ?? process.platform;
  const grace = input.graceMs ?? 15_000;
  const poll = input.pollMs ?? 100;
  if (await input.hasExited()) {
    if (platform !== 'win32') await sweepGroup(input.pid, input.startToken, platform);
    return 'already_gone';
  }
  if (!(await isSameProcess(input.pid, input.startToken, platform))) {
    return pidExists(input.pid) ? 'not_ours' : 'already_gone';
  }
  const deadline = Date.now() + grace;
  const waitUntil = async (until: number) => {
    while (Date.now() < until) {
      if (await input.hasExited()) return true;
      await sleep(poll);
    }
    return input.hasExited();
  };
  if (platform === 'win32') {
    await runTaskkill(input.pid, false);
    if (await waitUntil(deadline)) return 'exited';
    await runTaskkill(input.pid, true);
    await waitUntil(Date.now() + 5000);
    return 'killed';
  }
  signalGroup(input.pid, 'SIGINT');
  if (await waitUntil(Date.now() + grace / 2)) {
    await sweepGroup(input.pid, null, platform);
    return 'exited';
  }
  signalGroup(input.pid, 'SIGTERM');
  if (await waitUntil(deadline)) {
    await sweepGroup(input.pid, null, platform);
    return 'exited';
  }
  signalGroup(input.pid, 'SIGKILL');
  await waitUntil(Date.now() + 5000);
  await sweepGroup(input.pid, null, platform);
  return 'killed';
}

/**
 * After the wrapper ended, children that outlived the engine may still sit in its process group; they are
 * ours by construction (setsid made the group), so the group is killed while any member is left. Linux
 * lists members from /proc first, so an empty group is never signalled (a reused pgid stays untouched).
 */
async function sweepGroup(pgid: number, token: string | null, platform: NodeJS.Platform): Promise<void> {
  if (platform === 'linux') {
    if ((await linuxGroupMembers(pgid)).length === 0) return;
    signalGroup(pgid, 'SIGKILL');
    return;
  }
  // Elsewhere only while the leader is still provably ours.
  if (token !== null && (await isSameProcess(pgid, token, platform))) signalGroup(pgid, 'SIGKILL');
}
