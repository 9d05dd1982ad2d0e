export * from './types';
export * from './catalogue';
export * from './config';
export * from './errors';
export * from './export';
export * from './presets';
export * from './estimate';
export * from './rules';
