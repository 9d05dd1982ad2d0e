import type { GpuReport } from '@danlu/contracts';
import { describe, expect, it } from 'vitest';

import type { ProbeOutcome, ProbeReport, ProbeTorch } from '../probe/schema.js';
import type { EngineProfile } from '../profile.js';
import { overallStatus } from './cards.js';
import { runDoctor, type DoctorInput } from './checks.js';
import { capabilityFromName, compareVersions, driverRequirement } from './versions.js';

const engine: EngineProfile = {
  id: 'eng-1',
  kind: 'kohya_ss',
  root: 'D:\\kohya_ss',
  sdScriptsDir: 'D:\\kohya_ss\\sd-scripts',
  otherSdScriptsDirs: [],
  pythonExe: 'D:\\kohya_ss\\venv\\Scripts\\python.exe',
  pythonLayout: 'venv-windows',
  scripts: ['train_network.py', 'sdxl_train_network.py'],
  label: { zh: 'kohya_ss · kohya_ss', en: 'kohya_ss · kohya_ss' },
  env: {},
};

function gpus(name: string, driver: string): GpuReport {
  return {
    gpus: [{ index: 0, name, memoryTotalMiB: 12288, driverVersion: driver }],
    source: 'nvidia-smi',
    driverVersion: driver,
    cudaVersion: '12.8',
    checkedAt: '2026-01-01T00:00:00Z',
  };
}
const noGpus: GpuReport = { gpus: [], source: 'none', checkedAt: '2026-01-01T00:00:00Z' };

function probe(
  torch: Partial<ProbeTorch>,
  packages: Record<string, string> = {},
  sdTags: string[] = ['v0.10.1'],
): ProbeOutcome {
  const report: ProbeReport = {
    danluProbe: 1,
    python: {
      version: '3.10.11',
      executable: 'x',
      prefix: 'p',
      basePrefix: 'b',
      implementation: 'CPython',
      bits: 64,
      utf8Mode: true,
    },
    platform: { system: 'Windows', release: '10', machine: 'AMD64', sysPlatform: 'win32' },
    packages: ['torch', 'bitsandbytes', 'lycoris-lora', 'prodigyopt', 'xformers'].map((name) => ({
      name,
      version: packages[name] ?? null,
      importable: name in packages,
    })),
    torch: {
      importable: true,
      version: '2.7.0+cu128',
      cudaBuild: '12.8',
      cudaAvailable: true,
      gpus: [],
      ...torch,
    },
    sdScripts: { dir: engine.sdScriptsDir, exists: true, commit: 'c'.repeat(40), tags: sdTags },
  };
  return {
    status: 'ok',
    pythonExe: engine.pythonExe,
    message: { zh: '好', en: 'ok' },
    report,
    durationMs: 5,
    probedAt: 'now',
  };
}

function card(input: Partial<DoctorInput>, id: string) {
  return runDoctor({ platform: 'win32', engine, probe: null, gpus: null, ...input }).find(
    (entry) => entry.id === id,
  );
}

const gpu4090 = {
  index: 0,
  name: 'NVIDIA GeForce RTX 4090',
  totalMemoryBytes: 24e9,
  capability: [8, 9] as [number, number],
};

describe('runDoctor', () => {
  it('no GPU and no engine: two errors with the right advice', () => {
    const cards = runDoctor({ platform: 'linux', engine: null, probe: null, gpus: noGpus });
    expect(cards.map((entry) => [entry.id, entry.status])).toEqual([
      ['engine.found', 'error'],
      ['gpu.nvidia', 'error'],
    ]);
    expect(cards[0]?.fix?.id).toBe('engine.attach');
    expect(cards[1]?.detail.en).toContain('NVIDIA GPU');
    expect(overallStatus(cards)).toBe('error');
  });

  it('a healthy RTX 4090 engine is all green', () => {
    const cards = runDoctor({
      platform: 'win32',
      engine,
      probe: probe(
        { version: '2.7.0+cu126', cudaBuild: '12.6', gpus: [gpu4090], cudnnVersion: 90100 },
        { torch: '2.7.0+cu126', bitsandbytes: '0.46.0' },
      ),
      gpus: gpus('NVIDIA GeForce RTX 4090', '576.02'),
      request: { mixedPrecision: 'bf16', optimizer: 'AdamW8bit' },
      disks: [{ label: { zh: '输出', en: 'Outputs' }, path: 'D:\\Danlu', freeBytes: 200 * 1024 ** 3 }],
      paths: [{ label: { zh: '数据', en: 'Data' }, path: 'D:\\Danlu' }],
      longPathsEnabled: true,
    });
    expect(cards.filter((entry) => entry.status !== 'ok')).toEqual([]);
    expect(cards.map((entry) => entry.id)).toEqual(
      expect.arrayContaining([
        'torch.installed',
        'torch.sees_gpu',
        'gpu.driver',
        'package.bitsandbytes',
        'sdscripts.version',
        'windows.long_paths',
      ]),
    );
  });

  it('explains a CPU-only torch', () => {
    const found = card(
      {
        probe: probe({ version: '2.7.0+cpu', cudaBuild: null, cudaAvailable: false }, { torch: '2.7.0+cpu' }),
      },
      'torch.cuda_build',
    );
    expect(found).toMatchObject({ status: 'error', title: { en: 'This torch is CPU-only' } });
    expect(found?.detail.en).toContain('PyPI');
  });

  it('tells torch that cannot import from torch that is not installed', () => {
    const broken = card(
      {
        probe: probe(
          { importable: false, error: 'OSError: [WinError 126] fbgemm.dll' },
          { torch: '2.7.0+cu128' },
        ),
      },
      'torch.installed',
    );
    expect(broken?.title.en).toBe('torch is installed but does not import');
    expect(broken?.detail.en).toContain('WinError 126');
  });

  it('says torch does not see the GPU although nvidia-smi does', () => {
    const found = card(
      {
        probe: probe({ cudaAvailable: false }, { torch: '2.7.0+cu128' }),
        gpus: gpus('NVIDIA GeForce RTX 3060', '572.16'),
      },
      'torch.sees_gpu',
    );
    expect(found?.status).toBe('error');
    expect(found?.detail.en).toContain('CUDA_VISIBLE_DEVICES');
  });

  it('refuses bf16 on a pre-Ampere card, from the probe or from the name alone', () => {
    const turing = {
      index: 0,
      name: 'NVIDIA GeForce RTX 2080 Ti',
      totalMemoryBytes: 11e9,
      capability: [7, 5] as [number, number],
    };
    expect(
      card(
        { probe: probe({ gpus: [turing] }, { torch: 'x' }), request: { mixedPrecision: 'bf16' } },
        'precision.bf16',
      )?.status,
    ).toBe('error');
    expect(
      card(
        { gpus: gpus('NVIDIA GeForce GTX 1080', '560.94'), request: { mixedPrecision: 'bf16' } },
        'precision.bf16',
      )?.fix?.id,
    ).toBe('params.use_fp16');
    expect(
      card({ probe: probe({ gpus: [gpu4090] }), request: { mixedPrecision: 'bf16' } }, 'precision.bf16'),
    ).toBeUndefined();
    expect(
      card({ probe: probe({ gpus: [turing] }), request: { mixedPrecision: 'fp16' } }, 'precision.bf16'),
    ).toBeUndefined();
  });

  it('grades the driver against torch’s CUDA build per platform', () => {
    const cu128 = probe({ cudaBuild: '12.8' });
    expect(card({ probe: cu128, gpus: gpus('RTX 4090', '516.94') }, 'gpu.driver')?.status).toBe('error');
    expect(card({ probe: cu128, gpus: gpus('RTX 4090', '560.94') }, 'gpu.driver')?.status).toBe('warning');
    expect(card({ probe: cu128, gpus: gpus('RTX 4090', '572.16') }, 'gpu.driver')?.status).toBe('ok');
    expect(
      card({ platform: 'linux', probe: cu128, gpus: gpus('RTX 4090', '570.26') }, 'gpu.driver')?.status,
    ).toBe('ok');
  });

  it('needs a cu128 torch for RTX 50 (sm_120)', () => {
    const blackwell = {
      index: 0,
      name: 'NVIDIA GeForce RTX 5090',
      totalMemoryBytes: 32e9,
      capability: [12, 0] as [number, number],
    };
    const old = card(
      {
        probe: probe({
          version: '2.5.1+cu124',
          cudaBuild: '12.4',
          gpus: [blackwell],
          archList: ['sm_80', 'sm_90'],
        }),
      },
      'gpu.blackwell',
    );
    expect(old).toMatchObject({ status: 'error', fix: { id: 'engine.install_torch_cu128' } });
    expect(
      card(
        { probe: probe({ cudaBuild: '12.8', gpus: [blackwell], archList: ['sm_90', 'sm_120'] }) },
        'gpu.blackwell',
      )?.status,
    ).toBe('ok');
    // torch not seeing it yet: nvidia-smi's name is enough to warn.
    expect(
      card(
        {
          probe: probe({ cudaBuild: '12.6', cudaAvailable: false }),
          gpus: gpus('NVIDIA GeForce RTX 5070 Ti', '576.02'),
        },
        'gpu.blackwell',
      )?.status,
    ).toBe('error');
  });

  it('lists packages the chosen optimizer and network need', () => {
    const input = {
      probe: probe({}, { torch: 'x' }),
      request: { optimizer: 'PagedAdamW8bit', networkModule: 'lycoris.kohya', xformers: true },
    };
    expect(card(input, 'package.bitsandbytes')).toMatchObject({
      status: 'error',
      fix: { id: 'engine.pip_install:bitsandbytes' },
    });
    expect(card(input, 'package.lycoris-lora')?.status).toBe('error');
    expect(card(input, 'package.xformers')?.status).toBe('error');
    expect(
      card(
        { probe: probe({}, { prodigyopt: '1.1.2' }), request: { optimizer: 'Prodigy' } },
        'package.prodigyopt',
      )?.status,
    ).toBe('ok');
    expect(
      card({ probe: probe({}), request: { optimizer: 'AdamW' } }, 'package.bitsandbytes'),
    ).toBeUndefined();
  });

  it('warns about low disk space and errors when nearly full', () => {
    const disk = (gb: number) => [
      { label: { zh: '输出', en: 'Outputs' }, path: 'D:\\', freeBytes: gb * 1024 ** 3 },
    ];
    expect(card({ disks: disk(3) }, 'disk.free:D:\\')?.status).toBe('error');
    expect(card({ disks: disk(12) }, 'disk.free:D:\\')?.status).toBe('warning');
    expect(card({ disks: disk(100) }, 'disk.free:D:\\')?.status).toBe('ok');
  });

  it('warns about non-ASCII and spaces in Windows paths only', () => {
    const paths = [{ label: { zh: '数据', en: 'Data' }, path: 'C:\\Users\\张三\\Danlu' }];
    expect(card({ paths }, 'paths.ascii')?.status).toBe('warning');
    expect(
      card({ paths: [{ label: { zh: '数据', en: 'Data' }, path: 'C:\\My Files' }] }, 'paths.ascii')?.status,
    ).toBe('warning');
    expect(card({ platform: 'linux', paths }, 'paths.ascii')).toBeUndefined();
  });

  it('reports Windows long-path support from the registry value', () => {
    expect(card({ longPathsEnabled: false }, 'windows.long_paths')).toMatchObject({
      status: 'warning',
      fix: { id: 'windows.enable_long_paths' },
    });
    expect(card({ longPathsEnabled: null }, 'windows.long_paths')?.status).toBe('warning');
    expect(card({ platform: 'linux', longPathsEnabled: false }, 'windows.long_paths')).toBeUndefined();
  });

  it('knows which sd-scripts versions were tested', () => {
    expect(card({ probe: probe({}, {}, ['v0.10.1']) }, 'sdscripts.version')?.status).toBe('ok');
    expect(card({ probe: probe({}, {}, ['v0.8.7']) }, 'sdscripts.version')?.status).toBe('warning');
  });

  it('reports a broken or missing Python as an engine error, not as missing torch', () => {
    const broken: ProbeOutcome = {
      status: 'python_broken',
      pythonExe: 'x',
      message: { zh: '坏', en: 'half-made venv' },
      durationMs: 1,
      probedAt: 'now',
    };
    const cards = runDoctor({ platform: 'win32', engine, probe: broken, gpus: null });
    expect(cards.find((entry) => entry.id === 'engine.python')).toMatchObject({
      status: 'error',
      detail: { en: 'half-made venv' },
    });
    expect(cards.find((entry) => entry.id === 'torch.installed')).toBeUndefined();
  });
});

describe('version helpers', () => {
  it('compares driver versions numerically', () => {
    expect(compareVersions('560.28.03', '560.76')).toBeLessThan(0);
    expect(compareVersions('576.02', '576.2')).toBe(0);
    expect(driverRequirement('12.8', 'win32')).toEqual({ exact: '570.65', floor: '527.41' });
    expect(driverRequirement('12.6', 'linux').exact).toBe('560.28.03');
  });

  it('guesses compute capability from GPU names', () => {
    expect(capabilityFromName('NVIDIA GeForce RTX 5060 Ti')).toEqual([12, 0]);
    expect(capabilityFromName('NVIDIA GeForce RTX 3090')).toEqual([8, 6]);
    expect(capabilityFromName('NVIDIA GeForce GTX 1660 SUPER')).toEqual([7, 5]);
    expect(capabilityFromName('Some iGPU')).toBeUndefined();
  });
});
