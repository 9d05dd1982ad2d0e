import { TaggerError } from './errors.js';

export type TagCategory = 'rating' | 'general' | 'character' | 'other';

export interface TagList {
  names: string[];
  categories: TagCategory[];
  /** Column indices per category, in CSV order (the model's output order). */
  rating: number[];
  general: number[];
  character: number[];
}

/** RFC 4180 fields of one line (quotes, doubled quotes); tag names may hold commas and quotes. */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

const categoryCodes: Record<string, TagCategory> = { '9': 'rating', '0': 'general', '4': 'character' };

/**
 * Parses a WD `selected_tags.csv` (`tag_id,name,category,count`): row i is output column i. Categories
 * are taken from the codes (9 rating, 0 general, 4 character), never from row positions.
 */
export function parseSelectedTags(text: string): TagList {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = parseCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  const nameAt = header.indexOf('name');
  const categoryAt = header.indexOf('category');
  if (nameAt < 0 || categoryAt < 0)
    throw new TaggerError(
      'bad_tags_csv',
      '标签文件不是 WD 的 selected_tags.csv（缺少 name/category 列） / The tags file is not a WD selected_tags.csv (no name/category columns)',
    );
  const list: TagList = { names: [], categories: [], rating: [], general: [], character: [] };
  lines.slice(1).forEach((line, i) => {
    const fields = parseCsvLine(line);
    const category = categoryCodes[(fields[categoryAt] ?? '').trim()] ?? 'other';
    list.names.push(fields[nameAt] ?? '');
    list.categories.push(category);
    if (category !== 'other') list[category].push(i);
  });
  if (list.names.length === 0)
    throw new TaggerError('bad_tags_csv', '标签文件是空的 / The tags file has no tags');
  return list;
}
