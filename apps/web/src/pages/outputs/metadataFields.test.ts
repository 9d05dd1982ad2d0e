import { describe, expect, it } from 'vitest';

import { filterMetadata, keyFields } from './metadataFields.js';

describe('model metadata fields', () => {
  it('reads the key facts from ss_* keys and leaves out what is missing', () => {
    const fields = keyFields({
      ss_sd_model_name: 'D:\\模型\\v1-5-pruned.safetensors',
      ss_network_module: 'networks.lora',
      ss_network_dim: '16',
      ss_network_alpha: '8',
      ss_epoch: '2',
      ss_num_epochs: '3',
      ss_output_name: '角色 lora',
      ss_unet_lr: 'None',
    });
    expect(Object.fromEntries(fields.map((f) => [f.id, f.value]))).toEqual({
      baseModel: 'v1-5-pruned.safetensors',
      network: 'networks.lora',
      dimAlpha: '16 / 8',
      epochs: '2 / 3',
      outputName: '角色 lora',
    });
  });

  it('lists ss_* keys first and filters by key or value', () => {
    const all = filterMetadata({ 'modelspec.title': 'x', ss_b: 'two', ss_a: 'one' }, '');
    expect(all.map(([k]) => k)).toEqual(['ss_a', 'ss_b', 'modelspec.title']);
    expect(filterMetadata({ ss_a: 'one', ss_b: 'Two' }, 'two').map(([k]) => k)).toEqual(['ss_b']);
  });

  it("shows kohya's escaped JSON with the user's characters, and searches them", () => {
    const dirs = '{"2_\\u89d2\\u8272 alice": {"n_repeats": 2}}';
    expect(filterMetadata({ ss_dataset_dirs: dirs }, '角色')).toEqual([
      ['ss_dataset_dirs', '{"2_角色 alice":{"n_repeats":2}}'],
    ]);
    expect(filterMetadata({ ss_x: '{not json' }, '')).toEqual([['ss_x', '{not json']]);
  });
});
