export * from './backend.js';
export * from './events.js';
export * from './paths.js';
export * from './rpc/dispatch.js';
export * from './settings/defaults.js';
export * from './settings/settingsStore.js';
export * from './system/nvidiaSmi.js';
export { backendCommands } from './cli/commands.js';
export { version } from './version.js';
