import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import sharp from 'sharp';

import { tagImages } from './pipeline.js';
import { preprocessInto } from './preprocess.js';
import { openTagger } from './session.js';
import { benchTagsCsv, buildBenchWdModel } from './testing/onnxModel.js';

/** The row shape of `@danlu/params`' BenchResult (kept structural: the tagger does not depend on params). */
export interface TaggerBenchRow {
  area: string;
  measure: string;
  value: number;
  unit: string;
  target?: string;
  pass?: boolean;
}

/** The WD reference preprocessing in Pillow (pad to a white square, bicubic to 448, BGR floats). */
const pillowScript = `
import sys, time
from PIL import Image
files = sys.argv[1:]
start = time.perf_counter()
for f in files:
    im = Image.open(f)
    # the same shortcut Danlu takes: JPEG shrink-on-load to no less than twice the target
    im.draft('RGB', (896, 896))
    im = im.convert('RGB')
    if max(im.size) > 896:
        im.thumbnail((896, 896), Image.BICUBIC)
    side = max(im.size)
    canvas = Image.new('RGB', (side, side), (255, 255, 255))
    canvas.paste(im, ((side - im.size[0]) // 2, (side - im.size[1]) // 2))
    canvas = canvas.resize((448, 448), Image.BICUBIC)
    r, g, b = canvas.split()
    data = Image.merge('RGB', (b, g, r)).tobytes()
print(len(files) / (time.perf_counter() - start))
`;

/** python3 with Pillow, if this machine has one. */
function pillowPython(): string | undefined {
  for (const python of [
    process.env['DANLU_BENCH_PYTHON'],
    'python3',
    '/usr/bin/python3',
    '/work/venv-et/bin/python',
  ]) {
    if (!python) continue;
    const probe = spawnSync(python, ['-c', 'import PIL'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

async function photo(seed: number): Promise<Buffer> {
  const cells = Buffer.alloc(12 * 8 * 3);
  let state = seed;
  for (let i = 0; i < cells.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    cells[i] = state >>> 24;
  }
  return sharp(cells, { raw: { width: 12, height: 8, channels: 3 } })
    .resize(3000, 2000, { kernel: 'cubic' })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * Tagging benchmarks: WD preprocessing (sharp vs Pillow on the same 3000×2000 JPEGs), bare inference of
 * a generated model with real-sized I/O, and the whole pipeline (decode/resize overlapped with inference).
 * The model stands in for a real tagger and is much lighter; the ratio is what the row checks.
 */
export async function benchTagger(options: { images?: number } = {}): Promise<TaggerBenchRow[]> {
  const count = options.images ?? 12;
  const dir = await mkdtemp(join(tmpdir(), 'danlu bench 打标 '));
  const rows: TaggerBenchRow[] = [];
  try {
    const files: string[] = [];
    for (let i = 0; i < count; i++) {
      const file = join(dir, `photo ${String(i)}.jpg`);
      await writeFile(file, await photo(i + 1));
      files.push(file);
    }
    const scratch = new Float32Array(448 * 448 * 3);
    await preprocessInto(files[0] ?? '', 448, scratch, 0);
    let start = performance.now();
    await Promise.all(files.map((file) => preprocessInto(file, 448, new Float32Array(448 * 448 * 3), 0)));
    const sharpRate = count / ((performance.now() - start) / 1000);
    rows.push({
      area: 'tagger',
      measure: 'WD preprocess 3000×2000 JPEG → 448² BGR (sharp, shrink-on-load, all in flight)',
      value: Math.round(sharpRate * 10) / 10,
      unit: 'images/s',
    });
    const python = pillowPython();
    if (python) {
      const out = spawnSync(python, ['-c', pillowScript, ...files], { encoding: 'utf8' });
      const pillowRate = Number(out.stdout.trim());
      if (out.status === 0 && Number.isFinite(pillowRate)) {
        rows.push({
          area: 'tagger',
          measure: 'same preprocessing in Pillow (draft + pad + bicubic, one thread)',
          value: Math.round(pillowRate * 10) / 10,
          unit: 'images/s',
        });
        const ratio = sharpRate / pillowRate;
        rows.push({
          area: 'tagger',
          measure: 'sharp ÷ Pillow preprocessing speed',
          value: Math.round(ratio * 100) / 100,
          unit: '×',
          target: '> 1',
          pass: ratio > 1,
        });
      }
    } else {
      rows.push({
        area: 'tagger',
        measure: 'Pillow comparison skipped: no python3 with Pillow (set DANLU_BENCH_PYTHON)',
        value: 0,
        unit: '-',
      });
    }

    const modelDir = join(dir, 'model');
    await mkdir(modelDir);
    await writeFile(
      join(modelDir, 'model.onnx'),
      buildBenchWdModel({ channels: [64, 128, 256, 512, 768], depth: 3 }),
    );
    await writeFile(join(modelDir, 'selected_tags.csv'), benchTagsCsv());
    const tagger = await openTagger({
      modelPath: join(modelDir, 'model.onnx'),
      tagsPath: join(modelDir, 'selected_tags.csv'),
    });
    try {
      const batch = 4;
      const per = 448 * 448 * 3;
      const filled = new Float32Array(batch * per);
      for (let i = 0; i < batch; i++) filled.set(scratch, i * per);
      await tagger.run(filled.slice(), batch);
      start = performance.now();
      for (let i = 0; i < count; i += batch) await tagger.run(filled.slice(), batch);
      const bareRate = (Math.ceil(count / batch) * batch) / ((performance.now() - start) / 1000);
      rows.push({
        area: 'tagger',
        measure: `bare inference, bench model (not a real tagger), batch ${String(batch)}, ${tagger.provider}`,
        value: Math.round(bareRate * 10) / 10,
        unit: 'images/s',
      });
      start = performance.now();
      let tagged = 0;
      for await (const outcome of tagImages(tagger, files, { batchSize: batch })) if (outcome.ok) tagged++;
      const pipeRate = tagged / ((performance.now() - start) / 1000);
      rows.push({
        area: 'tagger',
        measure: 'tagging pipeline (decode + resize + inference)',
        value: Math.round(pipeRate * 10) / 10,
        unit: 'images/s',
      });
      const share = pipeRate / bareRate;
      rows.push({
        area: 'tagger',
        measure: 'pipeline ÷ bare inference throughput',
        value: Math.round(share * 100) / 100,
        unit: '×',
        target: '≥ 0.9',
        pass: share >= 0.9,
      });
    } finally {
      await tagger.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
