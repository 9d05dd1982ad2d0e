import type { TagList } from './tagList.js';

export interface ScoredTag {
  /** Raw Danbooru name (`looking_at_viewer`); format with `formatTag`. */
  name: string;
  score: number;
}

export interface TagResult {
  /** The four rating probabilities by name. */
  rating: Record<string, number>;
  ratingTop: string | undefined;
  /** Above the general threshold, highest first. */
  general: ScoredTag[];
  character: ScoredTag[];
}

export interface DecodeOptions {
  /** Default 0.35 (the author's space). */
  generalThreshold?: number;
  /** Default 0.85. */
  characterThreshold?: number;
  /** Use MCut (largest gap) instead of the fixed threshold. */
  generalMcut?: boolean;
  /** MCut for characters, floored at 0.15 as in the author's space. */
  characterMcut?: boolean;
  /** `gt` (strict, as the space) or `gte` (kohya). */
  comparison?: 'gt' | 'gte';
}

/** Largeron et al.'s MCut: the midpoint of the largest gap between neighbouring sorted scores. */
export function mcutThreshold(scores: readonly number[]): number {
  const sorted = [...scores].sort((a, b) => b - a);
  if (sorted.length < 2) return 0;
  let best = 0;
  let at = 0;
  for (let i = 0; i < sorted.length - 1; i++) {
    const gap = (sorted[i] ?? 0) - (sorted[i + 1] ?? 0);
    if (gap > best) {
      best = gap;
      at = i;
    }
  }
  return ((sorted[at] ?? 0) + (sorted[at + 1] ?? 0)) / 2;
}

function pick(
  probs: ArrayLike<number>,
  indices: readonly number[],
  names: readonly string[],
  threshold: number,
  comparison: 'gt' | 'gte',
): ScoredTag[] {
  const out: ScoredTag[] = [];
  for (const i of indices) {
    const score = probs[i] ?? 0;
    if (comparison === 'gt' ? score > threshold : score >= threshold)
      out.push({ name: names[i] ?? '', score });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Turns one image's output row (already sigmoid probabilities) into rating, general and character tags. */
export function decodePredictions(
  probs: ArrayLike<number>,
  tags: TagList,
  options: DecodeOptions = {},
): TagResult {
  const comparison = options.comparison ?? 'gt';
  const rating: Record<string, number> = {};
  let ratingTop: string | undefined;
  let topScore = -1;
  for (const i of tags.rating) {
    const name = tags.names[i] ?? '';
    const score = probs[i] ?? 0;
    rating[name] = score;
    if (score > topScore) {
      topScore = score;
      ratingTop = name;
    }
  }
  const generalScores = tags.general.map((i) => probs[i] ?? 0);
  const characterScores = tags.character.map((i) => probs[i] ?? 0);
  const generalThreshold = options.generalMcut
    ? mcutThreshold(generalScores)
    : (options.generalThreshold ?? 0.35);
  const characterThreshold = options.characterMcut
    ? Math.max(0.15, mcutThreshold(characterScores))
    : (options.characterThreshold ?? 0.85);
  return {
    rating,
    ratingTop,
    general: pick(probs, tags.general, tags.names, generalThreshold, comparison),
    character: pick(probs, tags.character, tags.names, characterThreshold, comparison),
  };
}
