import './zodConfig.js';

export * from './api.js';
export * from './app.js';
export * from './common.js';
export * from './dataset.js';
export * from './environment.js';
export * from './runs.js';
export * from './training.js';
export * from './client.js';
export * from './errors.js';
export * from './names.js';
export * from './protocol.js';
export * from './settings.js';
export * from './system.js';
export * from './contentSecurityPolicy.js';
