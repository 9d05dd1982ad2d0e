import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { RunEngine } from '../record.js';

/** python3's absolute path (the engine profile needs one). */
export function python3(): string {
  return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
}

// A stand-in `accelerate.commands.launch`: like the real one it starts the training script as a child
// python process (so a stop must reach a grandchild) and exits with the child's code.
const LAUNCH = `
import subprocess, sys
args = sys.argv[1:]
i = 0
while i < len(args) and args[i].startswith('--'):
    i += 1 if args[i] == '--multi_gpu' else 2
sys.exit(subprocess.call([sys.executable] + args[i:]))
`;

// The launcher shim: runs the real script in-process with its own argv.
const SHIM = `
import os, runpy, sys
script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(script))
runpy.run_path(script, run_name='__main__')
`;

// A tiny kohya look-alike: the start-up block, a \\r progress bar, metrics lines, step saves, a sample,
// a final save and "model saved."; MINI_FAIL=oom fails like CUDA OOM, MINI_CHILD=1 leaves a sleeping
// grandchild (a DataLoader worker) that only a group kill removes.
const TRAIN = `
import json, os, struct, subprocess, sys, time, tomllib, zlib
def png(path, w=8, h=6):
    rows = b''.join(b'\\x00' + b''.join(bytes([x * 30 % 256, y * 40 % 256, 128]) for x in range(w)) for y in range(h))
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    open(path, 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
def safetensors(path, step):
    meta = {'ss_output_name': name, 'ss_steps': str(step), 'ss_tag_frequency': json.dumps({'1_x': {'cat': 2, 'dog': 1}})}
    header = json.dumps({'__metadata__': meta, 'w': {'dtype': 'F32', 'shape': [1], 'data_offsets': [0, 4]}}).encode()
    open(path, 'wb').write(struct.pack('<Q', len(header)) + header + b'\\x00' * 4)
cfg = tomllib.load(open(sys.argv[sys.argv.index('--config_file') + 1], 'rb'))
flat = {}
for v in cfg.values():
    if isinstance(v, dict): flat.update(v)
out = flat['output_dir']; name = flat.get('output_name', 'last')
steps = int(os.environ.get('MINI_STEPS', '6')); delay = float(os.environ.get('MINI_STEP_SECONDS', '0.05'))
metrics = open(os.environ['DANLU_METRICS_FILE'], 'a')
if os.environ.get('MINI_CHILD'):
    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])
print('running training / 学習開始')
print('  num train images * repeats / 学習画像の数×繰り返し回数: 4')
print('  num epochs / epoch数: 1')
print(f'  total optimization steps / 学習ステップ数: {steps}')
os.makedirs(os.path.join(out, 'sample'), exist_ok=True)
for s in range(1, steps + 1):
    time.sleep(delay)
    if os.environ.get('MINI_FAIL') == 'oom' and s == 3:
        print('Traceback (most recent call last):', file=sys.stderr)
        print('torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB', file=sys.stderr)
        sys.exit(1)
    sys.stderr.write(f'\\rsteps: {s * 100 // steps}%|##| {s}/{steps} [00:01<00:01, 10.0it/s, avr_loss=0.{s}]')
    sys.stderr.flush()
    metrics.write(json.dumps({'step': s, 'time': time.time(), 'values': {'loss/current': 0.1 * s, 'loss/average': 0.05 * s, 'lr/unet': 1e-4}}) + '\\n')
    metrics.flush()
    if s == 2:
        safetensors(os.path.join(out, f'{name}-step00000002.safetensors'), 2)
        png(os.path.join(out, 'sample', f'{name}_000002_00_20261122101500_1.png'))
        if os.environ.get('MINI_STATE'):
            os.makedirs(os.path.join(out, f'{name}-step00000002-state'), exist_ok=True)
            open(os.path.join(out, f'{name}-step00000002-state', 'train_state.json'), 'w').write('{}')
sys.stderr.write('\\n')
if not os.environ.get('MINI_NO_SAVE'):
    print(f'saving checkpoint: {os.path.join(out, name)}.safetensors')
    safetensors(os.path.join(out, f'{name}.safetensors'), steps)
    print('model saved.')
`;

/** A folder with a mini engine (python3 + stand-in accelerate + kohya look-alike) and Danlu resources. */
export async function makeMiniEngine(dir: string): Promise<{ engine: RunEngine; resourcesDir: string }> {
  const sds = join(dir, 'sd scripts 引擎');
  const pylib = join(dir, 'pylib');
  const resourcesDir = join(dir, 'resources');
  await mkdir(join(pylib, 'accelerate', 'commands'), { recursive: true });
  await mkdir(sds, { recursive: true });
  await mkdir(join(resourcesDir, 'python'), { recursive: true });
  await writeFile(join(pylib, 'accelerate', '__init__.py'), '');
  await writeFile(join(pylib, 'accelerate', 'commands', '__init__.py'), '');
  await writeFile(join(pylib, 'accelerate', 'commands', 'launch.py'), LAUNCH);
  await writeFile(join(resourcesDir, 'python', 'danlu_train_shim.py'), SHIM);
  for (const script of ['train_network.py', 'sdxl_train_network.py'])
    await writeFile(join(sds, script), TRAIN);
  return {
    engine: { profileId: null, python: python3(), sdScriptsDir: sds, env: { PYTHONPATH: pylib } },
    resourcesDir,
  };
}
