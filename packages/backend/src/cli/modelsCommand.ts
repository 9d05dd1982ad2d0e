import type { CliCommand } from '@danlu/node-utils';
import { familyLabel, ModelFamilySchema } from '@danlu/params';

import { inspectModelPath, ModelReadError } from '../models/inspectModel.js';

/** `danlu model FILE [--family sd1|sd2|sdxl] [--json]`: what a model file is and whether it can be a base. */
export const modelCommand: CliCommand = {
  name: 'model',
  usage: 'FILE',
  summary: {
    'zh-CN': '检查模型文件：系列（SD1/SD2/SDXL…）、类型（底模/LoRA/VAE），能否作底模',
    en: 'Inspect a model file: family (SD1/SD2/SDXL…), kind (checkpoint/LoRA/VAE), usable as a base model',
  },
  options: {
    json: { type: 'boolean', description: { 'zh-CN': '输出 JSON', en: 'Print JSON' } },
    family: {
      type: 'string',
      valueName: 'sd1|sd2|sdxl',
      description: { 'zh-CN': '要配合的模型系列', en: 'The model family it must match' },
    },
  },
  async run({ values, positionals }, io) {
    const zh = io.language === 'zh-CN';
    const [file] = positionals;
    if (!file) {
      io.err(zh ? '用法：danlu model 文件' : 'Usage: danlu model FILE');
      return 2;
    }
    const family = ModelFamilySchema.safeParse(values['family']);
    if (values['family'] !== undefined && !family.success) {
      io.err(zh ? '--family 只能是 sd1、sd2 或 sdxl' : '--family must be sd1, sd2 or sdxl');
      return 2;
    }
    try {
      const r = await inspectModelPath(file, family.success ? family.data : undefined);
      if (values['json']) io.out(JSON.stringify(r, null, 2));
      else {
        const say = (t: { zh: string; en: string }) => (zh ? t.zh : t.en);
        io.out(`${familyLabel(r.family)} · ${r.kind} · ${r.format}`);
        for (const e of r.evidence) io.out(`  ${say(e)}`);
        for (const w of r.warnings) io.out(`  ! ${say(w)}`);
        if (r.error) io.err(say(r.error));
      }
      return r.usable ? 0 : 1;
    } catch (error) {
      if (!(error instanceof ModelReadError)) throw error;
      io.err(zh ? error.text.zh : error.text.en);
      return 1;
    }
  },
};
