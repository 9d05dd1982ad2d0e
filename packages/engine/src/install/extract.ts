import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, open, rename, rm, symlink, type FileHandle } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { createGunzip } from 'node:zlib';

import { InstallCancelledError } from './download.js';

/**
 * A streaming reader for the tar archives the install plan downloads (python-build-standalone and
 * GitHub source tarballs): ustar with GNU long names and pax headers, regular files, folders, symlinks
 * and hard links. Written here because neither archive needs more, and it keeps the engine package free
 * of an archive dependency.
 */
interface TarEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';
  size: number;
  mode: number;
  linkName: string;
}

function cString(block: Buffer, start: number, length: number): string {
  const slice = block.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end === -1 ? slice.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  // GNU base-256 for sizes beyond 8 GiB: the high bit of the first byte is set.
  if ((field[0] ?? 0) & 0x80) {
    let value = 0;
    for (let index = 1; index < field.length; index++) value = value * 256 + (field[index] ?? 0);
    return value;
  }
  const textValue = cString(block, start, length).trim();
  return textValue ? Number.parseInt(textValue, 8) : 0;
}

/** `key=value` records of a pax extended header. */
function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number.parseInt(data.subarray(offset, space).toString('utf8'), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}

function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/** Strips `count` leading components; undefined when nothing is left (the top folder itself). */
function stripPath(path: string, count: number): string | undefined {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  const rest = parts.slice(count);
  return rest.length ? rest.join('/') : undefined;
}

/** The absolute target of an archive path, refusing anything that would land outside `root`. */
function safeTarget(root: string, path: string): string {
  if (path.includes('\0') || /^[a-zA-Z]:/.test(path) || path.startsWith('/'))
    throw new Error(`unsafe path in archive: ${path}`);
  const target = resolve(root, ...path.split('/'));
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || rel.includes(`..${sep}`) || resolve(rel) === rel)
    throw new Error(`unsafe path in archive: ${path}`);
  return target;
}

/**
 * Extracts a .tar.gz into `dest`: first into a fresh sibling folder, renamed over `dest` only once
 * everything is out, so an interrupted extraction never leaves a half folder that looks complete.
 */
export async function extractTarGz(
  archive: string,
  dest: string,
  options: { stripComponents?: number; signal?: AbortSignal } = {},
): Promise<{ files: number }> {
  const strip = options.stripComponents ?? 0;
  const staging = `${dest}.extracting`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });

  let buffer: Buffer = Buffer.alloc(0);
  let current: (TarEntry & { remaining: number; padding: number; handle?: FileHandle }) | undefined;
  let pendingLongName: string | undefined;
  let pendingLongLink: string | undefined;
  let pendingPax: Record<string, string> = {};
  let metaCollect: { kind: 'L' | 'K' | 'x'; data: Buffer[]; remaining: number; padding: number } | undefined;
  const hardlinks: { target: string; source: string }[] = [];
  const symlinks: { target: string; link: string }[] = [];
  const modes: { target: string; mode: number }[] = [];
  let files = 0;
  let ended = false;

  const startEntry = async (entry: TarEntry) => {
    const stripped = stripPath(entry.path, strip);
    const target = stripped === undefined ? undefined : safeTarget(staging, stripped);
    const padding = (512 - (entry.size % 512)) % 512;
    if (entry.type === 'file' && target) {
      await mkdir(dirname(target), { recursive: true });
      const handle = await open(target, 'w');
      modes.push({ target, mode: entry.mode });
      files++;
      current = { ...entry, remaining: entry.size, padding, handle };
    } else {
      if (target && entry.type === 'dir') await mkdir(target, { recursive: true });
      if (target && entry.type === 'symlink') symlinks.push({ target, link: entry.linkName });
      if (target && entry.type === 'hardlink') {
        const source = stripPath(entry.linkName, strip);
        if (source) hardlinks.push({ target, source: safeTarget(staging, source) });
      }
      current = entry.size > 0 ? { ...entry, remaining: entry.size, padding } : undefined;
    }
    if (current?.remaining === 0) await finishEntry();
  };

  const finishEntry = async () => {
    await current?.handle?.close();
    const padding = current?.padding ?? 0;
    current = undefined;
    return padding;
  };

  let skip = 0;
  const consume = async () => {
    for (;;) {
      if (skip > 0) {
        const take = Math.min(skip, buffer.length);
        buffer = buffer.subarray(take);
        skip -= take;
        if (skip > 0) return;
      }
      if (metaCollect) {
        const take = Math.min(metaCollect.remaining, buffer.length);
        metaCollect.data.push(buffer.subarray(0, take));
        buffer = buffer.subarray(take);
        metaCollect.remaining -= take;
        if (metaCollect.remaining > 0) return;
        const data = Buffer.concat(metaCollect.data);
        if (metaCollect.kind === 'x') pendingPax = { ...pendingPax, ...parsePax(data) };
        else if (metaCollect.kind === 'L') pendingLongName = cString(data, 0, data.length);
        else pendingLongLink = cString(data, 0, data.length);
        skip = metaCollect.padding;
        metaCollect = undefined;
        continue;
      }
      if (current) {
        const take = Math.min(current.remaining, buffer.length);
        if (take > 0 && current.handle) await current.handle.write(buffer.subarray(0, take));
        buffer = buffer.subarray(take);
        current.remaining -= take;
        if (current.remaining > 0) return;
        skip = await finishEntry();
        continue;
      }
      if (ended || buffer.length < 512) return;
      const block = buffer.subarray(0, 512);
      buffer = buffer.subarray(512);
      if (isZeroBlock(block)) {
        ended = true;
        return;
      }
      const typeflag = String.fromCharCode(block[156] ?? 0);
      const size = octal(block, 124, 12);
      if (typeflag === 'L' || typeflag === 'K' || typeflag === 'x' || typeflag === 'g') {
        const padding = (512 - (size % 512)) % 512;
        if (typeflag === 'g') skip = size + padding;
        else metaCollect = { kind: typeflag, data: [], remaining: size, padding };
        continue;
      }
      const magic = block.subarray(257, 262).toString('latin1');
      const prefix = magic === 'ustar' ? cString(block, 345, 155) : '';
      const name = cString(block, 0, 100);
      const path = pendingPax['path'] ?? pendingLongName ?? (prefix ? `${prefix}/${name}` : name);
      const linkName = pendingPax['linkpath'] ?? pendingLongLink ?? cString(block, 157, 100);
      pendingPax = {};
      pendingLongName = undefined;
      pendingLongLink = undefined;
      const type =
        typeflag === '0' || typeflag === '\0' || typeflag === '7'
          ? 'file'
          : typeflag === '5'
            ? 'dir'
            : typeflag === '2'
              ? 'symlink'
              : typeflag === '1'
                ? 'hardlink'
                : 'other';
      await startEntry({
        path,
        type,
        size: type === 'file' || type === 'other' ? size : 0,
        mode: octal(block, 100, 8),
        linkName,
      });
    }
  };

  try {
    const stream = createReadStream(archive).pipe(createGunzip());
    for await (const chunk of stream) {
      if (options.signal?.aborted) {
        stream.destroy();
        throw new InstallCancelledError();
      }
      buffer = buffer.length ? Buffer.concat([buffer, chunk as Buffer]) : (chunk as Buffer);
      await consume();
    }
    if (current || metaCollect) throw new Error('the archive ends in the middle of a file (truncated)');
    for (const { target, source } of hardlinks) {
      await mkdir(dirname(target), { recursive: true });
      await copyFile(source, target);
    }
    if (process.platform !== 'win32') {
      for (const { target, mode } of modes) await chmod(target, mode & 0o777 || 0o644);
      for (const { target, link } of symlinks) {
        // A link may point anywhere inside the tree, never outside it.
        const resolved = resolve(dirname(target), link);
        if (relative(staging, resolved).startsWith('..')) throw new Error(`unsafe link in archive: ${link}`);
        await mkdir(dirname(target), { recursive: true });
        await symlink(link, target);
      }
    }
    await rm(dest, { recursive: true, force: true });
    await rename(staging, dest);
    return { files };
  } catch (error) {
    await current?.handle?.close().catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
