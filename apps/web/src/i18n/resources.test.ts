import { errorCodes, languages, NoticeSchema } from '@danlu/contracts';
import { describe, expect, it } from 'vitest';

import { buildResources, resources } from './resources.js';

function lookup(tree: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
}

describe('locale resources', () => {
  it('bundles every namespace for both languages', () => {
    for (const language of languages) {
      // Every page adds its namespace; both languages must have the same ones, the frame's among them.
      expect(Object.keys(resources[language]).sort()).toEqual(Object.keys(resources['zh-CN']).sort());
      expect(Object.keys(resources[language])).toEqual(
        expect.arrayContaining([
          'common',
          'errors',
          'expert',
          'home',
          'nav',
          'notices',
          'pages',
          'settings',
          'wizard',
        ]),
      );
    }
  });

  it('translates every error code, including the client-side connection_lost', () => {
    for (const language of languages) {
      for (const code of [...errorCodes, 'connection_lost']) {
        const text = lookup(resources[language]['errors'], code);
        expect(typeof text, `${language} errors.${code}`).toBe('string');
        expect((text as string).length).toBeGreaterThan(0);
      }
    }
  });

  it('has a title and a body for every notice code', () => {
    for (const language of languages) {
      for (const code of NoticeSchema.shape.code.options) {
        expect(typeof lookup(resources[language]['notices'], `${code}.title`)).toBe('string');
        expect(typeof lookup(resources[language]['notices'], `${code}.body`)).toBe('string');
      }
    }
  });

  it('files resources by the language and namespace in the path, ignoring other folders', () => {
    const built = buildResources({
      '../../../../locales/zh-CN/home.json': { a: '甲' },
      '../../../../locales/en/home.json': { a: 'A' },
      '../../../../locales/fr/home.json': { a: 'Un' },
    });
    expect(built).toEqual({ 'zh-CN': { home: { a: '甲' } }, en: { home: { a: 'A' } } });
  });
});
