import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A process's identity beyond its pid, so that a recorded pid which the OS has since given to another
 * program is never signalled (pid reuse; Windows reuses pids within minutes):
 * - Linux: field 22 of /proc/<pid>/stat, the start time in clock ticks since boot (`linux:<ticks>`);
 * - macOS: `ps -o lstart= -p <pid>` (`ps:<text>`);
 * - Windows: Win32_Process.CreationDate through PowerShell's CIM cmdlets (`win:<ISO time>`; never wmic,
 *   which new Windows 11 installs lack — windows-notes §2).
 * null = the process does not exist (or cannot be inspected).
 */
export async function processStartToken(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<string | null> {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (platform === 'linux') return linuxStartToken(pid);
  if (platform === 'win32') return windowsStartToken(pid);
  return psStartToken(pid);
}

/** Parses /proc/<pid>/stat: the command name may hold spaces and parentheses, so split after the last `)`. */
export function parseProcStat(stat: string): { state: string; pgid: number; startTicks: string } | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  // Fields after the name start at field 3 (state); starttime is field 22, pgrp field 5.
  const fields = stat
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const state = fields[0];
  const pgid = fields[2];
  const start = fields[19];
  if (state === undefined || pgid === undefined || start === undefined) return null;
  return { state, pgid: Number(pgid), startTicks: start };
}

async function linuxStartToken(pid: number): Promise<string | null> {
  try {
    const parsed = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
    // A zombie has exited: it is not "running" any more, whatever its pid says.
    if (!parsed || parsed.state === 'Z') return null;
    return `linux:${parsed.startTicks}`;
  } catch {
    return null;
  }
}

function run(file: string, args: string[], timeout: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, args, { windowsHide: true, timeout, encoding: 'utf8' }, (error, stdout) => {
      resolve(error ? null : stdout);
    });
  });
}

async function psStartToken(pid: number): Promise<string | null> {
  const out = await run('ps', ['-o', 'lstart=', '-p', String(pid)], 5000);
  const text = out?.trim();
  return text ? `ps:${text}` : null;
}

/** The PowerShell command line that prints a process's creation time as UTC ISO text (argument array). */
export function windowsStartTimeCommand(
  pid: number,
  env: NodeJS.ProcessEnv = process.env,
): { file: string; args: string[] } {
  const root = env['SystemRoot'] ?? 'C:\\Windows';
  return {
    file: join(root, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe'),
    args: [
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      `[Console]::OutputEncoding=[Text.Encoding]::UTF8; $p = Get-CimInstance Win32_Process -Filter "ProcessId=${pid}"; if ($p) { $p.CreationDate.ToUniversalTime().ToString('o') }`,
    ],
  };
}

async function windowsStartToken(pid: number): Promise<string | null> {
  const { file, args } = windowsStartTimeCommand(pid);
  const out = await run(file, args, 15_000);
  const text = out?.trim();
  return text ? `win:${text}` : null;
}

/** Whether a pid exists at all (`kill(pid, 0)`); EPERM means it exists but belongs to someone else. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True only when `pid` is alive and still the process we started (same start token). The cheap pid check
 * comes first; the identity check costs a /proc read (a PowerShell start on Windows).
 */
export async function isSameProcess(
  pid: number,
  token: string | null,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  if (!pidExists(pid)) return false;
  if (token === null) return false;
  return (await processStartToken(pid, platform)) === token;
}

/** Linux: pids whose process group is `pgid` (for the no-orphans check and the final sweep). */
export async function linuxGroupMembers(pgid: number): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const members: number[] = [];
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const parsed = parseProcStat(await readFile(`/proc/${name}/stat`, 'utf8'));
      if (parsed && parsed.pgid === pgid && parsed.state !== 'Z') members.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}
