export * from './atomicWrite.js';
export * from './cliCommand.js';
export * from './dataDir.js';
