import type { BilingualText, Diagnosis, FailureCode, FixSuggestion } from '@danlu/contracts';

import { joinRecords } from './records.js';

/**
 * The failure catalogue: why a kohya run failed, in plain words, with what to do about it. Rules are
 * tried in order (the most specific cause first: an out-of-memory error during sampling is an
 * out-of-memory error); the first that matches wins. Fix patches use @danlu/params catalogue ids, so the
 * run service can queue a copy of the configuration with the patch applied.
 */

export interface DiagnoseInput {
  /** The end of the log (~400 lines) plus earlier error lines, as physical lines. */
  lines: readonly string[];
  /** The engine's exit code; null while it runs (or when unknown). */
  exitCode: number | null;
  /** Signal name when the process was ended by a signal (POSIX), e.g. "SIGKILL". */
  signal?: string | null;
  /** Model files found in output_dir after the run (state folders excluded). */
  savedModelCount?: number;
  /** Seconds since the log last grew, for a running engine. */
  silentSeconds?: number;
  /** Silence that counts as stuck; default 20 minutes (loading and hashing a big checkpoint is silent). */
  stuckAfterSeconds?: number;
  /** The user asked the run to stop: an exit by signal is then no failure. */
  stoppedByUser?: boolean;
  config?: DiagnoseConfig;
}

export interface DiagnoseConfig {
  family?: 'sd1' | 'sd2' | 'sdxl';
  /** Catalogue id → value, as configured (only read to tailor the fixes). */
  values?: Readonly<Record<string, unknown>>;
}

export const DEFAULT_STUCK_SECONDS = 1200;

interface Context {
  input: DiagnoseInput;
  /** Joined log messages (Rich records re-assembled, multi-line messages split). */
  messages: string[];
  /** Exception lines of Python tracebacks, in order, without the launcher's CalledProcessError. */
  exceptions: string[];
  /** Frame lines ("  File …, in fn") of each traceback, parallel to `exceptions`. */
  frames: string[][];
  family: DiagnoseConfig['family'];
  values: Readonly<Record<string, unknown>>;
}

type Rule = (ctx: Context) => Diagnosis | null;

const t = (zh: string, en: string): BilingualText => ({ zh, en });

function fix(id: string, label: BilingualText, patch?: FixSuggestion['patch']): FixSuggestion {
  return patch ? { id, label, patch } : { id, label };
}

function diagnosis(
  code: FailureCode,
  title: BilingualText,
  explanation: BilingualText,
  evidence: string,
  fixes: FixSuggestion[],
): Diagnosis {
  return { code, title, explanation, evidence: evidence.trim().slice(0, 2000), fixes };
}

function find(ctx: Context, pattern: RegExp): string | null {
  for (let i = ctx.messages.length - 1; i >= 0; i--) {
    const message = ctx.messages[i];
    if (message !== undefined && pattern.test(message)) return message.trim();
  }
  return null;
}

function findAll(ctx: Context, pattern: RegExp): string[] {
  return ctx.messages.filter((m) => pattern.test(m)).map((m) => m.trim());
}

function value(ctx: Context, id: string): unknown {
  return ctx.values[id];
}

function isOn(ctx: Context, id: string): boolean {
  return value(ctx, id) === true;
}

// ------------------------------------------------------------------------------------------------------------

const cudaOom: Rule = (ctx) => {
  const evidence = find(
    ctx,
    /CUDA out of memory|OutOfMemoryError|CUBLAS_STATUS_ALLOC_FAILED|CUDA error: out of memory|HIP out of memory|MPS backend out of memory|DefaultCPUAllocator: not enough memory/,
  );
  if (!evidence) return null;
  const fixes: FixSuggestion[] = [];
  const batch = value(ctx, 'train_batch_size');
  if (typeof batch === 'number' && batch > 1) {
    fixes.push(
      fix(
        'lower_batch',
        t(
          `批大小减半（${batch} → ${Math.max(1, Math.floor(batch / 2))}）`,
          `Halve the batch size (${batch} → ${Math.max(1, Math.floor(batch / 2))})`,
        ),
        { train_batch_size: Math.max(1, Math.floor(batch / 2)) },
      ),
    );
  } else if (batch === undefined) {
    fixes.push(fix('lower_batch', t('批大小改为 1', 'Set the batch size to 1'), { train_batch_size: 1 }));
  }
  if (!isOn(ctx, 'gradient_checkpointing')) {
    fixes.push(
      fix(
        'gradient_checkpointing',
        t('开启梯度检查点（省显存，稍慢）', 'Turn on gradient checkpointing (less VRAM, a bit slower)'),
        {
          gradient_checkpointing: true,
        },
      ),
    );
  }
  const optimizer = value(ctx, 'optimizer_type');
  if (
    optimizer === undefined ||
    optimizer === 'AdamW' ||
    optimizer === 'Lion' ||
    optimizer === 'AdamW_fp32'
  ) {
    fixes.push(
      fix(
        'adamw8bit',
        t('优化器换成 AdamW8bit（需要 bitsandbytes）', 'Use the AdamW8bit optimizer (needs bitsandbytes)'),
        {
          optimizer_type: 'AdamW8bit',
        },
      ),
    );
  }
  if (!isOn(ctx, 'cache_latents')) {
    fixes.push(
      fix(
        'cache_latents',
        t('缓存潜变量（训练时不再占用 VAE 显存）', 'Cache latents (the VAE leaves VRAM during training)'),
        {
          cache_latents: true,
          cache_latents_to_disk: true,
        },
      ),
    );
  }
  if (ctx.family === 'sdxl' && !isOn(ctx, 'network_train_unet_only')) {
    fixes.push(
      fix(
        'sdxl_unet_only',
        t(
          'SDXL：只训练 U-Net 并缓存文本编码器输出（省显存最多）',
          'SDXL: train the U-Net only and cache text-encoder outputs (saves the most VRAM)',
        ),
        { network_train_unet_only: true, cache_text_encoder_outputs: true },
      ),
    );
  }
  const precision = value(ctx, 'mixed_precision');
  if (precision === 'no') {
    fixes.push(
      fix('mixed_precision', t('混合精度改为 fp16', 'Use fp16 mixed precision'), { mixed_precision: 'fp16' }),
    );
  }
  const resolution = value(ctx, 'resolution');
  const side = typeof resolution === 'string' ? Number(resolution.split(',')[0]) : NaN;
  if (Number.isFinite(side) && side > 512) {
    const lower = side >= 1024 ? 768 : 512;
    fixes.push(
      fix('lower_resolution', t(`分辨率降到 ${lower}`, `Lower the resolution to ${lower}`), {
        resolution: `${lower},${lower}`,
      }),
    );
  }
  return diagnosis(
    'cuda_oom',
    t('显存不够（CUDA out of memory）', 'Out of GPU memory (CUDA out of memory)'),
    t(
      '训练需要的显存超过了显卡能给的量。批大小、分辨率、网络维度越大，占用越多；同时开着游戏、浏览器的硬件加速或其他 AI 程序也会占掉显存。按下面的顺序试：先开梯度检查点和潜变量缓存，再减小批大小或分辨率。',
      'Training needed more VRAM than the GPU could give. Batch size, resolution and network dim all add to it, and games, browsers with hardware acceleration or other AI tools hold VRAM too. Try in order: gradient checkpointing and cached latents first, then a smaller batch or resolution.',
    ),
    evidence,
    fixes,
  );
};

const diskFull: Rule = (ctx) => {
  const evidence = find(
    ctx,
    /No space left on device|\[Errno 28\]|errno 28|There is not enough space on the disk|WinError 112|磁盘空间不足|ディスクに十分な空き領域がありません/i,
  );
  if (!evidence) return null;
  return diagnosis(
    'disk_full',
    t('磁盘满了', 'The disk is full'),
    t(
      '保存模型、状态或缓存时磁盘没有空间了。已经写了一半的文件可能损坏。请清理输出文件夹所在的磁盘（旧的模型、状态文件夹、潜变量缓存 .npz 都很占地方），或把输出改到空间大的磁盘。',
      'There was no room left while saving a model, a state or a cache. A half-written file may be broken. Free space on the output drive (old models, state folders and .npz latent caches take a lot) or put the output on a larger drive.',
    ),
    evidence,
    [
      fix('keep_fewer_epochs', t('只保留最近 3 个轮次的模型', 'Keep only the last 3 epoch models'), {
        save_last_n_epochs: 3,
      }),
      fix('no_state', t('不保存训练状态文件夹', 'Do not save state folders'), { save_state: false }),
    ],
  );
};

/** Python module → the pip package that provides it. */
const PIP_PACKAGES: Readonly<Record<string, string>> = {
  bitsandbytes: 'bitsandbytes',
  xformers: 'xformers',
  lycoris: 'lycoris-lora',
  prodigyopt: 'prodigyopt',
  prodigyplus: 'prodigy-plus-schedule-free',
  lion_pytorch: 'lion-pytorch',
  dadaptation: 'dadaptation',
  schedulefree: 'schedulefree',
  pytorch_optimizer: 'pytorch-optimizer',
  wandb: 'wandb',
  tensorboard: 'tensorboard',
  toml: 'toml',
  voluptuous: 'voluptuous',
  cv2: 'opencv-python',
  PIL: 'pillow',
  safetensors: 'safetensors',
  diffusers: 'diffusers',
  transformers: 'transformers',
  accelerate: 'accelerate',
  imagesize: 'imagesize',
  einops: 'einops',
  deepspeed: 'deepspeed',
  rich: 'rich',
  torch: 'torch',
  torchvision: 'torchvision',
};

/** kohya's own "not installed" errors: `ImportError: No bitsandbytes / bitsandbytesがインストールされていないようです`. */
const KOHYA_IMPORT_NAMES: Readonly<Record<string, string>> = {
  bitsandbytes: 'bitsandbytes',
  xformers: 'xformers',
  lion_pytorch: 'lion_pytorch',
  dadaptation: 'dadaptation',
  prodigy: 'prodigyopt',
  schedulefree: 'schedulefree',
  wandb: 'wandb',
  'prodigy-plus-schedule-free': 'prodigyplus',
};

const missingModule: Rule = (ctx) => {
  let module: string | null = null;
  let evidence: string | null = null;
  for (const message of ctx.messages) {
    const kohya = /ImportError: No ([\w.-]+) \//.exec(message);
    if (kohya?.[1]) {
      const name = kohya[1].toLowerCase();
      module = KOHYA_IMPORT_NAMES[name] ?? kohya[1];
      evidence = message.trim();
      break;
    }
    const plain = /ModuleNotFoundError: No module named '([^']+)'/.exec(message);
    if (plain && module === null) {
      module = plain[1] ?? null;
      evidence = message.trim();
    }
  }
  if (!module || !evidence) {
    const deepspeed = find(ctx, /deepspeed is not installed/);
    if (!deepspeed) return null;
    module = 'deepspeed';
    evidence = deepspeed;
  }
  const top = module.split('.')[0] ?? module;
  if (top === 'library' || top === 'networks') {
    return diagnosis(
      'engine_missing',
      t('训练引擎文件不完整', 'The engine folder is incomplete'),
      t(
        `找不到 sd-scripts 自带的模块 ${module}：引擎文件夹不完整，或者启动时的工作目录不是 sd-scripts 文件夹。请在“训练环境”页重新检查或重新安装引擎。`,
        `sd-scripts' own module ${module} was not found: the engine folder is incomplete, or the engine was not started inside the sd-scripts folder. Check or reinstall the engine on the Environment page.`,
      ),
      evidence,
      [],
    );
  }
  const pip = PIP_PACKAGES[top] ?? top.replace(/_/g, '-');
  const fixes: FixSuggestion[] = [
    fix(
      'pip_install',
      t(
        `在引擎的 Python 环境里安装：pip install ${pip}`,
        `Install it into the engine's Python: pip install ${pip}`,
      ),
    ),
  ];
  if (top === 'bitsandbytes') {
    fixes.push(
      fix('plain_adamw', t('不用 8bit 优化器，改用 AdamW', 'Use plain AdamW instead of an 8-bit optimizer'), {
        optimizer_type: 'AdamW',
      }),
    );
  } else if (top === 'xformers') {
    fixes.push(
      fix(
        'use_sdpa',
        t('不用 xformers，改用 PyTorch 自带的 SDPA', "Use PyTorch's built-in SDPA instead of xformers"),
        { xformers: false, sdpa: true },
      ),
    );
  } else if (
    top === 'prodigyopt' ||
    top === 'prodigyplus' ||
    top === 'dadaptation' ||
    top === 'lion_pytorch' ||
    top === 'schedulefree'
  ) {
    fixes.push(
      fix('plain_adamw', t('换用 AdamW 优化器', 'Switch to the AdamW optimizer'), {
        optimizer_type: 'AdamW',
      }),
    );
  } else if (top === 'wandb') {
    fixes.push(
      fix('tensorboard_only', t('只用 TensorBoard 记录', 'Log to TensorBoard only'), {
        log_with: 'tensorboard',
      }),
    );
  } else if (top === 'lycoris') {
    fixes.push(
      fix(
        'plain_lora',
        t('改用 kohya 自带的 LoRA（networks.lora）', "Use kohya's built-in LoRA (networks.lora)"),
        { network_module: 'networks.lora' },
      ),
    );
  }
  const extra =
    top === 'xformers'
      ? t(
          'xformers 必须和 PyTorch、CUDA 版本精确匹配，装错版本会把 PyTorch 换掉；多数情况下直接用 SDPA 更省事。',
          'xformers must match the exact PyTorch and CUDA versions, and a wrong wheel replaces PyTorch; SDPA is usually the easier choice.',
        )
      : top === 'bitsandbytes'
        ? t(
            'bitsandbytes 提供 AdamW8bit 等 8bit 优化器；Windows 上请装 0.41 以后的官方版本。',
            'bitsandbytes provides AdamW8bit and the other 8-bit optimizers; on Windows use release 0.41 or newer.',
          )
        : t('', '');
  return diagnosis(
    'missing_module',
    t(`缺少 Python 模块：${module}`, `Missing Python module: ${module}`),
    t(
      `引擎的 Python 环境里没有安装 ${module}，而当前的设置需要它。请在引擎所用的那个 Python（虚拟环境）里执行 pip install ${pip}，或者换一个不需要它的选项。${extra.zh}`,
      `The engine's Python has no ${module}, and the current settings need it. Run pip install ${pip} with the engine's own Python (its venv), or pick an option that does not need it. ${extra.en}`.trim(),
    ),
    evidence,
    fixes,
  );
};

const engineMissing: Rule = (ctx) => {
  const evidence = find(
    ctx,
    /can't open file .*(train_network|sdxl_train_network|train_db|sdxl_train)\.py|No module named accelerate\b/,
  );
  if (!evidence) return null;
  return diagnosis(
    'engine_missing',
    t('找不到训练脚本', 'Training script not found'),
    t(
      '引擎文件夹里没有要运行的训练脚本（或者 Python 里没有 accelerate）。请在“训练环境”页检查引擎位置，必要时重新安装。',
      'The training script is not in the engine folder (or accelerate is missing from its Python). Check the engine location on the Environment page and reinstall it if needed.',
    ),
    evidence,
    [],
  );
};

const tokenizer: Rule = (ctx) => {
  const evidence = find(
    ctx,
    /Can't load tokenizer for|couldn't connect to 'https:\/\/huggingface\.co'|HTTPSConnectionPool\(host='huggingface\.co'|LocalEntryNotFoundError|Connection error, and we cannot find the requested files|OfflineModeIsEnabled|Failed to resolve 'huggingface\.co'|huggingface\.co.*(timed out|Max retries)/,
  );
  if (!evidence) return null;
  return diagnosis(
    'tokenizer_download',
    t('无法从 Hugging Face 下载分词器', 'Could not download the tokenizer from Hugging Face'),
    t(
      'sd-scripts 第一次运行时要从 huggingface.co 下载 CLIP 分词器（SDXL 还要 OpenCLIP 的），这台电脑现在连不上。可以设置镜像（环境变量 HF_ENDPOINT=https://hf-mirror.com）后再试；或者联网运行一次并设置“分词器缓存目录”，以后离线也能用。',
      'On its first run sd-scripts downloads the CLIP tokenizer (and OpenCLIP for SDXL) from huggingface.co, which this machine cannot reach now. Set a mirror (HF_ENDPOINT=https://hf-mirror.com) and try again, or run once online with a tokenizer cache folder set so later runs work offline.',
    ),
    evidence,
    [
      fix(
        'hf_mirror',
        t(
          '在引擎设置里加环境变量 HF_ENDPOINT=https://hf-mirror.com',
          'Add HF_ENDPOINT=https://hf-mirror.com to the engine environment',
        ),
      ),
      fix(
        'tokenizer_cache',
        t('联网运行一次并设置分词器缓存目录', 'Run once online with a tokenizer cache folder'),
      ),
    ],
  );
};

const wrongFamily: Rule = (ctx) => {
  const evidence = find(
    ctx,
    /Error\(s\) in loading state_dict for (Sdxl)?UNet2DConditionModel|size mismatch for .*(attn2\.to_k|proj_in|label_emb)|Error\(s\) in loading state_dict for CLIPTextModel|KeyError: '(conditioner\.embedders|model\.diffusion_model|cond_stage_model)/,
  );
  if (!evidence) return null;
  const sdxlLoader = /Sdxl|conditioner\.embedders/.test(evidence);
  const explanation =
    ctx.family === 'sdxl' || sdxlLoader
      ? t(
          '选择的是 SDXL 训练，但底模不是 SDXL 模型（看起来是 SD1.5 或 SD2）。请换一个 SDXL 底模，或者把模型类型改成 SD1.5 / SD2。',
          'SDXL training was chosen but the base model is not an SDXL checkpoint (it looks like SD1.5 or SD2). Pick an SDXL base model, or switch the model type to SD1.5 / SD2.',
        )
      : t(
          '底模和所选的模型类型不一致：SD1.5 模式加载到了 SDXL 或 SD2 的模型（或者 v2 选项不对）。请在向导里重新选底模，丹炉会按文件内容识别它的类型。',
          'The base model does not match the chosen model type: SD1.5 mode loaded an SDXL or SD2 checkpoint (or the v2 option is wrong). Pick the base model again in the wizard; Danlu detects its type from the file.',
        );
  return diagnosis(
    'wrong_model_family',
    t('底模类型不对', 'Wrong kind of base model'),
    explanation,
    evidence,
    [fix('pick_model', t('重新选择底模和模型类型', 'Choose the base model and its type again'))],
  );
};

const modelLoad: Rule = (ctx) => {
  const evidence = find(
    ctx,
    /is neither a valid local path nor a valid repo id|SafetensorError|Error while deserializing header|HeaderTooLarge|invalid load key|PytorchStreamReader failed|not a valid model identifier|does not appear to have a file named (model_index|diffusion_pytorch_model)|FileNotFoundError: .*\.(safetensors|ckpt|pt)'?$|UnpicklingError/,
  );
  if (!evidence) return null;
  return diagnosis(
    'model_load_failed',
    t('底模文件读不出来', 'The base model could not be loaded'),
    t(
      '底模路径不存在，或者文件不完整（下载中断）、不是模型文件。请检查底模路径；如果文件大小明显偏小，请重新下载。',
      'The base model path does not exist, or the file is incomplete (an interrupted download) or not a model. Check the path; if the file is much smaller than it should be, download it again.',
    ),
    evidence,
    [fix('pick_model', t('重新选择底模文件', 'Choose the base model file again'))],
  );
};

const sampleFailed: Rule = (ctx) => {
  for (let i = ctx.exceptions.length - 1; i >= 0; i--) {
    const frames = ctx.frames[i] ?? [];
    if (frames.some((f) => /in (sample_images|sample_images_common|sample_image_inference)\b/.test(f))) {
      return diagnosis(
        'sample_failed',
        t('生成预览图时出错', 'Sample image generation crashed'),
        t(
          '训练本身在进行，但生成预览图的那一步出错，整个训练停了下来。常见原因是采样器和模型不兼容、提示词参数写错，或显存在出图时不够。可以先关掉预览图，或换一个采样器（euler_a 最稳）。',
          'Training itself was fine, but generating the preview images failed and stopped the run. Common causes: a sampler that does not suit the model, a malformed prompt option, or too little VRAM while sampling. Turn previews off for now or use another sampler (euler_a is the safest).',
        ),
        ctx.exceptions[i] ?? '',
        [
          fix('no_samples', t('关闭训练中的预览图', 'Turn off preview images during training'), {
            sample_every_n_steps: null,
            sample_every_n_epochs: null,
            sample_at_first: false,
          }),
          fix('sampler_euler_a', t('采样器改为 euler_a', 'Use the euler_a sampler'), {
            sample_sampler: 'euler_a',
          }),
        ],
      );
    }
  }
  return null;
};

const nanLoss: Rule = (ctx) => {
  const evidence =
    find(ctx, /NaN detected in (latents|text encoder outputs)/) ??
    find(ctx, /avr_loss=(nan|-?inf)\b/i) ??
    find(ctx, /NaN found in latents/);
  if (!evidence) return null;
  const fixes: FixSuggestion[] = [];
  if (!isOn(ctx, 'no_half_vae')) {
    fixes.push(
      fix('no_half_vae', t('VAE 用全精度（no_half_vae）', 'Run the VAE in full precision (no_half_vae)'), {
        no_half_vae: true,
      }),
    );
  }
  if (value(ctx, 'mixed_precision') !== 'bf16') {
    fixes.push(
      fix(
        'bf16',
        t(
          '混合精度改为 bf16（30/40 系及更新的显卡）',
          'Use bf16 mixed precision (RTX 30/40 series and newer)',
        ),
        { mixed_precision: 'bf16' },
      ),
    );
  }
  const lr = value(ctx, 'learning_rate');
  if (typeof lr === 'number' && lr > 0) {
    fixes.push(
      fix('lower_lr', t(`学习率减半（${lr} → ${lr / 2}）`, `Halve the learning rate (${lr} → ${lr / 2})`), {
        learning_rate: lr / 2,
      }),
    );
  }
  const latents = /NaN detected in latents:\s*(.+)$/.exec(evidence)?.[1]?.trim();
  return diagnosis(
    'nan_loss',
    t('损失变成了 NaN', 'The loss became NaN'),
    t(
      `训练数值溢出，损失成了 NaN，之后保存的模型都是坏的。最常见的原因是 fp16 下的 VAE（尤其 SDXL）——用 no_half_vae 或 bf16；学习率太高、alpha 远大于维度也会这样。${latents ? `出问题的图片：${latents}，请检查它是否损坏。` : '也请检查数据集里有没有损坏或全黑的图片。'}`,
      `The numbers overflowed and the loss became NaN; models saved after that are broken. The usual cause is the VAE in fp16 (SDXL above all): use no_half_vae or bf16. A learning rate that is too high or an alpha far above the dim does it too. ${latents ? `The image involved: ${latents}; check whether it is damaged.` : 'Also check the dataset for damaged or all-black images.'}`,
    ),
    evidence,
    fixes,
  );
};

const noData: Rule = (ctx) => {
  const evidence = find(
    ctx,
    /No data found\. Please verify arguments|画像がありません。引数指定を確認してください/,
  );
  const ignored = findAll(ctx, /ignore directory without repeats/);
  if (!evidence && ignored.length === 0) return null;
  if (ignored.length > 0) {
    const names = ignored.map((m) => m.replace(/^.*?:\s*/, '').trim()).filter((n) => n !== '');
    return diagnosis(
      'bad_folder_name',
      t('图片文件夹的名字不对', 'Image folders are named wrongly'),
      t(
        `kohya 只认“数字_名字”格式的子文件夹（例如 10_sks dog，数字是重复次数）。这些文件夹被跳过了：${names.join('、')}。另外，训练数据目录要选这些子文件夹的上一级。`,
        `kohya only reads sub-folders named "number_name" (e.g. 10_sks dog, the number being the repeats). These were skipped: ${names.join(', ')}. The training data folder must be the parent of those sub-folders.`,
      ),
      [...ignored, ...(evidence ? [evidence] : [])].join('\n'),
      [
        fix(
          'rename_folders',
          t('把子文件夹改名为“重复次数_名字”', 'Rename the sub-folders to "repeats_name"'),
        ),
      ],
    );
  }
  return diagnosis(
    'no_data',
    t('没有找到训练图片', 'No training images found'),
    t(
      'kohya 没有读到任何图片，于是什么也没训练就结束了（退出码是 0，看起来像成功）。请检查：图片文件夹路径是否正确、里面是否有 png/jpg/webp 图片；如果用文件夹模式，路径要选“数字_名字”子文件夹的上一级。',
      'kohya found no images and ended without training (exit code 0, which looks like success). Check that the image folder path is right and holds png/jpg/webp files; in folder mode the path must be the parent of the "number_name" sub-folders.',
    ),
    evidence ?? '',
    [fix('check_dataset', t('在数据集页重新检查图片文件夹', 'Check the image folder on the Dataset page'))],
  );
};

const knownPythonErrors: Rule = (ctx) => {
  const gpu = find(
    ctx,
    /(fp16|bf16) mixed precision requires a GPU|Torch not compiled with CUDA enabled|no CUDA GPUs are available|CUDA driver version is insufficient/,
  );
  if (gpu) {
    return diagnosis(
      'python_error',
      t('引擎用不了显卡', 'The engine cannot use the GPU'),
      t(
        '引擎的 PyTorch 看不到 CUDA 显卡：可能装的是 CPU 版 PyTorch、显卡驱动太旧，或 CUDA_VISIBLE_DEVICES 选错了显卡。请在“训练环境”页运行检查。',
        "The engine's PyTorch sees no CUDA GPU: a CPU-only PyTorch, a driver that is too old, or CUDA_VISIBLE_DEVICES pointing at the wrong GPU. Run the checks on the Environment page.",
      ),
      gpu,
      [],
    );
  }
  const config = find(ctx, /voluptuous\.error\.\w+: .*|Invalid user config/);
  if (config) {
    const detail = find(ctx, /voluptuous\.error\.\w+: /) ?? config;
    return diagnosis(
      'python_error',
      t('数据集配置有误', 'The dataset configuration is invalid'),
      t(
        `kohya 拒绝了数据集配置（dataset.toml）：${detail.replace(/^voluptuous\.error\.\w+: /, '')}。通常是某个键写错了或放错了层级。`,
        `kohya rejected the dataset configuration (dataset.toml): ${detail.replace(/^voluptuous\.error\.\w+: /, '')}. Usually a key is misspelt or at the wrong level.`,
      ),
      detail,
      [],
    );
  }
  const warmup = find(ctx, /does not require `num_warmup_steps`/);
  if (warmup) {
    return diagnosis(
      'python_error',
      t('这个学习率调度器不支持预热', 'This LR scheduler takes no warm-up'),
      t(
        '所选的学习率调度器（如 constant）不能设置预热步数。把预热步数改为 0，或换成 constant_with_warmup / cosine。',
        'The chosen LR scheduler (e.g. constant) takes no warm-up steps. Set warm-up to 0, or use constant_with_warmup / cosine.',
      ),
      warmup,
      [fix('no_warmup', t('预热步数改为 0', 'Set warm-up steps to 0'), { lr_warmup_steps: 0 })],
    );
  }
  return null;
};

const pythonError: Rule = (ctx) => {
  const last = ctx.exceptions.at(-1);
  if (!last) return null;
  if (/^KeyboardInterrupt/.test(last) && ctx.input.stoppedByUser) return null;
  return diagnosis(
    'python_error',
    t('训练脚本出错退出', 'The training script crashed'),
    t(
      `训练脚本抛出了错误：${last}。下面是日志里的原话；如果看不懂，可以连同日志一起去 sd-scripts 的 issue 里搜索这一行。`,
      `The training script raised an error: ${last}. That is the log's own line; if it means nothing to you, search sd-scripts' issues for it together with the log.`,
    ),
    last,
    [],
  );
};

/** Exit codes of a process that was killed or crashed natively (POSIX 128+n, Windows NTSTATUS). */
const KILLED_CODES: Readonly<Record<number, string>> = {
  137: 'SIGKILL',
  [-9]: 'SIGKILL',
  139: 'SIGSEGV',
  [-11]: 'SIGSEGV',
  134: 'SIGABRT',
  [-6]: 'SIGABRT',
  [0xc0000409]: 'STATUS_STACK_BUFFER_OVERRUN (0xC0000409)',
  [-1073740791]: 'STATUS_STACK_BUFFER_OVERRUN (0xC0000409)',
  [0xc0000005]: 'STATUS_ACCESS_VIOLATION (0xC0000005)',
  [-1073741819]: 'STATUS_ACCESS_VIOLATION (0xC0000005)',
  [0xc000013a]: 'STATUS_CONTROL_C_EXIT (0xC000013A)',
  [-1073741510]: 'STATUS_CONTROL_C_EXIT (0xC000013A)',
};

const killed: Rule = (ctx) => {
  const { exitCode, signal, stoppedByUser } = ctx.input;
  if (stoppedByUser) return null;
  const name = signal ?? (exitCode !== null ? KILLED_CODES[exitCode] : undefined);
  if (!name) return null;
  const memory = name === 'SIGKILL';
  return diagnosis(
    'killed',
    t('训练进程被强行结束了', 'The training process was killed'),
    memory
      ? t(
          '训练进程被系统强行结束（SIGKILL）。没有人按“停止”时，最常见的原因是内存（不是显存）用完，被系统杀掉了。可以关掉其他程序、减少数据加载进程数，或缓存潜变量到磁盘。',
          'The process was killed (SIGKILL). When nobody pressed Stop, the usual cause is running out of system RAM (not VRAM). Close other programs, use fewer data-loader workers, or cache latents to disk.',
        )
      : t(
          `训练进程异常终止（${name}）。这通常是显卡驱动、PyTorch 或某个扩展（如 xformers、bitsandbytes）在底层崩溃。更新显卡驱动、换用 SDPA，或重新安装引擎通常能解决。`,
          `The process died abnormally (${name}). Usually the GPU driver, PyTorch or a native extension (xformers, bitsandbytes) crashed. Updating the GPU driver, using SDPA or reinstalling the engine usually helps.`,
        ),
    `exit ${exitCode ?? ''}${signal ? ` (${signal})` : ''}`.trim(),
    memory
      ? [
          fix('fewer_workers', t('数据加载进程数改为 1', 'Use 1 data-loader worker'), {
            max_data_loader_n_workers: 1,
          }),
          fix('cache_to_disk', t('潜变量缓存到磁盘', 'Cache latents to disk'), {
            cache_latents: true,
            cache_latents_to_disk: true,
          }),
        ]
      : [fix('use_sdpa', t('改用 SDPA 注意力', 'Use SDPA attention'), { xformers: false, sdpa: true })],
  );
};

const stuck: Rule = (ctx) => {
  const { exitCode, silentSeconds } = ctx.input;
  const limit = ctx.input.stuckAfterSeconds ?? DEFAULT_STUCK_SECONDS;
  if (exitCode !== null || silentSeconds === undefined || silentSeconds < limit) return null;
  const minutes = Math.round(silentSeconds / 60);
  const last = [...ctx.messages].reverse().find((m) => m.trim() !== '') ?? '';
  return diagnosis(
    'stuck',
    t('训练好像卡住了', 'The run seems stuck'),
    t(
      `引擎已经 ${minutes} 分钟没有任何输出。可能在等待网络下载、显存被其他程序占满、或者进程死锁了。可以停止后重试；如果每次都停在同一行，请查看那一行的提示。`,
      `The engine has printed nothing for ${minutes} minutes. It may be waiting for a download, starved of VRAM by another program, or deadlocked. Stop and try again; if it always stops at the same line, look at what that line says.`,
    ),
    last,
    [],
  );
};

const noModelSaved: Rule = (ctx) => {
  const { exitCode, savedModelCount } = ctx.input;
  if (exitCode !== 0 || savedModelCount === undefined || savedModelCount > 0) return null;
  return diagnosis(
    'no_model_saved',
    t('训练结束了，但没有保存任何模型', 'The run ended without saving a model'),
    t(
      '引擎正常退出（退出码 0），输出文件夹里却没有模型文件。通常是训练根本没开始（数据、步数为 0），或输出文件夹不可写。请查看日志末尾。',
      'The engine exited normally (code 0) but the output folder has no model. Usually training never started (no data, zero steps) or the output folder is not writable. Look at the end of the log.',
    ),
    [...ctx.messages].reverse().find((m) => m.trim() !== '') ?? 'exit 0',
    [],
  );
};

const unknownExit: Rule = (ctx) => {
  const { exitCode } = ctx.input;
  if (exitCode === null || exitCode === 0) return null;
  if (ctx.input.stoppedByUser) return null;
  return diagnosis(
    'unknown_exit',
    t(`引擎以错误码 ${exitCode} 退出`, `The engine exited with code ${exitCode}`),
    t(
      '日志里没有认出具体原因。请查看日志末尾几行；把日志导出后也可以在 sd-scripts 的 issue 里搜索。',
      'No known cause was found in the log. Look at its last lines; you can also export the log and search sd-scripts issues.',
    ),
    [...ctx.messages].reverse().find((m) => m.trim() !== '') ?? `exit ${exitCode}`,
    [],
  );
};

/** In order: specific causes first, then what the exit code alone says. */
const RULES: readonly Rule[] = [
  cudaOom,
  diskFull,
  engineMissing,
  missingModule,
  tokenizer,
  wrongFamily,
  modelLoad,
  sampleFailed,
  nanLoss,
  noData,
  knownPythonErrors,
  pythonError,
  killed,
  stuck,
  noModelSaved,
  unknownExit,
];

function analyse(input: DiagnoseInput): Context {
  const messages: string[] = [];
  for (const record of joinRecords(input.lines)) {
    if (record.message.includes('\n')) messages.push(...record.message.split('\n'));
    else messages.push(record.message);
  }
  const exceptions: string[] = [];
  const frames: string[][] = [];
  let current: string[] | null = null;
  for (const line of input.lines) {
    if (line.startsWith('Traceback (most recent call last)')) {
      current = [];
      continue;
    }
    if (current === null) continue;
    if (line === '' || line.startsWith(' ') || line.startsWith('\t')) {
      current.push(line);
      continue;
    }
    if (!line.startsWith('subprocess.CalledProcessError')) {
      exceptions.push(line.trim());
      frames.push(current);
    }
    current = null;
  }
  return {
    input,
    messages,
    exceptions,
    frames,
    family: input.config?.family,
    values: input.config?.values ?? {},
  };
}

/**
 * Why the run failed (or, while it runs, what is already going wrong), or null when nothing is wrong.
 * A run that exits 0 is still a failure when it saved nothing, printed "No data found", or its loss
 * became NaN.
 */
export function diagnose(input: DiagnoseInput): Diagnosis | null {
  const ctx = analyse(input);
  for (const rule of RULES) {
    const result = rule(ctx);
    if (result) return result;
  }
  return null;
}

/** A bounded tail of the log for `diagnose`: the last lines plus earlier lines that look like errors. */
export class DiagnosisTail {
  private readonly tail: string[] = [];
  private readonly notable: string[] = [];
  private start = 0;

  constructor(
    private readonly maxLines = 400,
    private readonly maxNotable = 200,
  ) {}

  push(line: string): void {
    if (this.tail.length < this.maxLines) this.tail.push(line);
    else {
      const dropped = this.tail[this.start];
      this.tail[this.start] = line;
      this.start = (this.start + 1) % this.maxLines;
      if (dropped !== undefined && this.notable.length < this.maxNotable && NOTABLE.test(dropped)) {
        this.notable.push(dropped);
      }
    }
  }

  lines(): string[] {
    const ordered = this.tail.slice(this.start).concat(this.tail.slice(0, this.start));
    return this.notable.concat(ordered);
  }
}

const NOTABLE =
  /Error|error:|Traceback|No data found|ignore directory without repeats|NaN|avr_loss=nan|No module named|No space left|Can't load/;
