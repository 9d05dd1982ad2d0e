import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @typedef {{ problems: string[], keyCount: number }} ParityReport */

/**
 * Flattens one namespace file into `key.path` entries. Only strings are valid leaves: a number, an empty
 * string or an array would show up on screen as a raw key or as nothing.
 * @param {unknown} value @param {string} prefix @param {Map<string, string>} out @param {string[]} problems @param {string} where
 */
function flatten(value, prefix, out, problems, where) {
  if (typeof value === 'string') {
    if (value.trim() === '') problems.push(`${where}: "${prefix}" is empty`);
    out.set(prefix, value);
    return;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value))
      flatten(child, prefix ? `${prefix}.${key}` : key, out, problems, where);
    return;
  }
  problems.push(`${where}: "${prefix}" must be a string or an object`);
}

/** i18next placeholders such as {{count}} must be the same in every language. @param {string} text */
function placeholders(text) {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)]
    .map((match) => match[1])
    .sort()
    .join(',');
}

/**
 * Compares every locale folder under `root` (e.g. locales/zh-CN, locales/en) namespace by namespace.
 * @param {string} root
 * @returns {ParityReport}
 */
export function checkLocaleParity(root) {
  const problems = [];
  const languages = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  if (languages.length < 2)
    problems.push(`expected at least two languages in ${root}, found ${languages.join(', ') || 'none'}`);

  /** @type {Map<string, Map<string, Map<string, string>>>} language → namespace → key → text */
  const all = new Map();
  for (const language of languages) {
    const namespaces = new Map();
    for (const file of readdirSync(join(root, language)).filter((name) => name.endsWith('.json'))) {
      const where = `${language}/${file}`;
      const keys = new Map();
      try {
        flatten(JSON.parse(readFileSync(join(root, language, file), 'utf8')), '', keys, problems, where);
      } catch (error) {
        problems.push(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      }
      namespaces.set(file.replace(/\.json$/, ''), keys);
    }
    all.set(language, namespaces);
  }

  const namespaceNames = new Set([...all.values()].flatMap((namespaces) => [...namespaces.keys()]));
  let keyCount = 0;
  for (const namespace of [...namespaceNames].sort()) {
    const union = new Set();
    for (const namespaces of all.values())
      for (const key of namespaces.get(namespace)?.keys() ?? []) union.add(key);
    keyCount += union.size;
    for (const [language, namespaces] of all) {
      const keys = namespaces.get(namespace);
      if (!keys) {
        problems.push(`${language}/${namespace}.json is missing`);
        continue;
      }
      for (const key of union)
        if (!keys.has(key)) problems.push(`${language}/${namespace}.json: missing "${key}"`);
    }
    const [first, ...others] = languages;
    const reference = first ? all.get(first)?.get(namespace) : undefined;
    for (const [key, text] of reference ?? []) {
      for (const language of others) {
        const other = all.get(language)?.get(namespace)?.get(key);
        if (other !== undefined && placeholders(other) !== placeholders(text)) {
          problems.push(`${namespace}.${key}: placeholders differ between ${first} and ${language}`);
        }
      }
    }
  }
  return { problems, keyCount };
}
