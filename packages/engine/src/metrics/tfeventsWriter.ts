import { maskedCrc32c } from './crc32c.js';

/**
 * A minimal TensorBoard event writer (scalars only). Danlu itself never writes event files; this exists
 * so tests can build files with exactly the framing the reader must accept.
 */
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function field(number: number, wire: number): number[] {
  return varint(number * 8 + wire);
}

function lengthDelimited(number: number, body: Uint8Array | number[]): number[] {
  return [...field(number, 2), ...varint(body.length), ...body];
}

export function encodeScalarEvent(
  wallTimeSeconds: number,
  step: number,
  tag: string,
  value: number,
): Uint8Array {
  const wall = new Uint8Array(8);
  new DataView(wall.buffer).setFloat64(0, wallTimeSeconds, true);
  const simple = new Uint8Array(4);
  new DataView(simple.buffer).setFloat32(0, value, true);
  const valueMsg = [...lengthDelimited(1, new TextEncoder().encode(tag)), ...field(2, 5), ...simple];
  const summary = lengthDelimited(1, valueMsg);
  return new Uint8Array([
    ...field(1, 1),
    ...wall,
    ...field(2, 0),
    ...varint(step),
    ...lengthDelimited(5, summary),
  ]);
}

export function encodeFileVersionEvent(wallTimeSeconds: number): Uint8Array {
  const wall = new Uint8Array(8);
  new DataView(wall.buffer).setFloat64(0, wallTimeSeconds, true);
  return new Uint8Array([
    ...field(1, 1),
    ...wall,
    ...lengthDelimited(3, new TextEncoder().encode('brain.Event:2')),
  ]);
}

export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 16);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length, true);
  view.setUint32(4, 0, true);
  view.setUint32(8, maskedCrc32c(out, 0, 8), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}
