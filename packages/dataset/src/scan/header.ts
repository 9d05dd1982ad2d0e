import { open } from 'node:fs/promises';

import type sharp from 'sharp';

/** What the scan keeps from sharp's metadata (or our own BMP header reader). */
export interface HeaderInfo {
  format: string;
  width: number;
  height: number;
  orientation?: number;
  hasAlpha: boolean;
  space: string;
  channels: number;
  bitDepth: number;
  pages: number;
}

const depthBits: Record<string, number> = {
  uchar: 8,
  char: 8,
  ushort: 16,
  short: 16,
  uint: 32,
  int: 32,
  float: 32,
  double: 64,
};

export function headerFromMetadata(meta: sharp.Metadata): HeaderInfo | undefined {
  if (!meta.width || !meta.height) return undefined;
  const info: HeaderInfo = {
    format: meta.format,
    width: meta.width,
    height: meta.pageHeight && (meta.pages ?? 1) > 1 ? meta.pageHeight : meta.height,
    hasAlpha: meta.hasAlpha,
    space: meta.space,
    channels: meta.channels,
    bitDepth:
      meta.bitsPerSample && meta.bitsPerSample > 8 ? meta.bitsPerSample : (depthBits[meta.depth] ?? 8),
    pages: meta.pages ?? 1,
  };
  if (meta.orientation !== undefined) info.orientation = meta.orientation;
  return info;
}

/**
 * sharp (libvips) has no BMP loader, but kohya (Pillow) reads BMP; read its size from the header so the
 * file is not reported as broken.
 */
export async function readBmpHeader(path: string): Promise<HeaderInfo | undefined> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(30);
    const { bytesRead } = await handle.read(buffer, 0, 30, 0);
    if (bytesRead < 30 || buffer.toString('latin1', 0, 2) !== 'BM') return undefined;
    const width = buffer.readInt32LE(18);
    const height = Math.abs(buffer.readInt32LE(22));
    const bits = buffer.readUInt16LE(28);
    if (width <= 0 || height <= 0) return undefined;
    return {
      format: 'bmp',
      width,
      height,
      hasAlpha: bits === 32,
      space: 'srgb',
      channels: bits === 32 ? 4 : 3,
      bitDepth: 8,
      pages: 1,
    };
  } finally {
    await handle.close();
  }
}

/** Orientations 5–8 swap width and height. */
export function orientedSize(width: number, height: number, orientation?: number): [number, number] {
  return orientation !== undefined && orientation >= 5 && orientation <= 8
    ? [height, width]
    : [width, height];
}
