import { describe, expect, it } from 'vitest';

import { apiEvents, apiMethods } from './api.js';
import { eventNames, isEventName, isMethodName, methodNames } from './names.js';
import { SettingsPatchSchema } from './settings.js';

describe('contract', () => {
  it('recognises exactly the declared method and event names', () => {
    expect(methodNames).toContain('settings.set');
    expect(isMethodName('app.info')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
    expect(isEventName('settings.changed')).toBe(true);
    expect(isEventName('constructor')).toBe(false);
    expect(Object.keys(apiMethods).sort()).toEqual([...methodNames].sort());
    expect(Object.keys(apiEvents).sort()).toEqual([...eventNames].sort());
  });

  it('accepts a partial settings patch and refuses unknown keys and wrong values', () => {
    expect(SettingsPatchSchema.safeParse({ language: 'en' }).success).toBe(true);
    expect(SettingsPatchSchema.safeParse({ folders: { models: 'D:\\模型 文件夹' } }).success).toBe(true);
    expect(SettingsPatchSchema.safeParse({ language: 'fr' }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ theme: 'dark', extra: 1 }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ folders: { models: '' } }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ folders: { cache: '/x' } }).success).toBe(false);
  });

  it('takes an empty object for methods without arguments and refuses extra fields', () => {
    expect(apiMethods['app.info'].input.safeParse({}).success).toBe(true);
    expect(apiMethods['app.info'].input.safeParse({ x: 1 }).success).toBe(false);
    expect(apiMethods['system.gpus'].input.safeParse({ refresh: 'yes' }).success).toBe(false);
  });
});
