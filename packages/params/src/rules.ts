import { defaultFor, getEntry } from './catalogue';
import { checkValues, parseResolution, resolveValues, type TrainingConfig } from './config';
import { STEP_RANGES } from './estimate/calculator';
import type { GpuInfo } from './estimate/gpu';
import { supportsBf16 } from './estimate/gpu';
import { estimateConfigSteps } from './estimate/index';
import { estimateVram } from './estimate/vram';
import type { ParamValue, Text } from './types';

export type Severity = 'error' | 'warning';

export interface RuleFix {
  /** Values to set; null returns a value to Danlu's default (removes it from the config). */
  patch: Record<string, ParamValue | null>;
  text: Text;
}

export interface RuleResult {
  id: string;
  /** error blocks the launch; warning needs a click. */
  severity: Severity;
  /** Catalogue ids the result is about (for pinning it to fields). */
  keys: string[];
  text: Text;
  fix?: RuleFix;
}

export interface RuleContext {
  gpu?: GpuInfo;
  /** Existence is the caller's business (the renderer cannot touch the disk). */
  pathExists?: (path: string) => boolean;
}

const ADAPTIVE = /^(dadapt|prodigy)/i;

function fix(patch: RuleFix['patch'], zh: string, en: string): RuleFix {
  return { patch, text: { zh, en } };
}

/**
 * The 防呆 checks over a whole configuration. Each result carries its zh/en text and, where a value
 * change repairs it, the patch to apply. Order: value errors first, then the rules in reading order.
 */
export function checkConfig(config: TrainingConfig, ctx: RuleContext = {}): RuleResult[] {
  const out: RuleResult[] = [];
  const add = (id: string, severity: Severity, keys: string[], zh: string, en: string, f?: RuleFix) =>
    out.push({ id, severity, keys, text: { zh, en }, ...(f ? { fix: f } : {}) });
  for (const issue of checkValues(config))
    add(`value.${issue.id}`, 'error', [issue.id], issue.message.zh, issue.message.en);
  if (out.length > 0) return out; // the rules below assume well-typed values

  const v = resolveValues(config);
  /** The user (or the preset) gave this option a value of its own — not a default, not "not set". */
  const explicit = (id: string) => config.values[id] !== undefined && config.values[id] !== null;
  /** Explicit and different from Danlu's default (a preset restating the default is no choice). */
  const ownValue = (id: string) => {
    const entry = getEntry(id);
    return (
      explicit(id) && (!entry || config.values[id] !== defaultFor(entry, config.family, config.trainingType))
    );
  };
  const num = (id: string) => {
    const x = v.get(id);
    return typeof x === 'number' ? x : undefined;
  };
  const on = (id: string) => v.get(id) === true;
  const str = (id: string) => {
    const x = v.get(id);
    return typeof x === 'string' ? x : undefined;
  };
  const anySubset = (id: string, pred: (x: ParamValue) => boolean) =>
    config.subsets.some((s) => {
      const x = s.overrides?.[id];
      return x !== undefined && pred(x);
    });
  const fam = config.family;
  const network = config.trainingType !== 'dreambooth';

  // ---- resolution and buckets -----------------------------------------------------------------------
  const [w, h] = parseResolution(v.get('resolution'));
  const round64 = (n: number) => Math.max(64, Math.round(n / 64) * 64);
  if (w % 64 !== 0 || h % 64 !== 0) {
    const sdxl32 = fam === 'sdxl' && w % 32 === 0 && h % 32 === 0;
    add(
      'resolution-multiple',
      sdxl32 ? 'warning' : 'error',
      ['resolution'],
      `分辨率 ${w}×${h} 不是 64 的倍数${sdxl32 ? '（SDXL 可用 32 的倍数，但 64 更稳妥）' : '，U-Net 需要能被 64 整除的尺寸'}。`,
      `Resolution ${w}×${h} is not a multiple of 64${sdxl32 ? ' (SDXL accepts 32, but 64 is safer)' : '; the U-Net needs sizes divisible by 64'}.`,
      fix(
        { resolution: `${round64(w)},${round64(h)}` },
        `改为 ${round64(w)},${round64(h)}`,
        `Use ${round64(w)},${round64(h)}`,
      ),
    );
  }
  const step = num('bucket_reso_steps') ?? 64;
  const stepDiv = fam === 'sdxl' ? 32 : 64;
  if (step % stepDiv !== 0)
    add(
      'bucket-step',
      'error',
      ['bucket_reso_steps'],
      `分桶步长 ${step} 必须能被 ${stepDiv} 整除${fam === 'sdxl' ? '' : '（SD1/SD2）'}，否则 kohya 断言失败。`,
      `Bucket step ${step} must be divisible by ${stepDiv}${fam === 'sdxl' ? '' : ' (SD1/SD2)'}, or kohya's assertion fails.`,
      fix({ bucket_reso_steps: 64 }, '改为 64', 'Use 64'),
    );
  if (on('enable_bucket')) {
    const minB = num('min_bucket_reso') ?? 256;
    const maxB = num('max_bucket_reso') ?? 1024;
    if (minB > Math.min(w, h))
      add(
        'bucket-min',
        'error',
        ['min_bucket_reso', 'resolution'],
        `最小桶边长 ${minB} 大于分辨率的短边 ${Math.min(w, h)}，kohya 会拒绝启动。`,
        `The smallest bucket side ${minB} exceeds the resolution's short side ${Math.min(w, h)}; kohya refuses to start.`,
        fix({ min_bucket_reso: 256 }, '改为 256', 'Use 256'),
      );
    if (maxB < Math.max(w, h))
      add(
        'bucket-max',
        'error',
        ['max_bucket_reso', 'resolution'],
        `最大桶边长 ${maxB} 小于分辨率的长边 ${Math.max(w, h)}，kohya 会拒绝启动。`,
        `The largest bucket side ${maxB} is below the resolution's long side ${Math.max(w, h)}; kohya refuses to start.`,
        fix(
          { max_bucket_reso: Math.max(w, h) * 2 },
          `改为 ${Math.max(w, h) * 2}`,
          `Use ${Math.max(w, h) * 2}`,
        ),
      );
  }

  if (on('enable_bucket')) {
    // kohya (train_util.adjust_min_max_bucket_reso_by_steps) rounds min down and max up to the step.
    const minB = num('min_bucket_reso') ?? 256;
    const maxB = num('max_bucket_reso') ?? 1024;
    if (step > 0 && (minB % step !== 0 || maxB % step !== 0)) {
      const minFix = minB - (minB % step);
      const maxFix = maxB % step === 0 ? maxB : maxB + step - (maxB % step);
      add(
        'bucket-reso-not-step-multiple',
        'warning',
        ['min_bucket_reso', 'max_bucket_reso', 'bucket_reso_steps'],
        `最小/最大桶边长（${minB} / ${maxB}）不是分桶步长 ${step} 的倍数，kohya 会自动改成 ${minFix} / ${maxFix}（最小向下、最大向上取整）。`,
        `The bucket sides (${minB} / ${maxB}) are not multiples of the bucket step ${step}; kohya changes them to ${minFix} / ${maxFix} (smallest rounded down, largest up).`,
        fix(
          { min_bucket_reso: minFix, max_bucket_reso: maxFix },
          `改为 ${minFix} / ${maxFix}`,
          `Use ${minFix} / ${maxFix}`,
        ),
      );
    }
    // kohya (BucketManager with no_upscale) skips make_buckets(): each image's bucket is its own size,
    // shrunk to the resolution's area when larger, then floored to the bucket step — never enlarged.
    if (on('bucket_no_upscale') && (ownValue('min_bucket_reso') || ownValue('max_bucket_reso')))
      add(
        'bucket-no-upscale-ignores-min-max',
        'warning',
        ['bucket_no_upscale', 'min_bucket_reso', 'max_bucket_reso'],
        '开启了“分桶不放大”，kohya 不再用最小/最大桶边长生成桶：每张图按自身尺寸分桶（面积超过训练分辨率时先等比缩小），再向下取整到分桶步长，小图不会放大，所以桶可能比最小桶边长还小。kohya 仍会检查最小边长 ≤ 分辨率短边、最大边长 ≥ 分辨率长边。',
        "With “no upscaling in buckets” on, kohya does not build buckets from the smallest/largest bucket sides: each image gets a bucket of its own size (shrunk first when its area exceeds the resolution's), floored to the bucket step; small images are never enlarged, so buckets may be smaller than the smallest side. kohya still checks smallest ≤ the resolution's short side and largest ≥ its long side.",
        fix(
          { bucket_no_upscale: false },
          '关闭“分桶不放大”，让最小/最大桶边长生效',
          'Turn “no upscaling” off so the bucket sides apply',
        ),
      );
  }

  // ---- resolution for the model family -------------------------------------------------------------
  if (fam === 'sdxl' && Math.max(w, h) < 768)
    add(
      'sdxl-low-resolution',
      'warning',
      ['resolution'],
      `SDXL 以 1024×1024 训练而成，用 ${w}×${h} 训练会让画面发糊、构图变差。除非显存实在不够，请用 1024,1024。`,
      `SDXL was trained at 1024×1024; training at ${w}×${h} gives blurry images and poor composition. Use 1024,1024 unless VRAM truly forbids it.`,
      fix({ resolution: '1024,1024' }, '改为 1024,1024', 'Use 1024,1024'),
    );
  if (fam === 'sd1' && Math.min(w, h) > 768)
    add(
      'sd1-high-resolution',
      'warning',
      ['resolution'],
      `SD1.x 底模以 512 训练，${w}×${h} 远超它的原生尺寸：显存和时间成倍增加，效果很少更好。通常 512,512，显存充足时 768,768。`,
      `SD1.x models were trained at 512; ${w}×${h} is far above that: VRAM and time multiply and results are rarely better. 512,512 is usual, 768,768 with VRAM to spare.`,
      fix({ resolution: '768,768' }, '改为 768,768', 'Use 768,768'),
    );

  // ---- network ---------------------------------------------------------------------------------------
  if (network) {
    const dim = num('network_dim') ?? 4;
    const alpha = num('network_alpha');
    if (alpha !== undefined && alpha > dim)
      add(
        'alpha-above-dim',
        'warning',
        ['network_alpha', 'network_dim'],
        `alpha（${alpha}）大于 dim（${dim}），相当于把学习率放大 ${(alpha / dim).toFixed(1)} 倍，容易过拟合或 loss 变 nan。通常取 dim 的一半。`,
        `Alpha (${alpha}) is above dim (${dim}), which scales the learning rate by ${(alpha / dim).toFixed(1)}× and invites overfitting or NaN. Half of dim is usual.`,
        fix({ network_alpha: dim / 2 }, `alpha 改为 ${dim / 2}`, `Set alpha to ${dim / 2}`),
      );
    const convDim = num('network_args.conv_dim');
    const convAlpha = num('network_args.conv_alpha');
    if (convDim !== undefined && convAlpha !== undefined && convDim > 0 && convAlpha > convDim)
      add(
        'conv-alpha-above-dim',
        'warning',
        ['network_args.conv_alpha', 'network_args.conv_dim'],
        `卷积 alpha（${convAlpha}）大于卷积维度（${convDim}），同样会放大学习率。`,
        `Conv alpha (${convAlpha}) is above the conv rank (${convDim}), which also amplifies the learning rate.`,
        fix({ 'network_args.conv_alpha': convDim / 2 }, `改为 ${convDim / 2}`, `Set it to ${convDim / 2}`),
      );
    if (config.trainingType === 'lycoris') {
      const algo = str('network_args.algo') ?? 'locon';
      const limit = algo === 'loha' ? 32 : 64;
      if (algo !== 'lokr' && (dim > limit || (convDim ?? 0) > limit))
        add(
          'lycoris-dim',
          'warning',
          ['network_dim', 'network_args.conv_dim'],
          `LyCORIS ${algo} 的维度超过 ${limit}：文件和显存大增，${algo === 'loha' ? 'LoHa 高维还容易 loss 变 nan' : '效果通常不会更好'}。建议 ${limit} 以内。`,
          `LyCORIS ${algo} rank above ${limit}: much bigger files and VRAM${algo === 'loha' ? ', and high-rank LoHa easily goes NaN' : ' and rarely better results'}. Stay at ${limit} or below.`,
          fix(
            { network_dim: Math.min(dim, limit), network_alpha: Math.min(dim, limit) / 2 },
            `维度改为 ${Math.min(dim, limit)}`,
            `Use rank ${Math.min(dim, limit)}`,
          ),
        );
    }
  }

  // ---- optimizer and learning rates -------------------------------------------------------------------
  const opt = str('optimizer_type') ?? 'AdamW';
  const lrKeys = network ? ['learning_rate', 'unet_lr', 'text_encoder_lr'] : ['learning_rate'];
  if (ADAPTIVE.test(opt)) {
    const off = lrKeys.filter((k) => {
      const x = num(k);
      return x !== undefined && x !== 0 && x !== 1;
    });
    if (off.length > 0)
      add(
        'adaptive-lr',
        'warning',
        off,
        `${opt} 会自己估计学习率，学习率应填 1（现在是 ${off.map((k) => `${k}=${String(num(k))}`).join(', ')}）。填小值会让它几乎学不动。`,
        `${opt} estimates the learning rate itself, so the LR should be 1 (now ${off.map((k) => `${k}=${String(num(k))}`).join(', ')}). Small values make it barely learn.`,
        fix(Object.fromEntries(off.map((k) => [k, 1])), '学习率都改为 1', 'Set the learning rates to 1'),
      );
    if (/^dadapt/i.test(opt) && str('lr_scheduler') !== 'constant')
      add(
        'dadapt-scheduler',
        'warning',
        ['lr_scheduler'],
        'DAdaptation 系列应配合 constant 调度器，其他调度器会干扰它的学习率估计。',
        'The DAdaptation optimizers want the constant scheduler; others interfere with their LR estimate.',
        fix(
          { lr_scheduler: 'constant', lr_warmup_steps: 0 },
          '改为 constant、无预热',
          'Use constant with no warm-up',
        ),
      );
    if (num('network_args.loraplus_lr_ratio') !== undefined)
      add(
        'adaptive-loraplus',
        'warning',
        ['network_args.loraplus_lr_ratio'],
        'LoRA+ 不能与 DAdaptation/Prodigy 同用。',
        'LoRA+ cannot be combined with DAdaptation or Prodigy.',
        fix({ 'network_args.loraplus_lr_ratio': null }, '去掉 LoRA+ 倍数', 'Remove the LoRA+ ratio'),
      );
  }
  if (/lion/i.test(opt)) {
    const high = lrKeys.filter((k) => (num(k) ?? 0) > 5e-5);
    if (high.length > 0)
      add(
        'lion-lr',
        'warning',
        high,
        'Lion 的学习率应约为 AdamW 的 1/10（LoRA 常用 1e-5 左右），照搬 AdamW 的值很容易炸。',
        'Lion wants about a tenth of the AdamW learning rate (around 1e-5 for LoRA); AdamW values make it blow up.',
        fix(
          Object.fromEntries(high.map((k) => [k, (num(k) ?? 0) / 10])),
          '学习率除以 10',
          'Divide the learning rates by 10',
        ),
      );
  }
  if (
    network &&
    explicit('learning_rate') &&
    explicit('unet_lr') &&
    config.values.learning_rate !== config.values.unet_lr
  )
    add(
      'lr-overridden',
      'warning',
      ['learning_rate', 'unet_lr', 'text_encoder_lr'],
      '设置了 U-Net / 文本编码器学习率后，总学习率不再起作用。',
      'With U-Net / text-encoder learning rates set, the base learning rate no longer applies.',
    );
  if (network && on('network_train_unet_only') && explicit('text_encoder_lr'))
    add(
      'te-lr-unet-only',
      'warning',
      ['text_encoder_lr', 'network_train_unet_only'],
      '已选择只训练 U-Net，文本编码器学习率不会生效。',
      'Only the U-Net is trained, so the text-encoder learning rate has no effect.',
      fix({ text_encoder_lr: null }, '清除文本编码器学习率', 'Clear the text-encoder learning rate'),
    );
  const unetLr = num('unet_lr') ?? num('learning_rate');
  const teLr = num('text_encoder_lr') ?? num('learning_rate');
  if (
    network &&
    !ADAPTIVE.test(opt) &&
    !on('network_train_unet_only') &&
    unetLr !== undefined &&
    teLr !== undefined &&
    unetLr > 0 &&
    teLr > unetLr
  )
    add(
      'te-lr-above-unet',
      'warning',
      ['text_encoder_lr', 'unet_lr'],
      `文本编码器学习率（${teLr}）高于 U-Net（${unetLr}）。文本编码器很敏感，学得太猛会破坏提示词理解；一般取 U-Net 的 1/2 到 1/10。`,
      `The text-encoder learning rate (${teLr}) is above the U-Net's (${unetLr}). The text encoder is sensitive and breaks prompt understanding when pushed; half to a tenth of the U-Net rate is usual.`,
      fix({ text_encoder_lr: unetLr / 2 }, `改为 ${unetLr / 2}`, `Use ${unetLr / 2}`),
    );
  if (network && !ADAPTIVE.test(opt) && !/lion/i.test(opt) && (unetLr ?? 0) > 5e-4)
    add(
      'unet-lr-high',
      'warning',
      ['unet_lr', 'learning_rate'],
      `U-Net 学习率 ${String(unetLr)} 比常用的 1e-4 高出许多，很容易过拟合或 loss 变 nan。`,
      `A U-Net learning rate of ${String(unetLr)} is far above the usual 1e-4 and easily overfits or turns the loss NaN.`,
      fix({ unet_lr: 0.0001 }, '改为 1e-4', 'Use 1e-4'),
    );
  if (!network && (num('learning_rate') ?? 0) > 1e-5 && !ADAPTIVE.test(opt))
    add(
      'db-lr-high',
      'warning',
      ['learning_rate'],
      `DreamBooth 全量微调的学习率 ${String(num('learning_rate'))} 偏高，通常 1e-6 左右，过高会毁掉底模。`,
      `Learning rate ${String(num('learning_rate'))} is high for a full DreamBooth fine-tune; about 1e-6 is usual, more wrecks the base model.`,
      fix({ learning_rate: 1e-6 }, '改为 1e-6', 'Use 1e-6'),
    );

  // ---- scheduler --------------------------------------------------------------------------------------
  const sched = str('lr_scheduler') ?? 'constant';
  if (sched === 'cosine_with_restarts' && (num('lr_scheduler_num_cycles') ?? 1) <= 1)
    add(
      'restarts-without-cycles',
      'warning',
      ['lr_scheduler_num_cycles'],
      'cosine_with_restarts 只有 1 个周期时与普通 cosine 一样，建议 3–5 次重启。',
      'cosine_with_restarts with a single cycle is plain cosine; use 3–5 restarts.',
      fix({ lr_scheduler_num_cycles: 3 }, '改为 3 次', 'Use 3 cycles'),
    );
  if ((sched === 'constant' || sched === 'adafactor') && (num('lr_warmup_steps') ?? 0) > 0)
    add(
      'warmup-on-constant',
      'error',
      ['lr_warmup_steps', 'lr_scheduler'],
      `${sched} 调度器不接受预热，kohya 会报错退出。请把预热设为 0，或改用 constant_with_warmup。`,
      `The ${sched} scheduler takes no warm-up and kohya exits with an error. Set warm-up to 0 or use constant_with_warmup.`,
      fix({ lr_warmup_steps: 0 }, '预热设为 0', 'Set warm-up to 0'),
    );

  // ---- SDXL text-encoder caching ---------------------------------------------------------------------
  const teCache =
    fam === 'sdxl' && (on('cache_text_encoder_outputs') || on('cache_text_encoder_outputs_to_disk'));
  if (teCache && network && !on('network_train_unet_only'))
    add(
      'te-cache-needs-unet-only',
      'error',
      ['cache_text_encoder_outputs', 'network_train_unet_only'],
      '缓存文本编码器输出时不能训练文本编码器，必须开启 “只训练 U-Net”。',
      'With cached text-encoder outputs the text encoder cannot be trained: turn on “train U-Net only”.',
      fix({ network_train_unet_only: true }, '开启只训练 U-Net', 'Train the U-Net only'),
    );
  if (teCache) {
    const randomised = [
      on('shuffle_caption') || anySubset('shuffle_caption', (x) => x === true) ? 'shuffle_caption' : '',
      (num('caption_dropout_rate') ?? 0) > 0 ? 'caption_dropout_rate' : '',
      (num('caption_tag_dropout_rate') ?? 0) > 0 ? 'caption_tag_dropout_rate' : '',
      (num('token_warmup_step') ?? 0) > 0 ? 'token_warmup_step' : '',
    ].filter(Boolean);
    if (randomised.length > 0)
      add(
        'te-cache-caption-random',
        'error',
        randomised,
        `缓存文本编码器输出时标注必须固定，不能使用 ${randomised.join('、')}。`,
        `Cached text-encoder outputs need fixed captions; ${randomised.join(', ')} cannot be used.`,
        fix(
          {
            shuffle_caption: false,
            caption_dropout_rate: null,
            caption_tag_dropout_rate: null,
            token_warmup_step: null,
          },
          '关闭打乱与丢弃',
          'Turn shuffling and dropout off',
        ),
      );
  }

  // ---- augmentation -----------------------------------------------------------------------------------
  if (on('cache_latents') || on('cache_latents_to_disk')) {
    const augs = ['color_aug', 'random_crop'].filter((k) => on(k) || anySubset(k, (x) => x === true));
    if (augs.length > 0)
      add(
        'aug-vs-cached-latents',
        'error',
        [...augs, 'cache_latents'],
        `缓存 latent 时不能使用 ${augs.join('、')}，kohya 会断言失败。`,
        `${augs.join(' and ')} cannot be used with cached latents; kohya's assertion fails.`,
        fix(Object.fromEntries(augs.map((k) => [k, false])), '关闭这些增强', 'Turn these augmentations off'),
      );
  }
  if ((on('flip_aug') || anySubset('flip_aug', (x) => x === true)) && config.kind !== 'style')
    add(
      'flip-aug-asymmetric',
      'warning',
      ['flip_aug'],
      '水平翻转会把左右不对称的特征（偏分刘海、单侧饰品、文字）学乱。确认主体左右对称再开启。',
      'Flipping mixes up asymmetric features (side fringe, one-sided accessories, text). Only keep it for symmetric subjects.',
      fix({ flip_aug: false }, '关闭水平翻转', 'Turn flipping off'),
    );

  // ---- precision --------------------------------------------------------------------------------------
  const mp = str('mixed_precision') ?? 'no';
  const bf16 = ctx.gpu ? supportsBf16(ctx.gpu) : undefined;
  if (bf16 === false && (mp === 'bf16' || on('full_bf16') || str('save_precision') === 'bf16'))
    add(
      'bf16-unsupported',
      'error',
      ['mixed_precision', 'full_bf16', 'save_precision'],
      `这张显卡（${ctx.gpu?.name ?? '未知'}）不支持 bf16，需要 RTX 30 系或更新的显卡。请改用 fp16。`,
      `This GPU (${ctx.gpu?.name ?? 'unknown'}) has no bf16; that needs an RTX 30-series or newer. Use fp16.`,
      fix({ mixed_precision: 'fp16', full_bf16: false, save_precision: 'fp16' }, '改为 fp16', 'Use fp16'),
    );
  if (bf16 === true && fam === 'sdxl' && mp === 'fp16' && !on('no_half_vae'))
    add(
      'sdxl-fp16-vae',
      'warning',
      ['mixed_precision', 'no_half_vae'],
      'SDXL 在 fp16 下 VAE 容易溢出（loss 变 nan）。这张卡支持 bf16，建议改用 bf16 或开启 “VAE 保持 fp32”。',
      'The SDXL VAE overflows easily in fp16 (NaN loss). This card supports bf16: switch to it or keep the VAE in fp32.',
      fix({ mixed_precision: 'bf16' }, '改为 bf16', 'Use bf16'),
    );
  if (mp === 'no')
    add(
      'no-mixed-precision',
      'warning',
      ['mixed_precision'],
      '未使用混合精度：训练会慢很多，显存占用也大得多。',
      'No mixed precision: training is much slower and uses far more VRAM.',
      fix({ mixed_precision: bf16 === true ? 'bf16' : 'fp16' }, '开启混合精度', 'Use mixed precision'),
    );
  if (on('full_fp16') && mp !== 'fp16')
    add(
      'full-fp16-needs-fp16',
      'error',
      ['full_fp16', 'mixed_precision'],
      '“完全 fp16” 必须搭配混合精度 fp16，否则 kohya 直接报错。',
      '“Full fp16” requires fp16 mixed precision; kohya stops otherwise.',
      fix({ mixed_precision: 'fp16' }, '混合精度改为 fp16', 'Use fp16 mixed precision'),
    );
  if (on('full_bf16') && mp !== 'bf16')
    add(
      'full-bf16-needs-bf16',
      'error',
      ['full_bf16', 'mixed_precision'],
      '“完全 bf16” 必须搭配混合精度 bf16。',
      '“Full bf16” requires bf16 mixed precision.',
      fix({ mixed_precision: 'bf16' }, '混合精度改为 bf16', 'Use bf16 mixed precision'),
    );
  if ((on('fp8_base') || on('fp8_base_unet')) && mp === 'no')
    add(
      'fp8-needs-mixed',
      'error',
      ['fp8_base', 'mixed_precision'],
      'fp8 底模需要 fp16 或 bf16 混合精度。',
      'An fp8 base model needs fp16 or bf16 mixed precision.',
      fix({ mixed_precision: 'fp16' }, '改为 fp16', 'Use fp16'),
    );
  if (on('xformers') && on('sdpa'))
    add(
      'two-attention-backends',
      'warning',
      ['xformers', 'sdpa'],
      '同时开启了 xformers 和 SDPA，只需要其中一个。',
      'Both xformers and SDPA are on; one is enough.',
      fix({ xformers: false }, '关闭 xformers', 'Turn xformers off'),
    );

  // ---- SD2 / SDXL specifics and noise ------------------------------------------------------------------
  if (explicit('clip_skip') && fam !== 'sd1')
    add(
      'clip-skip-ignored',
      'warning',
      ['clip_skip'],
      fam === 'sdxl'
        ? 'SDXL 训练中 clip_skip 不起作用（kohya 会警告），请去掉。'
        : 'SD2 搭配 clip_skip 的结果不可预期，建议去掉。',
      fam === 'sdxl'
        ? 'clip_skip does nothing in SDXL training (kohya warns); remove it.'
        : 'clip_skip with SD2 gives unexpected results; remove it.',
      fix({ clip_skip: null }, '去掉 clip_skip', 'Remove clip_skip'),
    );
  if (num('adaptive_noise_scale') !== undefined && num('noise_offset') === undefined)
    add(
      'adaptive-noise-needs-offset',
      'error',
      ['adaptive_noise_scale', 'noise_offset'],
      '自适应噪声缩放需要同时设置噪声偏移。',
      'Adaptive noise scale requires a noise offset.',
      fix({ adaptive_noise_scale: null }, '去掉自适应噪声缩放', 'Remove the adaptive noise scale'),
    );
  if (on('scale_v_pred_loss_like_noise_pred') && !on('v_parameterization'))
    add(
      'scale-vpred-needs-vpred',
      'error',
      ['scale_v_pred_loss_like_noise_pred'],
      '“v-pred loss 按噪声预测缩放” 只能在 v-prediction 模型上使用。',
      'Scaling the v-pred loss only works with v-prediction on.',
      fix({ scale_v_pred_loss_like_noise_pred: false }, '关闭', 'Turn it off'),
    );
  if (num('v_pred_like_loss') !== undefined && on('v_parameterization'))
    add(
      'vpred-like-with-vpred',
      'error',
      ['v_pred_like_loss'],
      '类 v-pred 附加 loss 不能与 v-prediction 同时使用。',
      'The v-pred-like loss cannot be combined with v-prediction.',
      fix({ v_pred_like_loss: null }, '去掉', 'Remove it'),
    );

  // ---- training length --------------------------------------------------------------------------------
  // kohya: max_train_epochs, when given, replaces max_train_steps; with neither it trains 1600 steps.
  if (num('max_train_epochs') !== undefined && explicit('max_train_steps'))
    add(
      'steps-overridden-by-epochs',
      'warning',
      ['max_train_steps', 'max_train_epochs'],
      '同时设置了训练轮数和最大步数：kohya 以轮数为准，最大步数不起作用。想按步数训练，请把轮数设为“未设置”。',
      'Both epochs and max steps are set: kohya goes by the epochs and ignores max steps. To train by steps, set epochs to “not set”.',
      fix({ max_train_epochs: null }, '轮数改为未设置', 'Set epochs to not set'),
    );
  if (num('max_train_epochs') === undefined && num('max_train_steps') === undefined)
    add(
      'length-unset',
      'warning',
      ['max_train_epochs', 'max_train_steps'],
      '训练轮数和最大步数都未设置，kohya 会按默认的 1600 步训练，与数据集大小无关。',
      'Neither epochs nor max steps is set, so kohya trains its default 1600 steps whatever the dataset size.',
      fix({ max_train_epochs: 10 }, '设为 10 轮', 'Use 10 epochs'),
    );

  // ---- saving and sampling ----------------------------------------------------------------------------
  const epochs = num('max_train_epochs');
  const every = num('save_every_n_epochs');
  if (epochs !== undefined && every !== undefined && every > epochs)
    add(
      'save-every-beyond-epochs',
      'warning',
      ['save_every_n_epochs', 'max_train_epochs'],
      `每 ${every} 轮保存一次，但总共只有 ${epochs} 轮：除最终文件外不会有中间结果可挑。`,
      `Saving every ${every} epochs with only ${epochs} epochs in total leaves no intermediate files to choose from.`,
      fix(
        { save_every_n_epochs: Math.max(1, Math.round(epochs / 5)) },
        '按总轮数调整',
        'Match it to the epoch count',
      ),
    );
  const sampling =
    num('sample_every_n_epochs') !== undefined ||
    num('sample_every_n_steps') !== undefined ||
    on('sample_at_first');
  if (sampling && !str('sample_prompts'))
    add(
      'sampling-without-prompts',
      'error',
      ['sample_prompts'],
      '开启了预览图却没有提示词文件，kohya 会在第一次出图时崩溃。',
      'Sampling is on but there is no prompt file; kohya crashes at the first preview.',
      fix(
        { sample_every_n_epochs: null, sample_every_n_steps: null, sample_at_first: false },
        '关闭预览图',
        'Turn sampling off',
      ),
    );

  // ---- required paths ---------------------------------------------------------------------------------
  if (!str('pretrained_model_name_or_path'))
    add('model-missing', 'error', ['pretrained_model_name_or_path'], '请选择底模。', 'Choose a base model.');
  if (!str('output_dir'))
    add('output-missing', 'error', ['output_dir'], '请选择输出文件夹。', 'Choose an output folder.');
  if (config.subsets.filter((s) => !s.isReg).length === 0 && !str('train_data_dir'))
    add(
      'dataset-missing',
      'error',
      ['train_data_dir'],
      '请添加训练图片文件夹。',
      'Add a training image folder.',
    );
  if (ctx.pathExists) {
    const paths: Array<[string, string]> = [];
    for (const id of [
      'pretrained_model_name_or_path',
      'vae',
      'network_weights',
      'resume',
      'sample_prompts',
      'train_data_dir',
      'reg_data_dir',
    ]) {
      const p = str(id);
      if (p) paths.push([id, p]);
    }
    config.subsets.forEach((s, i) => paths.push([`subsets.${i}.imageDir`, s.imageDir]));
    for (const [id, p] of paths)
      if (!ctx.pathExists(p))
        add(`path-missing.${id}`, 'error', [id], `路径不存在：${p}`, `Path does not exist: ${p}`);
  }

  // ---- steps and memory -------------------------------------------------------------------------------
  if (config.subsets.some((s) => (s.imageCount ?? 0) > 0)) {
    const steps = estimateConfigSteps(config);
    const range = STEP_RANGES[config.kind ?? 'character'];
    if (network && (steps.totalSteps < range.min * 0.6 || steps.totalSteps > range.max * 1.5)) {
      const target = Math.max(1, Math.round(range.target / Math.max(1, steps.stepsPerEpoch)));
      add(
        'steps-out-of-range',
        'warning',
        ['max_train_epochs', 'max_train_steps', 'train_batch_size'],
        `总步数 ${steps.totalSteps} 远离推荐的 ${range.min}–${range.max} 步：${steps.totalSteps < range.min ? '可能学不像' : '容易过拟合且浪费时间'}。`,
        `${steps.totalSteps} total steps is far from the recommended ${range.min}–${range.max}: ${steps.totalSteps < range.min ? 'the LoRA may not learn the subject' : 'it will likely overfit and waste time'}.`,
        num('max_train_epochs') === undefined
          ? fix({ max_train_steps: range.target }, `步数改为 ${range.target}`, `Use ${range.target} steps`)
          : fix({ max_train_epochs: target }, `轮数改为 ${target}`, `Use ${target} epochs`),
      );
    }
  }
  if (ctx.gpu) {
    if (!network && ctx.gpu.vramGb < 12)
      add(
        'dreambooth-low-vram',
        'warning',
        [],
        `DreamBooth 全量微调至少需要约 12 GB 显存，这张卡只有 ${ctx.gpu.vramGb} GB。建议改训 LoRA，或租用在线显卡。`,
        `A full DreamBooth fine-tune needs about 12 GB of VRAM and this card has ${ctx.gpu.vramGb} GB. Train a LoRA instead, or rent a cloud GPU.`,
      );
    const vram = estimateVram(config, ctx.gpu);
    if (vram.fit === 'will-not-fit') {
      const first = vram.suggestions[0];
      const patch = Object.assign({}, ...vram.suggestions.map((s) => s.patch)) as Record<string, ParamValue>;
      add(
        'vram-will-not-fit',
        'warning',
        vram.suggestions.flatMap((s) => Object.keys(s.patch)),
        `预计需要约 ${vram.peakGb.toFixed(1)} GB 显存，超过显卡的 ${ctx.gpu.vramGb} GB。`,
        `About ${vram.peakGb.toFixed(1)} GB of VRAM is needed, more than the card's ${ctx.gpu.vramGb} GB.`,
        first
          ? fix(
              patch,
              vram.suggestions.map((s) => s.text.zh).join('，'),
              vram.suggestions.map((s) => s.text.en).join(', '),
            )
          : undefined,
      );
    }
  }
  return out;
}

/** Whether any result blocks the launch. */
export function hasErrors(results: RuleResult[]): boolean {
  return results.some((r) => r.severity === 'error');
}
