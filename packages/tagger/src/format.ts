import type { TagResult } from './decode.js';

/** Kaomoji whose underscores are part of the face (the list the author's space uses). */
export const kaomoji = new Set([
  '0_0',
  '(o)_(o)',
  '+_+',
  '+_-',
  '._.',
  '<o>_<o>',
  '<|>_<|>',
  '=_=',
  '>_<',
  '3_3',
  '6_9',
  '>_o',
  '@_@',
  '^_^',
  'o_o',
  'u_u',
  'x_x',
  '|_|',
  '||_||',
]);

export interface FormatOptions {
  /** `looking_at_viewer` → `looking at viewer` (kaomoji kept). Default true. */
  underscores?: boolean;
  /** `star_(sky)` → `star \(sky\)` so SD prompts do not read the brackets as weights. Default true. */
  escapeBrackets?: boolean;
  characterFirst?: boolean;
  /** Where the top rating tag goes. Default `none`. */
  rating?: 'first' | 'last' | 'none';
}

export function formatTag(name: string, options: FormatOptions = {}): string {
  let tag = name;
  if ((options.underscores ?? true) && !kaomoji.has(tag)) tag = tag.replace(/_/g, ' ');
  if (options.escapeBrackets ?? true) tag = tag.replace(/([()])/g, '\\$1');
  return tag;
}

/** The tags of one result, formatted, in caption order. */
export function formatResult(result: TagResult, options: FormatOptions = {}): string[] {
  const general = result.general.map((t) => formatTag(t.name, options));
  const character = result.character.map((t) => formatTag(t.name, options));
  const tags = options.characterFirst ? [...character, ...general] : [...general, ...character];
  const rating = result.ratingTop === undefined ? undefined : formatTag(result.ratingTop, options);
  if (rating !== undefined && options.rating === 'first') tags.unshift(rating);
  if (rating !== undefined && options.rating === 'last') tags.push(rating);
  return tags;
}

/** Two spellings of a tag compare equal: case, `_` vs space, escaped brackets, extra spaces. */
export function tagKey(tag: string): string {
  return tag
    .trim()
    .toLowerCase()
    .replace(/\\([()])/g, '$1')
    .replace(/_/g, ' ')
    .replace(/\s+/g, ' ');
}

export type CaptionMode = 'append' | 'overwrite' | 'skip';

export interface MergeOptions {
  mode: CaptionMode;
  /** Always first (the trigger word), in the order given. */
  alwaysFirst?: string[];
  /** Tags never written (matched in any spelling). */
  exclude?: string[];
  /** Per-tag replacements (`from` matched in any spelling; empty `to` removes). */
  replacements?: { from: string; to: string }[];
}

/**
 * The new caption's tags from the existing ones and the tagger's: `overwrite` drops the old tags,
 * `append` keeps them first and adds the new ones, `skip` keeps an existing caption untouched (returns
 * undefined). Then replacements, exclusions, the always-first tags, and de-duplication.
 */
export function mergeCaption(
  existing: readonly string[] | undefined,
  tagged: readonly string[],
  options: MergeOptions,
): string[] | undefined {
  if (options.mode === 'skip' && existing !== undefined && existing.length > 0) return undefined;
  const base = options.mode === 'append' && existing ? [...existing, ...tagged] : [...tagged];
  const replace = new Map((options.replacements ?? []).map((r) => [tagKey(r.from), r.to.trim()]));
  const exclude = new Set((options.exclude ?? []).map(tagKey).filter((k) => k !== ''));
  const first = (options.alwaysFirst ?? []).map((t) => t.trim()).filter((t) => t !== '');
  const firstKeys = new Set(first.map(tagKey));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tag of first) {
    const key = tagKey(tag);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  for (const raw of base) {
    const replaced = replace.has(tagKey(raw)) ? (replace.get(tagKey(raw)) ?? '') : raw.trim();
    const key = tagKey(replaced);
    if (key === '' || exclude.has(key) || firstKeys.has(key) || seen.has(key)) continue;
    seen.add(key);
    out.push(replaced);
  }
  return out;
}
