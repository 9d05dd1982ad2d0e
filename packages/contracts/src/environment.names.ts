/** API names of the environment domain (engine discovery/installation, doctor, diagnostics). Zod-free: the preload bundle needs them. */
export const environmentMethodNames = [
  'engine.list',
  'engine.search',
  'engine.attach',
  'engine.detach',
  'engine.probe',
  'engine.setActive',
  'engine.setEnv',
  'engine.installPlan',
  'engine.install',
  'engine.installStatus',
  'engine.installCancel',
  'engine.reachability',
  'environment.setPrefs',
  'doctor.run',
  'diagnostics.bundle',
] as const;
export type EnvironmentMethodName = (typeof environmentMethodNames)[number];

export const environmentEventNames = ['engine.install', 'engine.changed'] as const;
export type EnvironmentEventName = (typeof environmentEventNames)[number];
