import type { MethodName } from '@danlu/contracts';
import { describe, expect, it } from 'vitest';

import type { ApiClient, UiResult } from '../bridge/types.js';
import { createWizardStore } from './wizardStore.js';

/** A client that answers from a table and records what was asked. */
function fakeClient(answers: Partial<Record<MethodName, (input: unknown) => UiResult<unknown>>>) {
  const calls: Array<[string, unknown]> = [];
  const client = {
    call(method: MethodName, input: unknown) {
      calls.push([method, input]);
      const answer = answers[method];
      return Promise.resolve(
        answer ? answer(input) : { ok: false, error: { code: 'internal', message: 'no' } },
      );
    },
  } as unknown as ApiClient;
  return { client, calls };
}

const inspection = (family: string, usable: boolean) => ({
  ok: true as const,
  data: {
    family,
    usable,
    kind: usable ? 'checkpoint' : 'lora',
    evidence: [],
    warnings: [],
    error: null,
    switchTo: null,
  },
});

describe('the wizard store', () => {
  it('takes the family from a usable base model, not from a LoRA', async () => {
    const { client } = fakeClient({ 'models.inspect': () => inspection('sdxl', true) });
    const s = createWizardStore(client);
    s.getState().setModelPath(' D:\\模型\\xl base.safetensors ');
    await s.getState().inspectModel();
    expect(s.getState().family).toBe('sdxl');
    expect(s.getState().model.status).toBe('done');

    const lora = createWizardStore(fakeClient({ 'models.inspect': () => inspection('sdxl', false) }).client);
    lora.getState().setModelPath('x.safetensors');
    await lora.getState().inspectModel();
    expect(lora.getState().family).toBe('sd1');
  });

  it('scans the dataset: image count from kohya folders, thumbnails, and a failed scan is shown', async () => {
    const { client, calls } = fakeClient({
      'dataset.scan': () => ({
        ok: true,
        data: {
          summary: { usable: 3 },
          subsets: [
            {
              dir: 'D:\\d\\10_a',
              relDir: '10_a',
              imageCount: 3,
              numRepeats: 10,
              fromFolderName: true,
              isReg: false,
            },
          ],
          images: [{ path: 'D:\\d\\10_a\\1.png' }],
        },
      }),
      'dataset.check': () => ({ ok: true, data: { findings: [] } }),
      'dataset.thumbnail': () => ({
        ok: true,
        data: { dataUrl: 'data:image/webp;base64,AA', width: 1, height: 1 },
      }),
    });
    const s = createWizardStore(client);
    s.getState().setDatasetDir('D:\\d');
    await s.getState().scanDataset();
    expect(s.getState().imageCount).toBe(3);
    expect(s.getState().subsets).toHaveLength(1);
    expect(s.getState().thumbnails['D:\\d\\10_a\\1.png']).toMatch(/^data:image/);
    expect(calls.map((c) => c[0])).toEqual(['dataset.scan', 'dataset.check', 'dataset.thumbnail']);

    const failing = createWizardStore(fakeClient({}).client);
    failing.getState().setDatasetDir('D:\\none');
    await failing.getState().scanDataset();
    expect(failing.getState().dataset.status).toBe('failed');
  });

  it('keeps steps in range, drops accepted fixes of a knob the user changes again, and starts over', () => {
    const s = createWizardStore(fakeClient({}).client);
    s.getState().setStep(9);
    expect(s.getState().step).toBe(4);
    s.getState().applyFix({ max_train_epochs: 12, resolution: '512,512' });
    s.getState().setKnob('epochs', 15);
    expect(s.getState().patch).toEqual({ resolution: '512,512' });
    expect(s.getState().epochs).toBe(15);
    s.getState().reset();
    expect(s.getState()).toMatchObject({ step: 0, epochs: null, patch: {} });
  });
});
