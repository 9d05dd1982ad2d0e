import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

import { DanluError, type ModelMetadata } from '@danlu/contracts';
import { readSafetensorsHeader, tagFrequency } from '@danlu/engine';
import sharp from 'sharp';

const refuse = (file: string) =>
  new DanluError(
    'bad_request',
    `文件路径必须在训练任务文件夹内：${file} / The file must be inside the run folder: ${file}`,
  );

/**
 * Resolves a path the UI sent (relative to the run folder, forward or back slashes) and refuses anything
 * that leaves the folder: absolute paths, `..` segments, drive letters, and symlinks pointing outside.
 */
export async function resolveInsideRun(runDir: string, file: string): Promise<string> {
  const parts = file.split(/[\\/]+/);
  if (
    isAbsolute(file) ||
    /^[A-Za-z]:/.test(file) ||
    file.startsWith('\\\\') ||
    parts.some((p) => p === '..' || p === '.') ||
    file.includes('\0')
  )
    throw refuse(file);
  const target = join(runDir, ...parts.filter((p) => p !== ''));
  let real: string;
  let root: string;
  try {
    [real, root] = await Promise.all([realpath(target), realpath(runDir)]);
  } catch {
    throw new DanluError('not_found', `找不到文件：${file} / No such file: ${file}`);
  }
  const rel = relative(root, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw refuse(file);
  return real;
}

const IMAGE = /\.(png|jpe?g|webp|bmp|gif|avif)$/i;

/** A sample image as a data URL: `thumb` ≈256 px WebP, `full` PNG at its own size. */
export async function imageDataUrl(
  runDir: string,
  file: string,
  size: 'thumb' | 'full' = 'thumb',
): Promise<{ dataUrl: string; width: number; height: number }> {
  if (!IMAGE.test(file))
    throw new DanluError('bad_request', `不是图片文件：${file} / Not an image file: ${file}`);
  const path = await resolveInsideRun(runDir, file);
  try {
    const pipeline = sharp(path, { limitInputPixels: 16384 * 16384 }).rotate();
    const { data, info } =
      size === 'thumb'
        ? await pipeline
            .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
            .webp({ quality: 80 })
            .toBuffer({ resolveWithObject: true })
        : await pipeline.png().toBuffer({ resolveWithObject: true });
    const mime = size === 'thumb' ? 'image/webp' : 'image/png';
    return {
      dataUrl: `data:${mime};base64,${data.toString('base64')}`,
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    throw new DanluError(
      'io_error',
      `无法读取图片 ${file} / Cannot read the image ${file}: ${String(error)}`,
    );
  }
}

/** The safetensors metadata of a saved model (header only, capped; never the tensors). */
export async function modelMetadata(runDir: string, file: string): Promise<ModelMetadata> {
  if (!/\.safetensors$/i.test(file))
    throw new DanluError(
      'bad_request',
      `只有 .safetensors 文件带元数据：${file} / Only .safetensors files carry metadata: ${file}`,
    );
  const path = await resolveInsideRun(runDir, file);
  const header = await readSafetensorsHeader(path);
  if (!header.ok) throw new DanluError('bad_request', `${header.message.zh} / ${header.message.en}`);
  return {
    file,
    sizeBytes: header.sizeBytes,
    metadata: header.metadata,
    tagFrequency: tagFrequency(header.metadata),
  };
}
