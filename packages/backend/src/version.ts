import rootPackage from '../../../package.json' with { type: 'json' };

/** The product version, from the workspace root where releases are numbered. */
export const version: string = rootPackage.version;
