import { languages, type Language } from '@danlu/contracts';

/** locales/<language>/<namespace>.json, bundled at build time. */
const files = import.meta.glob<Record<string, unknown>>('../../../../locales/*/*.json', {
  eager: true,
  import: 'default',
});

export type Resources = Record<Language, Record<string, Record<string, unknown>>>;

export function buildResources(modules: Record<string, Record<string, unknown>>): Resources {
  const resources = Object.fromEntries(languages.map((language) => [language, {}])) as Resources;
  for (const [path, content] of Object.entries(modules)) {
    const match = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    const language = match?.[1] as Language | undefined;
    const namespace = match?.[2];
    if (!language || !namespace || !(languages as readonly string[]).includes(language)) continue;
    resources[language][namespace] = content;
  }
  return resources;
}

export const resources = buildResources(files);
export const namespaces = Object.keys(resources['zh-CN']);
