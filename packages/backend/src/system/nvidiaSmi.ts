import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import type { Gpu, GpuReport } from '@danlu/contracts';

const queryFields = ['index', 'uuid', 'name', 'memory.total', 'memory.used', 'driver_version'] as const;

/**
 * Where nvidia-smi lives. On Windows it is not reliably on PATH: DCH drivers put it in System32, older ones
 * under NVSMI, and some only in the DriverStore.
 */
export function nvidiaSmiCandidates(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string[] {
  if (platform !== 'win32') return ['nvidia-smi'];
  const systemRoot = env['SystemRoot'] ?? 'C:\\Windows';
  const programFiles = env['ProgramFiles'] ?? 'C:\\Program Files';
  const candidates = [
    join(systemRoot, 'System32', 'nvidia-smi.exe'),
    join(programFiles, 'NVIDIA Corporation', 'NVSMI', 'nvidia-smi.exe'),
  ];
  const driverStore = join(systemRoot, 'System32', 'DriverStore', 'FileRepository');
  try {
    for (const entry of readdirSync(driverStore)) {
      if (entry.startsWith('nv_dispi.inf_amd64_'))
        candidates.push(join(driverStore, entry, 'nvidia-smi.exe'));
    }
  } catch {
    // No DriverStore access: the first two places are enough for nearly every driver.
  }
  return candidates.filter((candidate) => existsSync(candidate));
}

function numberOrUndefined(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.trim());
  return Number.isFinite(value) ? value : undefined;
}

/** Parses `--format=csv,noheader,nounits` output of the query above. Bad rows are skipped, not fatal. */
export function parseGpuCsv(csv: string): Gpu[] {
  const gpus: Gpu[] = [];
  for (const line of csv.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length < queryFields.length) continue;
    const [index, uuid, name, total, used, driver] = cells;
    const indexNumber = numberOrUndefined(index);
    const totalNumber = numberOrUndefined(total);
    if (indexNumber === undefined || totalNumber === undefined || !name) continue;
    const usedNumber = numberOrUndefined(used);
    gpus.push({
      index: indexNumber,
      name,
      ...(uuid ? { uuid } : {}),
      memoryTotalMiB: totalNumber,
      ...(usedNumber === undefined ? {} : { memoryUsedMiB: usedNumber }),
      ...(driver ? { driverVersion: driver } : {}),
    });
  }
  return gpus;
}

/** `index, compute_cap` rows → capability by GPU index ("8.9"); rows without a number are skipped. */
export function parseComputeCaps(csv: string): Map<number, string> {
  const caps = new Map<number, string>();
  for (const line of csv.split(/\r?\n/)) {
    const [index, cap] = line.split(',').map((cell) => cell.trim());
    const indexNumber = numberOrUndefined(index);
    if (indexNumber !== undefined && cap && /^\d+\.\d+$/.test(cap)) caps.set(indexNumber, cap);
  }
  return caps;
}

/** `CUDA Version: 12.8` (or `CUDA UMD Version` on newer drivers) from the plain nvidia-smi banner. */
export function parseCudaVersion(banner: string): string | undefined {
  return /CUDA(?: UMD)? Version\s*:\s*([\d.]+)/i.exec(banner)?.[1];
}

const execFileAsync = promisify(execFile);

async function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  const { stdout } = await execFileAsync(file, args, {
    timeout: timeoutMs,
    windowsHide: true,
    encoding: 'utf8',
  });
  return stdout;
}

/**
 * Asks the NVIDIA driver what it sees. A machine without the driver is not an error: it reports no GPUs,
 * and the UI explains what that means for training.
 */
export async function queryGpus(
  options: { executable?: string; timeoutMs?: number } = {},
): Promise<GpuReport> {
  const checkedAt = new Date().toISOString();
  const timeoutMs = options.timeoutMs ?? 8000;
  const executables = options.executable ? [options.executable] : nvidiaSmiCandidates();
  let lastError: string | undefined;
  for (const executable of executables) {
    try {
      const csv = await run(
        executable,
        [`--query-gpu=${queryFields.join(',')}`, '--format=csv,noheader,nounits'],
        timeoutMs,
      );
      // compute_cap is a separate query: drivers before 510 reject the field, which would fail the main one.
      const caps = parseComputeCaps(
        await run(executable, ['--query-gpu=index,compute_cap', '--format=csv,noheader'], timeoutMs).catch(
          () => '',
        ),
      );
      const gpus = parseGpuCsv(csv).map((gpu) => {
        const cap = caps.get(gpu.index);
        return cap ? { ...gpu, computeCapability: cap } : gpu;
      });
      const banner = await run(executable, [], timeoutMs).catch(() => '');
      const cudaVersion = parseCudaVersion(banner);
      const driverVersion = gpus[0]?.driverVersion;
      return {
        gpus,
        source: 'nvidia-smi',
        ...(driverVersion ? { driverVersion } : {}),
        ...(cudaVersion ? { cudaVersion } : {}),
        checkedAt,
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOENT: not installed here, the normal case on machines without an NVIDIA driver.
      if (code === 'ENOENT') continue;
      // nvidia-smi explains itself on stderr ("couldn't communicate with the NVIDIA driver …"); that line
      // says more to the user than Node's "Command failed".
      const stderr = (error as { stderr?: unknown }).stderr;
      const explanation = typeof stderr === 'string' ? stderr.trim().split(/\r?\n/)[0] : undefined;
      lastError = explanation || (error instanceof Error ? error.message.split('\n')[0] : String(error));
    }
  }
  return { gpus: [], source: 'none', ...(lastError ? { error: lastError } : {}), checkedAt };
}
