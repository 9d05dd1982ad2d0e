import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { describe, expect, it } from 'vitest';

import { crc32c, maskedCrc32c } from './crc32c.js';
import { parseShimLine } from './shimLine.js';
import { decodeTfEvents, findTensorboardFiles, readTensorboardEvents } from './tfevents.js';
import { encodeFileVersionEvent, encodeScalarEvent, frameRecord } from './tfeventsWriter.js';

describe('parseShimLine', () => {
  it('maps train_network tags to a point, lr keyed without the prefix', () => {
    const line = JSON.stringify({
      step: 12,
      time: 1_733_140_000_123,
      values: {
        'loss/current': 0.11,
        'loss/average': 0.125,
        'lr/unet': 1e-4,
        'lr/textencoder': 5e-5,
        'lr/group1': 1e-4,
      },
    });
    expect(parseShimLine(line)).toEqual({
      point: {
        step: 12,
        loss: 0.11,
        averageLoss: 0.125,
        lr: { unet: 1e-4, textencoder: 5e-5, group1: 1e-4 },
        time: 1_733_140_000_123,
      },
    });
  });

  it("maps epoch averages (loss/epoch_average, and train_db.py's loss/epoch)", () => {
    expect(parseShimLine('{"step": 3, "time": 5, "values": {"loss/epoch_average": 0.2}}')).toEqual({
      epoch: { epoch: 3, averageLoss: 0.2, step: null },
    });
    expect(parseShimLine('{"step": 2, "time": 5, "values": {"loss/epoch": 0.3}}').epoch?.averageLoss).toBe(
      0.3,
    );
  });

  it('reads train_db.py per-step tags and turns NaN into null', () => {
    const mapped = parseShimLine(
      '{"step": 7, "time": 9, "values": {"loss": "nan", "lr/unet": 2e-6, "lr/text_encoder1": 1e-6}}',
    );
    expect(mapped.point).toEqual({
      step: 7,
      loss: null,
      averageLoss: null,
      lr: { unet: 2e-6, text_encoder1: 1e-6 },
      time: 9,
    });
  });

  it('ignores junk, half-written lines and empty logs', () => {
    expect(parseShimLine('')).toEqual({});
    expect(parseShimLine('{"step": 3, "time": 1, "val')).toEqual({});
    expect(parseShimLine('not json')).toEqual({});
    expect(parseShimLine('{"step": 0, "time": 1, "values": {}}')).toEqual({});
    expect(parseShimLine('{"time": 1, "values": {"loss": 1}}')).toEqual({});
  });
});

describe('crc32c', () => {
  it('matches the published check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });
});

function eventFile(records: Uint8Array[]): Uint8Array {
  const total = records.reduce((n, r) => n + r.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}

describe('TensorBoard event files', () => {
  it('reads the real event file of an sd-scripts run', async () => {
    const file = join(import.meta.dirname, 'fixtures', 'real-network-train.tfevents');
    const result = await readTensorboardEvents(file);
    expect(result.corrupt).toBe(0);
    expect(result.points.map((p) => p.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const last = result.points.at(-1);
    expect(last?.loss).toBeCloseTo(1.03883, 4);
    expect(last?.averageLoss).toBeCloseTo(1.07916, 4);
    expect(last?.lr.unet).toBeCloseTo(1e-4, 9);
    expect(last?.lr.textencoder).toBeCloseTo(5e-5, 9);
    expect(Object.keys(last?.lr ?? {}).sort()).toEqual(['group1', 'textencoder', 'unet']);
    expect(result.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(result.epochs.at(-1)?.averageLoss).toBeCloseTo(1.07916, 4);
    expect(result.nextOffset).toBe((await readFile(file)).length);
  });

  it('round-trips a written file, and stops before a truncated last record', async () => {
    const { dir, cleanup } = await makeTempDir('tf 事件');
    const run = join(dir, 'logs', 'my_20260216100000', 'network_train');
    await mkdir(run, { recursive: true });
    const records = [frameRecord(encodeFileVersionEvent(1_700_000_000))];
    for (let step = 1; step <= 50; step++) {
      const time = 1_700_000_000 + step;
      records.push(frameRecord(encodeScalarEvent(time, step, 'loss/current', 0.5 / step)));
      records.push(frameRecord(encodeScalarEvent(time, step, 'loss/average', 0.25)));
      records.push(frameRecord(encodeScalarEvent(time, step, 'lr/unet', 1e-4)));
    }
    records.push(frameRecord(encodeScalarEvent(1_700_000_100, 1, 'loss/epoch_average', 0.3)));
    const whole = eventFile(records);
    const file = join(run, 'events.out.tfevents.1700000000.host.42.0');
    const cut = whole.length - 7; // the writer is mid-record
    await writeFile(file, whole.subarray(0, cut));

    expect(await findTensorboardFiles(join(dir, 'logs'))).toEqual([file]);
    const first = await readTensorboardEvents(file);
    expect(first.points).toHaveLength(50);
    expect(first.points[9]).toEqual({
      step: 10,
      loss: Math.fround(0.05),
      averageLoss: 0.25,
      lr: { unet: Math.fround(1e-4) },
      time: 1_700_000_010_000,
    });
    expect(first.epochs).toEqual([]);
    expect(first.nextOffset).toBe(whole.length - records.at(-1)!.length);

    await writeFile(file, whole);
    const rest = await readTensorboardEvents(file, first.nextOffset);
    expect(rest.points).toEqual([]);
    expect(rest.epochs).toEqual([{ epoch: 1, averageLoss: Math.fround(0.3), step: null }]);
    await cleanup();
  });

  it('skips a record whose checksum is wrong and stops at broken framing', () => {
    const good = frameRecord(encodeScalarEvent(1, 1, 'loss/current', 1));
    const bad = frameRecord(encodeScalarEvent(1, 2, 'loss/current', 2));
    bad[14] = (bad[14] ?? 0) ^ 0xff; // inside the data
    const third = frameRecord(encodeScalarEvent(1, 3, 'loss/current', 3));
    const result = decodeTfEvents(eventFile([good, bad, third]));
    expect(result.scalars.map((s) => s.step)).toEqual([1, 3]);
    expect(result.corrupt).toBe(1);
    const broken = frameRecord(encodeScalarEvent(1, 4, 'loss/current', 4));
    broken[9] = (broken[9] ?? 0) ^ 0xff; // the length checksum
    expect(decodeTfEvents(eventFile([good, broken, third])).scalars.map((s) => s.step)).toEqual([1]);
    expect(maskedCrc32c(new Uint8Array(8))).not.toBe(0);
  });
});
