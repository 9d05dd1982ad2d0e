import { describe, expect, it } from 'vitest';

import { decodePredictions, mcutThreshold } from './decode.js';
import { formatTag, mergeCaption } from './format.js';
import { parseProviders, providerCandidates } from './providers.js';
import { parseSelectedTags } from './tagList.js';

describe('tag list and decoding', () => {
  it('parses selected_tags.csv with quoted names and categories by code', () => {
    const list = parseSelectedTags(
      '\uFEFFtag_id,name,category,count\r\n1,general,9,5\r\n2,"m16a1_(girls\'_frontline), x",0,3\r\n3,hatsune_miku,4,2\r\n4,meta,5,1\r\n',
    );
    expect(list.names).toEqual(['general', "m16a1_(girls'_frontline), x", 'hatsune_miku', 'meta']);
    expect([list.rating, list.general, list.character]).toEqual([[0], [1], [2]]);
    expect(() => parseSelectedTags('a,b\n1,2\n')).toThrow(/selected_tags\.csv/);
  });

  it('uses MCut at the largest gap and floors it for characters', () => {
    expect(mcutThreshold([0.9, 0.85, 0.2, 0.1])).toBeCloseTo(0.525, 5);
    const list = parseSelectedTags(
      'tag_id,name,category,count\n1,a,0,1\n2,b,0,1\n3,c,0,1\n4,x,4,1\n5,y,4,1\n',
    );
    const r = decodePredictions([0.9, 0.8, 0.3, 0.12, 0.1], list, { generalMcut: true, characterMcut: true });
    expect(r.general.map((t) => t.name)).toEqual(['a', 'b']);
    // characters' MCut would be 0.11; the floor of 0.15 keeps both out
    expect(r.character).toEqual([]);
    const gte = decodePredictions([0.35, 0, 0, 0, 0], list, { comparison: 'gte' });
    expect(gte.general.map((t) => t.name)).toEqual(['a']);
    expect(decodePredictions([0.35, 0, 0, 0, 0], list).general).toEqual([]);
  });
});

describe('formatting and merging', () => {
  it('replaces underscores except in kaomoji and escapes brackets', () => {
    expect(formatTag('looking_at_viewer')).toBe('looking at viewer');
    expect(formatTag('^_^')).toBe('^_^');
    expect(formatTag('||_||')).toBe('||_||');
    expect(formatTag('star_(sky)')).toBe('star \\(sky\\)');
    expect(formatTag('star_(sky)', { escapeBrackets: false, underscores: false })).toBe('star_(sky)');
  });

  it('merges by mode with trigger first, exclusions, replacements and no duplicates', () => {
    const tagged = ['1girl', 'solo', 'white background', 'Red Hair'];
    expect(mergeCaption(['red_hair', 'smile'], tagged, { mode: 'append', alwaysFirst: ['ohwx'] })).toEqual([
      'ohwx',
      'red_hair',
      'smile',
      '1girl',
      'solo',
      'white background',
    ]);
    expect(mergeCaption(['smile'], tagged, { mode: 'overwrite', exclude: ['white_background'] })).toEqual([
      '1girl',
      'solo',
      'Red Hair',
    ]);
    expect(mergeCaption(['smile'], tagged, { mode: 'skip' })).toBeUndefined();
    expect(
      mergeCaption([], tagged, {
        mode: 'skip',
        replacements: [
          { from: '1girl', to: 'woman' },
          { from: 'solo', to: '' },
        ],
      }),
    ).toEqual(['woman', 'white background', 'Red Hair']);
    expect(mergeCaption(['ohwx', 'a'], ['OHWX'], { mode: 'append', alwaysFirst: ['ohwx'] })).toEqual([
      'ohwx',
      'a',
    ]);
  });
});

describe('execution providers', () => {
  it('tries DirectML on Windows, CUDA on Linux only when its libraries exist, always CPU last', () => {
    expect(providerCandidates('win32', 'x64', () => false).map((c) => c.name)).toEqual(['dml', 'cpu']);
    expect(providerCandidates('linux', 'x64', () => true).map((c) => c.name)).toEqual(['cuda', 'cpu']);
    expect(providerCandidates('linux', 'x64', () => false).map((c) => c.name)).toEqual(['cpu']);
    expect(providerCandidates('darwin', 'arm64', () => true).map((c) => c.name)).toEqual(['cpu']);
    expect(parseProviders('cuda').map((c) => c.name)).toEqual(['cuda', 'cpu']);
    expect(parseProviders('cpu').map((c) => c.name)).toEqual(['cpu']);
  });
});
