import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { describe, expect, it } from 'vitest';

/** resources/python/danlu_train_shim.py on its own: it must never be the reason a run fails. */
const root = resolve(import.meta.dirname, '../../../..');
const shim = join(root, 'resources/python/danlu_train_shim.py');
const python = process.env.PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');
const env = {
  ...process.env,
  PYTHONPATH: join(root, 'test/fixtures/fake-python'),
  PYTHONIOENCODING: 'utf-8',
  PYTHONDONTWRITEBYTECODE: '1',
};

describe('danlu_train_shim.py', () => {
  it('runs the script as __main__ with its own argv and path, and survives an unwritable metrics file', async () => {
    const { dir, cleanup } = await makeTempDir('shim 测试');
    const script = join(dir, 'train 脚本.py');
    await writeFile(
      script,
      [
        'import sys, json',
        'from accelerate import Accelerator',
        'acc = Accelerator(log_with="tensorboard", project_dir=sys.argv[2])',
        'acc.init_trackers("network_train")',
        'acc.log({"loss": 0.5, "lr/unet": 1e-4}, step=1)',
        'print(json.dumps({"name": __name__, "argv": sys.argv[1:], "path0": sys.path[0]}))',
      ].join('\n'),
    );
    const blocker = join(dir, 'a file');
    await writeFile(blocker, 'not a folder');
    const result = spawnSync(python, [shim, script, '--x', join(dir, 'logs')], {
      env: { ...env, DANLU_METRICS_FILE: join(blocker, 'metrics.jsonl') },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('[danlu] metrics file disabled');
    expect(JSON.parse(result.stdout.trim())).toEqual({
      name: '__main__',
      argv: ['--x', join(dir, 'logs')],
      path0: dir,
    });
    await cleanup();
  });

  it('says so when the training script is missing', () => {
    const result = spawnSync(python, [shim, join(root, 'no such script.py')], { env, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('training script not found');
  });
});
