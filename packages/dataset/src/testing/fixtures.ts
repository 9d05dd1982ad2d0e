import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import sharp from 'sharp';

/** A textured test picture: a seeded 8×8 grid of colours, smoothly enlarged, so every seed hashes apart. */
export function patternImage(width: number, height: number, seed: number): sharp.Sharp {
  let state = (seed * 2654435761) >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  };
  const cells = Buffer.alloc(8 * 8 * 3);
  for (let i = 0; i < cells.length; i++) cells[i] = next();
  return sharp(cells, { raw: { width: 8, height: 8, channels: 3 } }).resize(width, height, {
    fit: 'fill',
    kernel: 'cubic',
  });
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid PNG header claiming `width`×`height` with a token IDAT: a decompression bomb's shape, 60 bytes. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** "sks dog, 红色衣服" in GBK (bytes written by hand so no encoder is needed). */
export const gbkCaption = Buffer.concat([
  Buffer.from('sks dog, ', 'latin1'),
  Buffer.from([0xba, 0xec, 0xc9, 0xab, 0xd2, 0xc2, 0xb7, 0xfe]),
]);
export const gbkCaptionText = 'sks dog, 红色衣服';

export interface MixedFolder {
  root: string;
  train: string;
  reg: string;
  /** relative path → the check id it must raise (the problem files) */
  bad: Record<string, string>;
}

/**
 * The mixed real-world folder, generated: good JPEG/PNG/WebP, broken and odd files, captions in
 * several encodings, a `10_sks dog` subset and a reg folder.
 */
export async function buildMixedFolder(root: string): Promise<MixedFolder> {
  const train = join(root, '10_sks dog');
  const reg = join(root, 'reg', '1_dog');
  await mkdir(train, { recursive: true });
  await mkdir(reg, { recursive: true });
  const put = (name: string, data: Buffer | string) => writeFile(join(train, name), data);

  const photo = await patternImage(640, 480, 1).jpeg({ quality: 90 }).toBuffer();
  await put('照片 1 😀.jpg', photo);
  await put('照片 1 😀.txt', 'sks dog, red shirt, outdoors\n');
  const portrait = await patternImage(512, 768, 2).png().toBuffer();
  await put('portrait 竖.png', portrait);
  await put('portrait 竖.txt', gbkCaption);
  await put('wide web.webp', await patternImage(768, 512, 3).webp().toBuffer());
  await put(
    'wide web.txt',
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('sks dog, sitting\r\nsecond line\r\n')]),
  );
  await put('copy of portrait.png', portrait);
  await put('copy of portrait.txt', 'sks dog');
  await put('near 1.jpg', await sharp(photo).resize(600, 450).jpeg({ quality: 70 }).toBuffer());
  await put('near 1.txt', 'a dog, red shirt');

  const noisy = await patternImage(640, 480, 9).jpeg().toBuffer();
  await put('truncated.jpg', noisy.subarray(0, Math.floor(noisy.length / 2)));
  const crc = Buffer.from(await patternImage(64, 48, 10).png().toBuffer());
  const idat = crc.indexOf('IDAT');
  crc[idat + 10] = (crc[idat + 10] ?? 0) ^ 0xff;
  await put('bad crc.png', crc);
  await put('not really.png', 'this is a text file, not an image\n');
  await put('zero bytes.png', Buffer.alloc(0));
  await put('bomb 30000.png', pngHeaderOnly(30000, 30000));

  const frames = await Promise.all(
    [11, 12, 13].map((seed) => patternImage(320, 320, seed).ensureAlpha().png().toBuffer()),
  );
  await put(
    '动图.gif',
    await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer(),
  );
  const otherFrames = await Promise.all(
    [21, 22].map((seed) => patternImage(320, 320, seed).ensureAlpha().png().toBuffer()),
  );
  await put(
    'anim.webp',
    await sharp(otherFrames, { join: { animated: true } })
      .webp()
      .toBuffer(),
  );
  await put('cmyk.jpg', await patternImage(320, 320, 14).toColourspace('cmyk').jpeg().toBuffer());
  await put('deep 16.png', await patternImage(320, 320, 15).toColourspace('rgb16').png().toBuffer());
  await put('grey.png', await patternImage(320, 320, 16).toColourspace('b-w').png().toBuffer());
  await put(
    'rotated.jpg',
    await patternImage(400, 300, 17).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
  );
  await put('rgba.png', await patternImage(320, 320, 18).ensureAlpha(0.5).png().toBuffer());
  await put('small.png', await patternImage(100, 100, 19).png().toBuffer());
  await put('very wide.png', await patternImage(1200, 300, 20).png().toBuffer());
  await put('orphan.txt', 'sks dog, nobody here');

  await writeFile(join(reg, 'reg a.png'), await patternImage(512, 512, 30).png().toBuffer());
  await writeFile(join(reg, 'reg b.png'), await patternImage(512, 512, 31).png().toBuffer());

  return {
    root,
    train,
    reg,
    bad: {
      '10_sks dog/truncated.jpg': 'corrupt',
      '10_sks dog/bad crc.png': 'corrupt',
      '10_sks dog/not really.png': 'not_an_image',
      '10_sks dog/zero bytes.png': 'empty_file',
      '10_sks dog/bomb 30000.png': 'pixel_limit',
    },
  };
}
