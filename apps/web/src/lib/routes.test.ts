import { describe, expect, it } from 'vitest';

import { hashFor, pageIds, parseHash } from './routes.js';

describe('parseHash', () => {
  it('reads every page from its own hash', () => {
    for (const id of pageIds) expect(parseHash(hashFor(id))).toBe(id);
  });

  it('tolerates the usual variations', () => {
    expect(parseHash('#wizard')).toBe('wizard');
    expect(parseHash('#/Runs')).toBe('runs');
    expect(parseHash('#/runs/42')).toBe('runs');
    expect(parseHash('#/dataset?path=/x')).toBe('dataset');
    expect(parseHash('#//settings/')).toBe('settings');
  });

  it('falls back to Home for anything else', () => {
    expect(parseHash('')).toBe('home');
    expect(parseHash('#')).toBe('home');
    expect(parseHash('#/')).toBe('home');
    expect(parseHash('#/nope')).toBe('home');
    expect(parseHash('#/constructor')).toBe('home');
  });
});
