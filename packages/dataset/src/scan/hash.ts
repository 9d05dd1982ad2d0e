import sharp from 'sharp';

/**
 * 64-bit difference hash: a 9×8 greyscale thumbnail, one bit per horizontal neighbour pair. Re-encoded or
 * slightly resized copies differ in a few bits; different pictures in about half. Decoding the whole image
 * to make the thumbnail is also what proves the file is not truncated or corrupt.
 */
export async function differenceHash(input: Buffer, limitInputPixels: number): Promise<string> {
  const pixels = await sharp(input, { limitInputPixels, failOn: 'error' })
    .rotate()
    .greyscale()
    .resize(9, 8, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  let hex = '';
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let col = 0; col < 8; col++) {
      const left = pixels[row * 9 + col] ?? 0;
      const right = pixels[row * 9 + col + 1] ?? 0;
      byte = (byte << 1) | (left > right ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** Number of differing bits between two 16-hex-digit hashes. */
export function hammingDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < a.length; i += 2) {
    let x = parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16);
    while (x) {
      distance += x & 1;
      x >>= 1;
    }
  }
  return distance;
}
