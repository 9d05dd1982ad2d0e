import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  nvidiaSmiCandidates,
  parseComputeCaps,
  parseCudaVersion,
  parseGpuCsv,
  queryGpus,
} from './nvidiaSmi.js';

const twoGpus = [
  '0, GPU-5f1c2a, NVIDIA GeForce RTX 4090, 24564, 1375, 566.36',
  '1, GPU-77ab90, NVIDIA GeForce RTX 3060, 12288, [N/A], 566.36',
  '',
].join('\r\n');

describe('parseGpuCsv', () => {
  it('reads every GPU and tolerates [N/A] cells and CRLF', () => {
    expect(parseGpuCsv(twoGpus)).toEqual([
      {
        index: 0,
        uuid: 'GPU-5f1c2a',
        name: 'NVIDIA GeForce RTX 4090',
        memoryTotalMiB: 24564,
        memoryUsedMiB: 1375,
        driverVersion: '566.36',
      },
      {
        index: 1,
        uuid: 'GPU-77ab90',
        name: 'NVIDIA GeForce RTX 3060',
        memoryTotalMiB: 12288,
        driverVersion: '566.36',
      },
    ]);
  });

  it('skips rows it cannot read', () => {
    expect(
      parseGpuCsv('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.\n'),
    ).toEqual([]);
  });
});

describe('parseComputeCaps', () => {
  it('reads capability per index and skips what an old driver answers instead', () => {
    expect([...parseComputeCaps('0, 12.0\r\n1, 7.5\n')]).toEqual([
      [0, '12.0'],
      [1, '7.5'],
    ]);
    expect(parseComputeCaps('Field "compute_cap" is not a valid field to query.\n').size).toBe(0);
  });
});

describe('parseCudaVersion', () => {
  it('reads both banner spellings', () => {
    expect(parseCudaVersion('| NVIDIA-SMI 566.36  Driver Version: 566.36  CUDA Version: 12.7 |')).toBe(
      '12.7',
    );
    expect(parseCudaVersion('CUDA UMD Version : 13.0')).toBe('13.0');
    expect(parseCudaVersion('no driver')).toBeUndefined();
  });
});

describe('queryGpus', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    temp = await makeTempDir();
  });
  afterEach(() => temp.cleanup());

  it('reports no GPUs, without an error, where nvidia-smi does not exist', async () => {
    const report = await queryGpus({ executable: join(temp.dir, 'nvidia-smi') });
    expect(report).toMatchObject({ gpus: [], source: 'none' });
    expect(report.error).toBeUndefined();
  });

  it.runIf(process.platform !== 'win32')('runs nvidia-smi with the query and reads its answer', async () => {
    const fake = join(temp.dir, 'nvidia-smi');
    const csv = twoGpus.replaceAll('\r\n', '\\n');
    await writeFile(
      fake,
      `#!/bin/sh\nif [ "$1" = "--query-gpu=index,uuid,name,memory.total,memory.used,driver_version" ]; then printf '${csv}'; elif [ "$1" = "--query-gpu=index,compute_cap" ]; then printf '0, 8.9\\n1, 8.6\\n'; else echo "CUDA Version: 12.8"; fi\n`,
    );
    await chmod(fake, 0o755);
    const report = await queryGpus({ executable: fake });
    expect(report.source).toBe('nvidia-smi');
    expect(report.gpus.map((gpu) => gpu.name)).toEqual([
      'NVIDIA GeForce RTX 4090',
      'NVIDIA GeForce RTX 3060',
    ]);
    expect(report).toMatchObject({ cudaVersion: '12.8', driverVersion: '566.36' });
    expect(report.gpus.map((gpu) => gpu.computeCapability)).toEqual(['8.9', '8.6']);
  });

  it.runIf(process.platform !== 'win32')('reports a driver that fails instead of hiding it', async () => {
    const fake = join(temp.dir, 'nvidia-smi');
    await writeFile(
      fake,
      '#!/bin/sh\necho "Failed to initialize NVML: Driver/library version mismatch" >&2\nexit 18\n',
    );
    await chmod(fake, 0o755);
    const report = await queryGpus({ executable: fake });
    expect(report).toMatchObject({ gpus: [], source: 'none' });
    expect(report.error).toBe('Failed to initialize NVML: Driver/library version mismatch');
  });

  it('looks for nvidia-smi where Windows drivers put it', () => {
    expect(nvidiaSmiCandidates({}, 'linux')).toEqual(['nvidia-smi']);
    // On this (non-Windows) machine none of the Windows paths exist, so none is offered.
    expect(nvidiaSmiCandidates({ SystemRoot: 'C:\\Windows' }, 'win32')).toEqual([]);
  });
});
