import type { GpuReport } from '@danlu/contracts';

import type { EngineProfile } from '../profile.js';
import { packageVersion, type ProbeOutcome, type ProbeReport } from '../probe/schema.js';
import { text, type Text } from '../text.js';
import type { DoctorCard } from './cards.js';
import { capabilityFromName, compareVersions, driverRequirement, majorMinor } from './versions.js';

/** What the user asked for in the run being prepared; every field optional (the 环境 page has none). */
export interface DoctorRequest {
  mixedPrecision?: 'no' | 'fp16' | 'bf16' | 'fp8' | undefined;
  optimizer?: string | undefined;
  networkModule?: string | undefined;
  xformers?: boolean | undefined;
}

export interface DoctorInput {
  platform: NodeJS.Platform;
  /** The attached engine, or null when none was found. */
  engine: EngineProfile | null;
  /** Why the folder the user pointed at is not an engine. */
  engineProblem?: Text | undefined;
  probe: ProbeOutcome | null;
  gpus: GpuReport | null;
  request?: DoctorRequest | undefined;
  /** Free space where outputs and cached latents go. */
  disks?: { label: Text; path: string; freeBytes: number }[] | undefined;
  /** Paths the engine will read or write: data root, dataset, outputs, the engine itself. */
  paths?: { label: Text; path: string }[] | undefined;
  /** HKLM\SYSTEM\CurrentControlSet\Control\FileSystem LongPathsEnabled; null when it could not be read. */
  longPathsEnabled?: boolean | null | undefined;
}

/** sd-scripts releases the config writer is tested with; Qiuye's pinned fork commit counts too. */
export const knownGoodSdScripts = {
  tags: ['v0.10.1', 'v0.10.0', 'v0.9.1'],
  commitPrefixes: ['8f4ee8f', 'ae72efb'],
} as const;

const GiB = 1024 ** 3;

const fixes = {
  attach: { id: 'engine.attach', label: text('连接已有引擎', 'Attach an existing engine') },
  install: { id: 'engine.install', label: text('安装新引擎', 'Install a new engine') },
  reprobe: { id: 'engine.probe', label: text('重新检测', 'Probe again') },
  installTorchCu128: {
    id: 'engine.install_torch_cu128',
    label: text('安装 CUDA 12.8 版 torch', 'Install the CUDA 12.8 torch'),
  },
  installTorchCuda: {
    id: 'engine.install_torch_cuda',
    label: text('安装 CUDA 版 torch', 'Install a CUDA torch'),
  },
  updateDriver: {
    id: 'gpu.update_driver',
    label: text('安装或更新显卡驱动', 'Install or update the GPU driver'),
  },
  useFp16: { id: 'params.use_fp16', label: text('改用 fp16', 'Switch to fp16') },
  longPaths: { id: 'windows.enable_long_paths', label: text('开启长路径支持', 'Enable long paths') },
  moveDataRoot: { id: 'settings.data_root', label: text('更换数据文件夹', 'Choose another data folder') },
} as const;

function pkgFix(name: string) {
  return { id: `engine.pip_install:${name}`, label: text(`安装 ${name}`, `Install ${name}`) };
}

function okReport(probe: ProbeOutcome | null): ProbeReport | undefined {
  return probe?.status === 'ok' ? probe.report : undefined;
}

function engineCards(input: DoctorInput): DoctorCard[] {
  const { engine, probe } = input;
  if (!engine) {
    return [
      {
        id: 'engine.found',
        status: 'error',
        title: text('未找到训练引擎', 'No training engine'),
        detail:
          input.engineProblem ??
          text(
            '丹炉本身不训练，需要 kohya sd-scripts 及其 Python 环境。已经装有秋叶 lora-scripts（SD-Trainer）或 kohya_ss 的话，选择它的文件夹即可直接使用（不会修改它）；否则让丹炉安装一个新的引擎。',
            "Danlu does not train by itself: it needs kohya sd-scripts and its Python environment. If you already have Qiuye's lora-scripts (SD-Trainer) or kohya_ss, choose its folder to use it as is (Danlu does not change it); otherwise let Danlu install a new engine.",
          ),
        fix: fixes.attach,
      },
    ];
  }
  const cards: DoctorCard[] = [
    {
      id: 'engine.found',
      status: 'ok',
      title: text('已找到训练引擎', 'Training engine found'),
      detail: text(
        `${engine.label.zh}：${engine.sdScriptsDir}（${engine.scripts.join('、')}）`,
        `${engine.label.en}: ${engine.sdScriptsDir} (${engine.scripts.join(', ')})`,
      ),
    },
  ];
  if (!probe) {
    cards.push({
      id: 'engine.python',
      status: 'warning',
      title: text('引擎尚未检测', 'Engine not probed yet'),
      detail: text(
        '还没有在该引擎的 Python 中运行过检测。',
        "The probe has not run in this engine's Python yet.",
      ),
      fix: fixes.reprobe,
    });
  } else if (probe.status !== 'ok') {
    const titles: Record<Exclude<ProbeOutcome['status'], 'ok'>, Text> = {
      python_missing: text('引擎缺少 Python', 'The engine has no Python'),
      python_broken: text('引擎的 Python 已损坏', "The engine's Python is broken"),
      timeout: text('检测超时', 'The probe timed out'),
      garbage: text('检测输出无法识别', 'The probe printed something unreadable'),
    };
    cards.push({
      id: 'engine.python',
      status: 'error',
      title: titles[probe.status],
      detail: probe.message,
      fix: probe.status === 'timeout' ? fixes.reprobe : fixes.install,
    });
  } else {
    cards.push({
      id: 'engine.python',
      status: 'ok',
      title: text('Python 正常', 'Python works'),
      detail: text(
        `Python ${probe.report?.python.version ?? '?'}：${probe.pythonExe ?? ''}`,
        `Python ${probe.report?.python.version ?? '?'}: ${probe.pythonExe ?? ''}`,
      ),
    });
  }
  return cards;
}

function gpuName(report: ProbeReport | undefined, gpus: GpuReport | null): string[] {
  const fromProbe = report?.torch.gpus?.map((gpu) => gpu.name) ?? [];
  return fromProbe.length ? fromProbe : (gpus?.gpus.map((gpu) => gpu.name) ?? []);
}

/** Each GPU's compute capability: the probe's when torch answered, else guessed from the name. */
function capabilities(
  report: ProbeReport | undefined,
  gpus: GpuReport | null,
): { name: string; cc: [number, number] | undefined }[] {
  const fromProbe = report?.torch.gpus ?? [];
  if (fromProbe.length) return fromProbe.map((gpu) => ({ name: gpu.name, cc: gpu.capability }));
  return (gpus?.gpus ?? []).map((gpu) => ({ name: gpu.name, cc: capabilityFromName(gpu.name) }));
}

function gpuCards(input: DoctorInput): DoctorCard[] {
  const { gpus } = input;
  const probeGpus = okReport(input.probe)?.torch.gpus ?? [];
  if (!gpus && probeGpus.length > 0) {
    return [
      {
        id: 'gpu.nvidia',
        status: 'ok',
        title: text('已检测到 NVIDIA 显卡', 'NVIDIA GPU detected'),
        detail: text(
          `torch 看到：${probeGpus.map((gpu) => gpu.name).join('、')}`,
          `torch sees: ${probeGpus.map((gpu) => gpu.name).join(', ')}`,
        ),
      },
    ];
  }
  if (!gpus) {
    return [
      {
        id: 'gpu.nvidia',
        status: 'warning',
        title: text('没有检查显卡', 'GPU not checked'),
        detail: text(
          '没有运行 nvidia-smi，torch 也没有报告显卡。',
          'nvidia-smi was not run and torch reported no GPU.',
        ),
      },
    ];
  }
  if (gpus.gpus.length > 0) {
    return [
      {
        id: 'gpu.nvidia',
        status: 'ok',
        title: text('已检测到 NVIDIA 显卡', 'NVIDIA GPU detected'),
        detail: text(
          `${gpus.gpus.map((gpu) => `${gpu.name}（${(gpu.memoryTotalMiB / 1024).toFixed(0)} GB）`).join('、')}；驱动 ${gpus.driverVersion ?? gpus.gpus[0]?.driverVersion ?? '?'}，驱动支持的最高 CUDA ${gpus.cudaVersion ?? '?'}`,
          `${gpus.gpus.map((gpu) => `${gpu.name} (${(gpu.memoryTotalMiB / 1024).toFixed(0)} GB)`).join(', ')}; driver ${gpus.driverVersion ?? gpus.gpus[0]?.driverVersion ?? '?'}, highest CUDA the driver supports ${gpus.cudaVersion ?? '?'}`,
        ),
      },
    ];
  }
  return [
    {
      id: 'gpu.nvidia',
      status: 'error',
      title: text('未检测到 NVIDIA 显卡', 'No NVIDIA GPU'),
      detail: text(
        `nvidia-smi 没有报告任何显卡${gpus.error ? `（${gpus.error}）` : ''}。训练 LoRA 需要 NVIDIA 显卡（建议 8 GB 显存以上）和已安装的驱动。没有显卡时仍可整理数据集、打标和准备参数，再到有显卡的电脑或云服务器（danlu serve）上训练。`,
        `nvidia-smi reported no GPU${gpus.error ? ` (${gpus.error})` : ''}. Training a LoRA needs an NVIDIA GPU (8 GB of VRAM or more recommended) with its driver installed. Without one you can still prepare datasets, captions and parameters, then train on a GPU machine or a cloud server (danlu serve).`,
      ),
      fix: fixes.updateDriver,
    },
  ];
}

function torchCards(input: DoctorInput): DoctorCard[] {
  const report = okReport(input.probe);
  if (!report) return [];
  const torch = report.torch;
  const cards: DoctorCard[] = [];
  if (!torch.importable) {
    const installed = packageVersion(report, 'torch');
    cards.push({
      id: 'torch.installed',
      status: 'error',
      title: installed
        ? text('torch 已安装但无法导入', 'torch is installed but does not import')
        : text('没有安装 torch', 'torch is not installed'),
      detail: installed
        ? text(
            `torch ${installed} 导入失败：${torch.error ?? '未知错误'}。常见原因：缺少 VC++ 运行库、安装不完整、与 numpy 版本冲突。`,
            `torch ${installed} failed to import: ${torch.error ?? 'unknown error'}. Usual causes: missing VC++ runtime, a half-finished install, a numpy version clash.`,
          )
        : text(
            '这个 Python 环境里没有 PyTorch，无法训练。请运行该整合包的安装脚本，或让丹炉安装与显卡匹配的 torch。',
            "This Python environment has no PyTorch, so it cannot train. Run the package's install script, or let Danlu install a torch that matches the GPU.",
          ),
      fix: fixes.installTorchCuda,
    });
    return cards;
  }
  cards.push({
    id: 'torch.installed',
    status: 'ok',
    title: text('torch 已安装', 'torch installed'),
    detail: text(
      `torch ${torch.version ?? '?'}，CUDA ${torch.cudaBuild ?? '无'}，cuDNN ${torch.cudnnVersion ?? '无'}`,
      `torch ${torch.version ?? '?'}, CUDA ${torch.cudaBuild ?? 'none'}, cuDNN ${torch.cudnnVersion ?? 'none'}`,
    ),
  });
  if (!torch.cudaBuild) {
    cards.push({
      id: 'torch.cuda_build',
      status: 'error',
      title: text('这是仅 CPU 的 torch', 'This torch is CPU-only'),
      detail: text(
        `安装的是 CPU 版 torch（${torch.version ?? '?'}，没有 CUDA），即使有显卡也用不上，训练会失败或慢到无法使用。通常是直接 pip install torch（Windows 上 PyPI 的 torch 是 CPU 版）造成的。需要从 PyTorch 的 CUDA 源重新安装。`,
        `This is a CPU build of torch (${torch.version ?? '?'}, no CUDA): it cannot use the GPU even if there is one, so training fails or is unusably slow. It usually comes from a plain pip install torch (on Windows PyPI's torch is the CPU build). Reinstall it from PyTorch's CUDA index.`,
      ),
      fix: fixes.installTorchCuda,
    });
    return cards;
  }
  if (!torch.cudaAvailable) {
    const hasGpu = (input.gpus?.gpus.length ?? 0) > 0;
    cards.push({
      id: 'torch.sees_gpu',
      status: 'error',
      title: text('torch 无法使用显卡', 'torch cannot use the GPU'),
      detail: hasGpu
        ? text(
            `torch 是 CUDA ${torch.cudaBuild} 版，nvidia-smi 也能看到显卡，但 torch.cuda.is_available() 为 False${torch.cudaError ? `（${torch.cudaError}）` : ''}。多半是驱动太旧，或 CUDA_VISIBLE_DEVICES 把显卡藏起来了。`,
            `torch is a CUDA ${torch.cudaBuild} build and nvidia-smi sees the GPU, yet torch.cuda.is_available() is False${torch.cudaError ? ` (${torch.cudaError})` : ''}. Most often the driver is too old, or CUDA_VISIBLE_DEVICES hides the GPU.`,
          )
        : text(
            `torch 是 CUDA ${torch.cudaBuild} 版，但系统里没有可用的 NVIDIA 显卡或驱动。`,
            `torch is a CUDA ${torch.cudaBuild} build, but the system has no usable NVIDIA GPU or driver.`,
          ),
      fix: fixes.updateDriver,
    });
  } else {
    cards.push({
      id: 'torch.sees_gpu',
      status: 'ok',
      title: text('torch 可以使用显卡', 'torch sees the GPU'),
      detail: text(gpuName(report, input.gpus).join('、'), gpuName(report, input.gpus).join(', ')),
    });
  }
  return cards;
}

function driverCards(input: DoctorInput): DoctorCard[] {
  const cuda = okReport(input.probe)?.torch.cudaBuild;
  const driver = input.gpus?.driverVersion ?? input.gpus?.gpus[0]?.driverVersion;
  if (!cuda || !driver) return [];
  const { exact, floor } = driverRequirement(cuda, input.platform);
  if (floor && compareVersions(driver, floor) < 0) {
    return [
      {
        id: 'gpu.driver',
        status: 'error',
        title: text('显卡驱动太旧', 'GPU driver too old'),
        detail: text(
          `torch 使用 CUDA ${cuda}，至少需要 ${exact ?? floor} 版驱动（最低 ${floor}），当前是 ${driver}。请更新 NVIDIA 驱动。`,
          `torch uses CUDA ${cuda}, which needs driver ${exact ?? floor} (at the very least ${floor}); this one is ${driver}. Update the NVIDIA driver.`,
        ),
        fix: fixes.updateDriver,
      },
    ];
  }
  if (exact && compareVersions(driver, exact) < 0) {
    return [
      {
        id: 'gpu.driver',
        status: 'warning',
        title: text('显卡驱动偏旧', 'GPU driver is older than recommended'),
        detail: text(
          `torch 使用 CUDA ${cuda}，对应驱动 ${exact}，当前是 ${driver}。靠 CUDA 小版本兼容通常能运行，但部分功能（PTX 即时编译）会失败，建议更新驱动。`,
          `torch uses CUDA ${cuda}, whose driver is ${exact}; this one is ${driver}. Minor-version compatibility usually lets it run, but some features (PTX JIT) fail: update the driver.`,
        ),
        fix: fixes.updateDriver,
      },
    ];
  }
  return [
    {
      id: 'gpu.driver',
      status: 'ok',
      title: text('显卡驱动版本合适', 'GPU driver fits'),
      detail: text(
        `驱动 ${driver} 支持 torch 的 CUDA ${cuda}。`,
        `Driver ${driver} supports torch's CUDA ${cuda}.`,
      ),
    },
  ];
}

function blackwellCards(input: DoctorInput): DoctorCard[] {
  const report = okReport(input.probe);
  const blackwell = capabilities(report, input.gpus).filter((gpu) => gpu.cc && gpu.cc[0] >= 12);
  const first = blackwell[0];
  if (!first || !report?.torch.importable || !report.torch.cudaBuild) return [];
  const mm = majorMinor(report.torch.cudaBuild);
  const archList = report.torch.archList ?? [];
  const tooOld = !mm || mm[0] < 12 || (mm[0] === 12 && mm[1] < 8);
  const missingArch =
    archList.length > 0 && !archList.some((arch) => /^sm_1[2-9]\d?$|^compute_1[2-9]/.test(arch));
  if (tooOld || missingArch) {
    return [
      {
        id: 'gpu.blackwell',
        status: 'error',
        title: text('RTX 50 系列需要 CUDA 12.8 版 torch', 'RTX 50-series needs a CUDA 12.8 torch'),
        detail: text(
          `${first.name} 是 Blackwell 架构（sm_120），当前 torch ${report.torch.version ?? '?'}（CUDA ${report.torch.cudaBuild}）不包含它的内核，训练会报 “no kernel image is available”。请安装 cu128 版的 torch 2.7 或更新版本。`,
          `${first.name} is a Blackwell card (sm_120); torch ${report.torch.version ?? '?'} (CUDA ${report.torch.cudaBuild}) has no kernels for it, so training fails with “no kernel image is available”. Install a cu128 build of torch 2.7 or newer.`,
        ),
        fix: fixes.installTorchCu128,
      },
    ];
  }
  return [
    {
      id: 'gpu.blackwell',
      status: 'ok',
      title: text('torch 支持 RTX 50 系列', 'torch supports the RTX 50-series'),
      detail: text(
        `CUDA ${report.torch.cudaBuild} 包含 sm_120。`,
        `CUDA ${report.torch.cudaBuild} includes sm_120.`,
      ),
    },
  ];
}

function precisionCards(input: DoctorInput): DoctorCard[] {
  if (input.request?.mixedPrecision !== 'bf16') return [];
  const report = okReport(input.probe);
  const old = capabilities(report, input.gpus).filter((gpu) => gpu.cc && gpu.cc[0] < 8);
  const first = old[0];
  if (!first?.cc) return [];
  return [
    {
      id: 'precision.bf16',
      status: 'error',
      title: text('这张显卡不支持 bf16', 'This GPU does not support bf16'),
      detail: text(
        `bf16 需要 Ampere（RTX 30）或更新的显卡（计算能力 ≥ 8.0）；${first.name} 是 ${first.cc.join('.')}。请改用 fp16。`,
        `bf16 needs an Ampere (RTX 30) or newer GPU (compute capability 8.0 or higher); ${first.name} is ${first.cc.join('.')}. Use fp16 instead.`,
      ),
      fix: fixes.useFp16,
    },
  ];
}

/** Which optional packages the requested optimizer / network / attention need. */
export function requiredPackages(request: DoctorRequest | undefined): { name: string; why: Text }[] {
  const needs: { name: string; why: Text }[] = [];
  const optimizer = request?.optimizer ?? '';
  if (/8bit/i.test(optimizer) || /^paged/i.test(optimizer)) {
    needs.push({ name: 'bitsandbytes', why: text(`优化器 ${optimizer}`, `optimizer ${optimizer}`) });
  }
  if (/^prodigy$/i.test(optimizer))
    needs.push({ name: 'prodigyopt', why: text('优化器 Prodigy', 'optimizer Prodigy') });
  if (/^dadapt/i.test(optimizer)) {
    needs.push({ name: 'dadaptation', why: text(`优化器 ${optimizer}`, `optimizer ${optimizer}`) });
  }
  if (request?.networkModule?.startsWith('lycoris')) {
    needs.push({
      name: 'lycoris-lora',
      why: text('LyCORIS 网络（LoCon/LoHa/LoKr）', 'a LyCORIS network (LoCon/LoHa/LoKr)'),
    });
  }
  if (request?.xformers) needs.push({ name: 'xformers', why: text('xformers 注意力', 'xformers attention') });
  return needs;
}

function packageCards(input: DoctorInput): DoctorCard[] {
  const report = okReport(input.probe);
  if (!report) return [];
  return requiredPackages(input.request).map(({ name, why }) => {
    const version = packageVersion(report, name);
    return version
      ? {
          id: `package.${name}`,
          status: 'ok' as const,
          title: text(`${name} 已安装`, `${name} installed`),
          detail: text(`${name} ${version}（${why.zh}需要）`, `${name} ${version} (needed by ${why.en})`),
        }
      : {
          id: `package.${name}`,
          status: 'error' as const,
          title: text(`缺少 ${name}`, `${name} is missing`),
          detail: text(
            `${why.zh}需要 ${name}，但这个环境里没有安装，训练会在加载模型后才报错退出。请安装它，或换一个不需要它的选项。`,
            `${why.en} needs ${name}, which this environment lacks; training would fail only after the model has loaded. Install it, or pick an option that does not need it.`,
          ),
          fix: pkgFix(name),
        };
  });
}

function diskCards(input: DoctorInput): DoctorCard[] {
  return (input.disks ?? []).map(({ label, path, freeBytes }) => {
    const gb = (freeBytes / GiB).toFixed(1);
    const status = freeBytes < 5 * GiB ? 'error' : freeBytes < 20 * GiB ? 'warning' : 'ok';
    return {
      id: `disk.free:${path}`,
      status,
      title:
        status === 'ok'
          ? text(`${label.zh}：磁盘空间充足`, `${label.en}: enough disk space`)
          : text(`${label.zh}：磁盘空间不足`, `${label.en}: low disk space`),
      detail: text(
        `${path} 剩余 ${gb} GB。每个 SDXL 检查点 100–900 MB，缓存潜变量到磁盘时每张图还会多一个 .npz 文件；建议至少留 20 GB。`,
        `${path} has ${gb} GB free. Each SDXL checkpoint takes 100–900 MB and caching latents to disk adds an .npz per image; keep at least 20 GB free.`,
      ),
      ...(status === 'ok' ? {} : { fix: fixes.moveDataRoot }),
    };
  });
}

function pathCards(input: DoctorInput): DoctorCard[] {
  if (input.platform !== 'win32' || !input.paths?.length) return [];
  // eslint-disable-next-line no-control-regex -- "outside printable ASCII" is exactly the test
  const risky = input.paths.filter(({ path }) => /[^\x00-\x7f]/.test(path) || path.includes(' '));
  if (risky.length === 0) {
    return [
      {
        id: 'paths.ascii',
        status: 'ok',
        title: text('路径没有特殊字符', 'Paths are plain ASCII'),
        detail: text('所有路径只含英文字符且没有空格。', 'Every path is ASCII without spaces.'),
      },
    ];
  }
  const list = (language: 'zh' | 'en') =>
    risky.map(({ label, path }) => `${label[language]}: ${path}`).join('; ');
  return [
    {
      id: 'paths.ascii',
      status: 'warning',
      title: text('路径含中文或空格', 'Paths with non-ASCII characters or spaces'),
      detail: text(
        `${list('zh')}。Python 和丹炉能处理，但部分原生库（bitsandbytes、torch.compile 等）在 Windows 上遇到中文或空格路径会出错。出错时请把数据文件夹放到类似 D:\\Danlu 的纯英文路径。`,
        `${list('en')}. Python and Danlu cope, but some native libraries (bitsandbytes, torch.compile, …) on Windows fail on such paths. If training fails, move the data folder to a plain path such as D:\\Danlu.`,
      ),
      fix: fixes.moveDataRoot,
    },
  ];
}

function longPathCards(input: DoctorInput): DoctorCard[] {
  if (input.platform !== 'win32' || input.longPathsEnabled === undefined) return [];
  if (input.longPathsEnabled) {
    return [
      {
        id: 'windows.long_paths',
        status: 'ok',
        title: text('已开启 Windows 长路径支持', 'Windows long paths enabled'),
        detail: text('LongPathsEnabled = 1。', 'LongPathsEnabled = 1.'),
      },
    ];
  }
  return [
    {
      id: 'windows.long_paths',
      status: 'warning',
      title: text('未开启 Windows 长路径支持', 'Windows long paths are off'),
      detail: text(
        input.longPathsEnabled === null
          ? '无法读取注册表 LongPathsEnabled。路径超过 260 个字符时 pip 安装和缓存文件可能失败。'
          : '注册表 LongPathsEnabled 不是 1：路径超过 260 个字符时 pip 安装和缓存文件会失败。开启需要管理员权限。',
        input.longPathsEnabled === null
          ? 'Could not read LongPathsEnabled from the registry. pip installs and cache files may fail beyond 260 characters.'
          : 'The registry value LongPathsEnabled is not 1: pip installs and cache files fail beyond 260 characters. Enabling it needs administrator rights.',
      ),
      fix: fixes.longPaths,
    },
  ];
}

function sdScriptsCards(input: DoctorInput): DoctorCard[] {
  const info = okReport(input.probe)?.sdScripts;
  if (!info?.exists) return [];
  const tags = info.tags ?? [];
  const known = tags.find((tag) => (knownGoodSdScripts.tags as readonly string[]).includes(tag));
  const fork = [info.commit, info.versionFile?.content].find((value) =>
    knownGoodSdScripts.commitPrefixes.some((prefix) => value?.startsWith(prefix)),
  );
  if (known || fork) {
    return [
      {
        id: 'sdscripts.version',
        status: 'ok',
        title: text('sd-scripts 版本已验证', 'sd-scripts version is known to work'),
        detail: text(`版本 ${known ?? fork ?? ''}`, `Version ${known ?? fork ?? ''}`),
      },
    ];
  }
  const what = info.commit
    ? `${tags[0] ?? info.branch ?? ''} ${info.commit.slice(0, 8)}`.trim()
    : (info.readmeVersion ?? info.versionFile?.content.slice(0, 40));
  return [
    {
      id: 'sdscripts.version',
      status: 'warning',
      title: text('sd-scripts 版本未经验证', 'sd-scripts version not verified'),
      detail: what
        ? text(
            `这份 sd-scripts 是 ${what}，不在丹炉测试过的版本（${knownGoodSdScripts.tags.join('、')}）中。大多数参数仍然可用，个别新旧参数可能不被识别。`,
            `This sd-scripts is ${what}, not one of the versions Danlu was tested with (${knownGoodSdScripts.tags.join(', ')}). Most options still work; a few new or old ones may not be recognised.`,
          )
        : text(
            '无法确定这份 sd-scripts 的版本（没有 .git 信息）。大多数参数仍然可用。',
            'Cannot tell this sd-scripts version (no .git information). Most options still work.',
          ),
    },
  ];
}

/** Every doctor card for the situation described by `input`; pure, so each scenario is a unit test. */
export function runDoctor(input: DoctorInput): DoctorCard[] {
  return [
    ...engineCards(input),
    ...gpuCards(input),
    ...torchCards(input),
    ...driverCards(input),
    ...blackwellCards(input),
    ...precisionCards(input),
    ...packageCards(input),
    ...sdScriptsCards(input),
    ...diskCards(input),
    ...pathCards(input),
    ...longPathCards(input),
  ];
}
