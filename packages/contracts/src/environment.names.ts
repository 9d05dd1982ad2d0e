/** API names of the environment domain (engine discovery/installation, doctor, diagnostics). Zod-free: the preload bundle needs them. */
export const environmentMethodNames = [] as const;
export type EnvironmentMethodName = (typeof environmentMethodNames)[number];

export const environmentEventNames = [] as const;
export type EnvironmentEventName = (typeof environmentEventNames)[number];
