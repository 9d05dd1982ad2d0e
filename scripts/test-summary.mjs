#!/usr/bin/env node
// Adds up the JSON reports of every vitest run in `pnpm test` into one closing line, so a reader (or CI)
// sees at a glance how many tests ran: "Tests: N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = ['unit', 'e2e'].map((name) => join(root, 'test-results', `${name}.json`));
let passed = 0;
let failed = 0;
let skipped = 0;
for (const report of reports) {
  if (!existsSync(report)) {
    console.error(`missing test report: ${report}`);
    process.exit(1);
  }
  const data = JSON.parse(readFileSync(report, 'utf8'));
  passed += data.numPassedTests ?? 0;
  failed += data.numFailedTests ?? 0;
  skipped += (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0);
}
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
