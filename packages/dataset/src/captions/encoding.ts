import { readFile } from 'node:fs/promises';

import { writeFileAtomic } from '@danlu/node-utils';

import type { CaptionEncoding } from '../manifest.js';

export interface DecodedCaption {
  /** Text without BOM, `\r\n` and lone `\r` turned into `\n`. */
  text: string;
  encoding: CaptionEncoding;
  crlf: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a caption file the way a user's editor may have saved it: UTF-8, UTF-8 with BOM (kohya keeps
 * the BOM in the first tag), UTF-16 from Notepad's "Unicode", or GBK/GB18030 from a Chinese Windows
 * (kohya fails on those two). Undecodable bytes end up as U+FFFD under gb18030 rather than throwing.
 */
export function decodeCaption(bytes: Uint8Array): DecodedCaption {
  let encoding: CaptionEncoding;
  let raw: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encoding = 'utf-8-bom';
    raw = new TextDecoder('utf-8').decode(bytes.subarray(3));
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf-16le';
    raw = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = 'utf-16be';
    raw = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else {
    try {
      raw = utf8.decode(bytes);
      encoding = 'utf-8';
    } catch {
      raw = new TextDecoder('gb18030').decode(bytes);
      encoding = 'gb18030';
    }
  }
  const crlf = raw.includes('\r');
  return { text: crlf ? raw.replace(/\r\n?/g, '\n') : raw, encoding, crlf };
}

export async function readCaptionFile(path: string): Promise<DecodedCaption> {
  return decodeCaption(await readFile(path));
}

/** The caption as kohya uses it: the first line, stripped (without `enable_wildcard`). */
export function kohyaCaptionLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

/** Writes UTF-8 without BOM, `\n` line endings, atomically (readers see the old or the new file). */
export async function writeCaptionFile(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, Buffer.from(text.replace(/\r\n?/g, '\n'), 'utf8'));
}
