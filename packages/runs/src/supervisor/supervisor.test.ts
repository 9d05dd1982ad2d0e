import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { isSameProcess, parseProcStat, processStartToken, windowsStartTimeCommand } from './procinfo.js';
import { inJobObject, jobScriptPath } from './spawn.js';
import { stopRunProcess, taskkillCommand } from './stop.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

describe('process identity', () => {
  it('reads the start time after the last parenthesis of /proc/<pid>/stat', () => {
    const stat = '1234 (python (x) 3) S 1 1234 1234 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 3 0 987654 1000 10';
    expect(parseProcStat(stat)).toEqual({ state: 'S', pgid: 1234, startTicks: '987654' });
  });

  it('knows this very process and no pid that does not exist', async () => {
    const token = await processStartToken(process.pid);
    expect(token).toMatch(/^(linux|ps|win):/);
    expect(await isSameProcess(process.pid, token)).toBe(true);
    expect(await isSameProcess(process.pid, 'linux:1')).toBe(false);
    expect(await processStartToken(2 ** 30)).toBeNull();
  });

  it('asks Windows for the creation time through PowerShell CIM, as an argument array', () => {
    const { file, args } = windowsStartTimeCommand(4242, { SystemRoot: 'D:\\Win' });
    expect(file).toBe(
      'D:\\Win/System32/WindowsPowerShell/v1.0/powershell.exe'.replace(
        /\//g,
        process.platform === 'win32' ? '\\' : '/',
      ),
    );
    expect(args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(args[3]).toContain('ProcessId=4242');
    expect(args[3]).not.toContain('wmic');
  });
});

describe('the Windows job object', () => {
  it('wraps the engine command in danlu_job.py on Windows only', () => {
    const launch = {
      command: 'C:\\venv\\Scripts\\python.exe',
      args: ['-m', 'accelerate.commands.launch', 'x.py'],
      cwd: 'C:\\sd',
    };
    expect(inJobObject(launch, 'C:\\res\\python\\danlu_job.py', 'win32')).toEqual({
      command: 'C:\\venv\\Scripts\\python.exe',
      args: [
        '-X',
        'utf8',
        'C:\\res\\python\\danlu_job.py',
        '--',
        'C:\\venv\\Scripts\\python.exe',
        '-m',
        'accelerate.commands.launch',
        'x.py',
      ],
      cwd: 'C:\\sd',
    });
    expect(inJobObject(launch, 'job.py', 'linux')).toBe(launch);
  });

  it('the job holder passes the exit code of the engine through', () => {
    const script = jobScriptPath(join(repo, 'resources'));
    const result = spawnSync('python3', [script, '--', 'python3', '-c', 'import sys; sys.exit(7)']);
    expect(result.status).toBe(7);
  });
});

describe('stopping', () => {
  it('builds taskkill /PID <pid> /T first without, then with /F', () => {
    const polite = taskkillCommand(99, false, { SystemRoot: 'C:\\Windows' });
    const force = taskkillCommand(99, true, { SystemRoot: 'C:\\Windows' });
    expect(polite.file.endsWith('taskkill.exe')).toBe(true);
    expect(polite.args).toEqual(['/PID', '99', '/T']);
    expect(force.args).toEqual(['/PID', '99', '/T', '/F']);
  });

  it('sends nothing to a pid whose start token is not the recorded one', async () => {
    const child = spawn('sleep', ['20'], { stdio: 'ignore', detached: true });
    try {
      const outcome = await stopRunProcess({
        pid: child.pid ?? 0,
        startToken: 'linux:1',
        graceMs: 200,
        hasExited: () => Promise.resolve(false),
      });
      expect(outcome).toBe('not_ours');
      expect(await processStartToken(child.pid ?? 0)).not.toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('kills a group that ignores the polite signals once the grace period is over', async () => {
    const child = spawn(
      'python3',
      [
        '-c',
        'import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); signal.signal(signal.SIGTERM, signal.SIG_IGN); print("ready", flush=True); time.sleep(30)',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'], detached: true },
    );
    const pid = child.pid ?? 0;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
    });
    let gone = false;
    void exited.then(() => {
      gone = true;
    });
    await new Promise((r) => child.stdout.once('data', r));
    const token = await processStartToken(pid);
    const outcome = await stopRunProcess({
      pid,
      startToken: token,
      graceMs: 400,
      hasExited: () => Promise.resolve(gone),
    });
    expect(outcome).toBe('killed');
    await exited;
  });
});
