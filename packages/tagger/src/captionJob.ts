import type { DecodeOptions } from './decode.js';
import { formatResult, mergeCaption, type FormatOptions, type MergeOptions } from './format.js';
import { tagImages, type TagImagesOptions } from './pipeline.js';
import type { Tagger } from './session.js';

export interface CaptionTarget {
  image: string;
  relPath: string;
  /** The caption file to write (beside the image). */
  captionFile: string;
  /** The current caption text, undefined when there is none. */
  existing: string | undefined;
}

export interface PlannedCaption {
  image: string;
  relPath: string;
  captionFile: string;
  before: string | undefined;
  after: string;
}

export interface CaptionPlan {
  planned: PlannedCaption[];
  /** Images kept as they were (`skip` mode and a caption exists, or nothing changes). */
  skipped: string[];
  failed: { relPath: string; message: string }[];
  cancelled: boolean;
}

export interface PlanOptions extends DecodeOptions, FormatOptions, MergeOptions {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: TagImagesOptions['onProgress'];
}

/** The first line split on commas: the tags kohya reads. */
export function captionTags(text: string | undefined): string[] {
  return (text?.split('\n')[0] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/**
 * Tags the targets and works out each new caption without writing anything; the caller writes them
 * (atomically, with a backup) or shows them as a dry run. Images skipped by the mode are not even
 * decoded.
 */
export async function planCaptions(
  tagger: Tagger,
  targets: readonly CaptionTarget[],
  options: PlanOptions,
): Promise<CaptionPlan> {
  const plan: CaptionPlan = { planned: [], skipped: [], failed: [], cancelled: false };
  const todo = targets.filter((t) => {
    const keep = options.mode === 'skip' && captionTags(t.existing).length > 0;
    if (keep) plan.skipped.push(t.relPath);
    return !keep;
  });
  const byImage = new Map(todo.map((t) => [t.image, t]));
  const tagOptions: TagImagesOptions = { ...options };
  for await (const outcome of tagImages(
    tagger,
    todo.map((t) => t.image),
    tagOptions,
  )) {
    const target = byImage.get(outcome.file);
    if (!target) continue;
    if (!outcome.ok) {
      plan.failed.push({ relPath: target.relPath, message: outcome.message });
      continue;
    }
    const tags = formatResult(outcome.result, options);
    const merged = mergeCaption(captionTags(target.existing), tags, options);
    const after = merged?.join(', ');
    if (after === undefined || after === target.existing?.trim()) {
      plan.skipped.push(target.relPath);
      continue;
    }
    plan.planned.push({
      image: target.image,
      relPath: target.relPath,
      captionFile: target.captionFile,
      before: target.existing,
      after,
    });
  }
  plan.cancelled = options.signal?.aborted ?? false;
  return plan;
}
