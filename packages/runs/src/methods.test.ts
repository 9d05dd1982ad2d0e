import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { makeTempDir } from '@danlu/node-utils/testing';
import type { TrainingConfig } from '@danlu/params';

import type { RunEngine } from './record.js';
import { safeEntryPath } from './scene.js';
import { RunService } from './service.js';
import { makeMiniEngine } from './testing/miniEngine.js';

let dir: string;
let cleanup: () => Promise<void>;
let engine: RunEngine;
let resourcesDir: string;
let config: TrainingConfig;
let service: RunService;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('runs-methods'));
  ({ engine, resourcesDir } = await makeMiniEngine(dir));
  const images = join(dir, '数据 集');
  await mkdir(images, { recursive: true });
  await writeFile(join(images, 'a.png'), 'x');
  await writeFile(join(images, 'a.txt'), '1girl, 微笑');
  await writeFile(join(dir, 'model.safetensors'), 'x');
  config = {
    family: 'sd1',
    trainingType: 'lora',
    values: { pretrained_model_name_or_path: join(dir, 'model.safetensors'), output_name: 'out' },
    subsets: [{ imageDir: images, numRepeats: 1, captionExtension: '.txt' }],
  };
  service = await RunService.open({
    runsDir: join(dir, 'data', 'runs'),
    exportsDir: join(dir, 'data', 'exports'),
    resourcesDir,
    resolveEngine: () =>
      Promise.resolve({ ...engine, env: { ...engine.env, MINI_STATE: '1', MINI_STEP_SECONDS: '0.01' } }),
    pollMs: 30,
  });
});

afterEach(async () => {
  await service.dispose();
  await cleanup();
});

describe('a finished run', () => {
  it('serves images and metadata from inside its folder only, exports and imports its scene, continues', async () => {
    const created = await service.create({ config, samplePrompts: ['a cat'] });
    await service.waitFor(created.id, 15_000);
    const detail = await service.get(created.id);
    const sample = detail.samples[0]?.file ?? '';
    expect(sample).toMatch(/^output\/sample\//);

    const thumb = await service.image(created.id, sample, 'thumb');
    expect(thumb.dataUrl).toMatch(/^data:image\/webp;base64,/);
    expect([thumb.width, thumb.height]).toEqual([8, 6]);
    const full = await service.image(created.id, sample.replace(/\//g, '\\'), 'full');
    expect(full.dataUrl).toMatch(/^data:image\/png;base64,/);

    for (const evil of ['../../etc/passwd.png', '/etc/passwd.png', 'output/../../x.png', 'C:\\x.png']) {
      await expect(service.image(created.id, evil)).rejects.toThrow(/inside the run folder/);
    }
    // a symlink pointing out of the folder is refused too
    await writeFile(join(dir, 'outside.png'), 'x');
    await symlink(join(dir, 'outside.png'), join(detail.runDir, 'output', 'sample', 'link.png'));
    await expect(service.image(created.id, 'output/sample/link.png')).rejects.toThrow(
      /inside the run folder/,
    );

    const meta = await service.modelMetadata(created.id, 'output/out.safetensors');
    expect(meta.metadata['ss_output_name']).toBe('out');
    expect(meta.tagFrequency).toEqual([
      { tag: 'cat', count: 2 },
      { tag: 'dog', count: 1 },
    ]);

    const scene = await service.exportScene(created.id);
    expect(scene.file.endsWith('.danlu-scene.zip')).toBe(true);
    expect(scene.sizeBytes).toBeGreaterThan(0);
    const imported = await service.importScene(scene.file);
    expect(imported.id).not.toBe(created.id);
    expect(imported.state).toBe('completed');
    const copy = await service.get(imported.id);
    expect(copy.saves.map((s) => s.name).sort()).toEqual(['out-step00000002.safetensors', 'out.safetensors']);
    expect((await service.metrics(imported.id)).total).toBe(6);
    expect((await service.log(imported.id)).lines).toContain('model saved.');
    // the state folder stays out of the archive (gigabytes in real runs)
    expect(await readdir(join(copy.runDir, 'output'))).not.toContain('out-step00000002-state');

    const resumed = await service.continueRun({ id: created.id, mode: 'resume_state', extraEpochs: 2 });
    expect(resumed.continuesFrom).toBe(created.id);
    const resumedDetail = await service.get(resumed.id);
    expect(resumedDetail.configToml).toContain(
      `resume = "${join(detail.runDir, 'output', 'out-step00000002-state')}"`,
    );
    expect(resumedDetail.configToml).toContain('max_train_epochs = 12');
    await service.waitFor(resumed.id, 15_000);

    const more = await service.continueRun({ id: created.id, mode: 'from_weights', extraEpochs: 3 });
    const moreDetail = await service.get(more.id);
    expect(moreDetail.configToml).toContain(
      `network_weights = "${join(detail.runDir, 'output', 'out.safetensors')}"`,
    );
    expect(moreDetail.configToml).toContain('max_train_epochs = 3');
    await service.waitFor(more.id, 15_000);
  });
});

describe('the queue', () => {
  it('edits, reorders and removes waiting runs; a paused run waits', async () => {
    const held = await service.create({ config, start: false });
    const other = await service.create({ config, start: false, name: 'second' });
    expect(service.list().map((r) => r.queuePosition)).toEqual([0, 1]);
    const reordered = await service.reorder([other.id]);
    expect(reordered.find((r) => r.id === other.id)?.queuePosition).toBe(0);
    const edited = await service.update(held.id, {
      name: '新名字',
      config: { ...config, values: { ...config.values, network_dim: 4 } },
    });
    expect(edited.name).toBe('新名字');
    expect((await service.get(held.id)).configToml).toContain('network_dim = 4');
    await expect(service.update(held.id, { config: { family: 'sd9' } })).rejects.toThrow(/malformed/);
    await service.remove(other.id, true);
    expect(service.list().map((r) => r.id)).toEqual([held.id]);
    const stopped = await service.stop(held.id);
    expect(stopped.state).toBe('stopped');
    expect(stopped.queuePosition).toBeNull();
  });
});

describe('scene archives', () => {
  it('refuse entry names that leave the folder', () => {
    expect(safeEntryPath('output/a.png')).toEqual(['output', 'a.png']);
    expect(safeEntryPath('../a')).toBeNull();
    expect(safeEntryPath('/etc/x')).toBeNull();
    expect(safeEntryPath('C:\\x')).toBeNull();
    expect(safeEntryPath('a/../../b')).toBeNull();
  });
});
