#!/usr/bin/env node
// The workspace runs its TypeScript sources directly: tsx compiles them on the fly.
import { register } from 'tsx/esm/api';

// `danlu … | head` closes the pipe early; that is the reader's choice, not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
