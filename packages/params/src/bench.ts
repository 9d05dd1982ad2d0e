import type { TrainingConfig } from './config';
import { estimateAll } from './estimate/index';
import { exportKohya } from './export';
import { checkConfig } from './rules';

export interface BenchResult {
  area: string;
  measure: string;
  value: number;
  unit: string;
  target?: string;
  pass?: boolean;
}

/** A full, realistic configuration: SDXL LoCon with reg images and bucket info. */
function benchConfig(): TrainingConfig {
  return {
    family: 'sdxl',
    trainingType: 'lycoris',
    kind: 'character',
    values: {
      pretrained_model_name_or_path: 'D:\\models\\sdxl.safetensors',
      output_dir: 'D:\\out',
      network_dim: 32,
      network_alpha: 16,
      'network_args.algo': 'locon',
      'network_args.conv_dim': 8,
      'network_args.conv_alpha': 4,
      optimizer_type: 'Prodigy',
      learning_rate: 1,
      unet_lr: 1,
      'optimizer_args.d_coef': 2,
      max_train_epochs: 10,
      sample_every_n_epochs: 1,
      sample_prompts: 'D:\\prompts.txt',
    },
    subsets: [
      {
        imageDir: 'D:\\data\\char',
        numRepeats: 10,
        imageCount: 120,
        buckets: [
          { width: 1024, height: 1024, count: 60 },
          { width: 896, height: 1152, count: 40 },
          { width: 1152, height: 896, count: 20 },
        ],
      },
      { imageDir: 'D:\\data\\reg', numRepeats: 1, isReg: true, imageCount: 400 },
    ],
  };
}

/** Validating + estimating a full configuration must stay under 5 ms (issue 5, Performance). */
export function benchParams(): Promise<BenchResult[]> {
  const config = benchConfig();
  const gpu = { vramGb: 12, name: 'NVIDIA GeForce RTX 3060' };
  const run = () => {
    checkConfig(config, { gpu, pathExists: () => true });
    estimateAll(config, gpu);
  };
  for (let i = 0; i < 20; i++) run(); // warm-up
  const rounds = 200;
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(rounds / 2)] ?? 0;
  const p95 = times[Math.floor(rounds * 0.95)] ?? 0;
  const t0 = performance.now();
  for (let i = 0; i < 50; i++) exportKohya(config);
  const exportMs = (performance.now() - t0) / 50;
  const r = (n: number) => Math.round(n * 1000) / 1000;
  return Promise.resolve([
    {
      area: 'params',
      measure: 'validate + estimate (median)',
      value: r(median),
      unit: 'ms',
      target: '< 5 ms',
      pass: median < 5,
    },
    {
      area: 'params',
      measure: 'validate + estimate (p95)',
      value: r(p95),
      unit: 'ms',
      target: '< 5 ms',
      pass: p95 < 5,
    },
    { area: 'params', measure: 'export config + dataset TOML', value: r(exportMs), unit: 'ms' },
  ]);
}
