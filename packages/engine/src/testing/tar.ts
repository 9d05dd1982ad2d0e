import { gzipSync } from 'node:zlib';

/** An entry for `makeTarGz`: a file (with content), a folder, or a symlink. */
export type TarSpec =
  | { path: string; content: string | Buffer; mode?: number }
  | { path: string; dir: true }
  | { path: string; symlink: string };

function header(name: string, size: number, typeflag: string, mode: number, linkName = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name.slice(0, 100), 0, 'utf8');
  block.write(`${mode.toString(8).padStart(7, '0')}\0`, 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
    'latin1',
  );
  block.write('        ', 148, 'latin1');
  block.write(typeflag, 156, 'latin1');
  block.write(linkName.slice(0, 100), 157, 'utf8');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

function padded(data: Buffer): Buffer[] {
  const padding = (512 - (data.length % 512)) % 512;
  return [data, Buffer.alloc(padding)];
}

/** A pax record `len key=value\n`, whose length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length++;
  return `${String(length)}${body}`;
}

/**
 * Builds a .tar.gz in memory. Names longer than 100 bytes (or non-ASCII) get a pax header, the way
 * modern tar writes them, so the extractor's pax path is exercised.
 */
export function makeTarGz(entries: TarSpec[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const path = 'dir' in entry ? entry.path.replace(/\/?$/, '/') : entry.path;
    // eslint-disable-next-line no-control-regex -- non-ASCII names go into a pax header
    if (Buffer.byteLength(path) > 100 || /[^\x00-\x7f]/.test(path)) {
      const pax = Buffer.from(paxRecord('path', path));
      blocks.push(header('PaxHeader', pax.length, 'x', 0o644), ...padded(pax));
    }
    if ('dir' in entry) blocks.push(header(path, 0, '5', 0o755));
    else if ('symlink' in entry) blocks.push(header(path, 0, '2', 0o777, entry.symlink));
    else {
      const data = Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content);
      blocks.push(header(path, data.length, '0', entry.mode ?? 0o644), ...padded(data));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
