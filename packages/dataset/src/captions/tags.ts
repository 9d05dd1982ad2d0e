/** Tag lists as kohya sees them: the caption's first line split on the separator (default `,`). */

export function splitTags(caption: string, separator = ','): string[] {
  return caption
    .split(separator)
    .map((tag) => tag.trim().replace(/\s+/g, ' '))
    .filter((tag) => tag !== '');
}

export function joinTags(tags: readonly string[], separator = ', '): string {
  return tags.join(separator);
}

/** Two spellings of one tag compare equal: case, `_` vs space and extra spaces do not matter. */
export function tagKey(tag: string): string {
  return tag.trim().toLowerCase().replace(/_/g, ' ').replace(/\s+/g, ' ');
}

export type TagOperation =
  | { op: 'remove'; tags: string[] }
  | { op: 'addFirst'; tag: string }
  | { op: 'add'; tag: string }
  | { op: 'replace'; from: string; to: string }
  | { op: 'dedupe' }
  /** Alphabetical, or by frequency across the whole set (most common first); `keep` first tags stay put. */
  | { op: 'sort'; by: 'alpha' | 'frequency'; keep?: number };

export interface TagFrequency {
  tag: string;
  count: number;
}

/** How many captions contain each tag (counted once per caption), most common first. */
export function tagFrequencies(captions: readonly string[][]): TagFrequency[] {
  const counts = new Map<string, { tag: string; count: number }>();
  for (const tags of captions) {
    const seen = new Set<string>();
    for (const tag of tags) {
      const key = tagKey(tag);
      if (seen.has(key)) continue;
      seen.add(key);
      const row = counts.get(key) ?? { tag, count: 0 };
      row.count++;
      counts.set(key, row);
    }
  }
  return [...counts.values()].sort(
    (a, b) => b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0),
  );
}

/** Applies one operation to one caption's tags; `frequency` is needed for frequency sorting. */
export function applyTagOperation(
  tags: readonly string[],
  operation: TagOperation,
  frequency?: Map<string, number>,
): string[] {
  switch (operation.op) {
    case 'remove': {
      const drop = new Set(operation.tags.map(tagKey));
      return tags.filter((tag) => !drop.has(tagKey(tag)));
    }
    case 'addFirst': {
      const key = tagKey(operation.tag);
      if (key === '') return [...tags];
      return [operation.tag.trim(), ...tags.filter((tag) => tagKey(tag) !== key)];
    }
    case 'add': {
      const key = tagKey(operation.tag);
      if (key === '' || tags.some((tag) => tagKey(tag) === key)) return [...tags];
      return [...tags, operation.tag.trim()];
    }
    case 'replace': {
      const from = tagKey(operation.from);
      const to = operation.to.trim();
      return tags.flatMap((tag) => (tagKey(tag) === from ? (to === '' ? [] : [to]) : [tag]));
    }
    case 'dedupe': {
      const seen = new Set<string>();
      return tags.filter((tag) => {
        const key = tagKey(tag);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    case 'sort': {
      const keep = Math.max(0, operation.keep ?? 0);
      const head = tags.slice(0, keep);
      const rest = tags.slice(keep);
      const byAlpha = (a: string, b: string) => (tagKey(a) < tagKey(b) ? -1 : tagKey(a) > tagKey(b) ? 1 : 0);
      rest.sort(
        operation.by === 'alpha'
          ? byAlpha
          : (a, b) => (frequency?.get(tagKey(b)) ?? 0) - (frequency?.get(tagKey(a)) ?? 0) || byAlpha(a, b),
      );
      return [...head, ...rest];
    }
  }
}

/** Applies several operations in order. */
export function applyTagOperations(
  tags: readonly string[],
  operations: readonly TagOperation[],
  frequency?: Map<string, number>,
): string[] {
  let out = [...tags];
  for (const operation of operations) out = applyTagOperation(out, operation, frequency);
  return out;
}
