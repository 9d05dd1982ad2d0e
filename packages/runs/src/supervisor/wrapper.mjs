// Danlu's run wrapper: the one process between the app and the training engine.
//
//   app ──spawn(detached, stdout/stderr = engine.log)──▶ wrapper (this file, plain Node) ──▶ python …
//
// Why a wrapper at all: the app must be free to quit or crash while a run goes on, and the next app start
// must still learn how the engine ended. A process we did not spawn ourselves gives no exit code, so this
// wrapper waits for the engine and writes `exit.json` ({ code, signal, endedAt }) atomically beside the
// log. It is started detached: on POSIX that is setsid(), so the wrapper leads a new process group that
// holds the engine and all its children (accelerate's training process, DataLoader workers) — the app
// stops a run by signalling that group. On Windows `detached` keeps the wrapper out of the app's
// kill-on-close job; the engine is stopped with `taskkill /PID <wrapper> /T` (see stop.ts).
//
// The wrapper ignores SIGINT/SIGTERM/SIGHUP: a polite stop is meant for the engine, and the wrapper has to
// outlive it to record the exit. SIGKILL (the last resort) takes it along; the app then knows from the
// missing exit.json that the run was killed.
//
// Usage: node wrapper.mjs <spec.json>   spec = { command, args, env, cwd, exitFile, infoFile }
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

function writeJsonAtomic(file, value) {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value)}\n`);
  renameSync(temp, file);
}

const specFile = process.argv[2];
if (!specFile) {
  process.stderr.write('danlu wrapper: missing spec file\n');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specFile, 'utf8'));
// The spec holds the whole environment (tokens a user may have set): it is not left lying in the run folder.
try {
  unlinkSync(specFile);
} catch {
  // already gone
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  try {
    process.on(signal, () => {
      /* see above: the engine gets the signal through the process group */
    });
  } catch {
    // SIGHUP does not exist on Windows.
  }
}

let child;
try {
  child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    // stdout/stderr are this process's own: the engine.log file descriptors the app opened.
    stdio: ['ignore', 'inherit', 'inherit'],
    windowsHide: true,
  });
} catch (error) {
  process.stderr.write(`danlu wrapper: cannot start ${spec.command}: ${error.message}\n`);
  writeJsonAtomic(spec.exitFile, {
    code: 127,
    signal: null,
    endedAt: new Date().toISOString(),
    error: String(error.message),
  });
  process.exit(127);
}

child.on('error', (error) => {
  process.stderr.write(`danlu wrapper: cannot start ${spec.command}: ${error.message}\n`);
  writeJsonAtomic(spec.exitFile, {
    code: 127,
    signal: null,
    endedAt: new Date().toISOString(),
    error: String(error.message),
  });
  process.exit(127);
});

if (child.pid !== undefined) {
  writeJsonAtomic(spec.infoFile, {
    wrapperPid: process.pid,
    enginePid: child.pid,
    startedAt: new Date().toISOString(),
  });
}

child.on('exit', (code, signal) => {
  writeJsonAtomic(spec.exitFile, { code, signal, endedAt: new Date().toISOString() });
  process.exit(0);
});
