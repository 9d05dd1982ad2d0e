#!/usr/bin/env node
// Fails (exit 1) when a translation key exists in one language and not in the other.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { checkLocaleParity } from './lib/locale-parity.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');
const { problems, keyCount } = checkLocaleParity(root);
if (problems.length > 0) {
  console.error(`Locale check failed (${problems.length}):`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`Locales in step: ${keyCount} keys in every language.`);
