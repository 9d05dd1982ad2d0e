import { basename, dirname, extname, join } from 'node:path';

import { scanDataset } from '../scan/scan.js';
import { applyCaptionChanges } from './batch.js';

/**
 * The caption side of `danlu tag` (see @danlu/tagger `CaptionFolderIo`): the readable images of a folder
 * with their current captions, and an atomic, backed-up write of the new ones.
 */
export const datasetCaptionIo = {
  async listTargets(dir: string) {
    const manifest = await scanDataset(dir);
    const ext = manifest.captionExtensions[0] ?? '.txt';
    return manifest.images
      .filter((image) => !image.problem)
      .map((image) => ({
        image: image.path,
        relPath: image.relPath,
        captionFile:
          image.caption?.path ?? join(dirname(image.path), basename(image.path, extname(image.path)) + ext),
        existing: image.caption?.text,
      }));
  },
  async writeCaptions(
    planned: { captionFile: string; before: string | undefined; after: string }[],
    dataDir: string,
    label: string,
  ) {
    const result = await applyCaptionChanges(
      {
        operations: [],
        changes: planned.map((p) => ({ file: p.captionFile, before: p.before, after: p.after })),
        unchanged: 0,
      },
      dataDir,
      { label },
    );
    return { written: result.written.length, backupDir: result.backupDir, failed: result.failed };
  },
};
