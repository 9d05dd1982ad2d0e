import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

// electron-builder's own loader and schema validator, used offline (nothing here downloads).
const desktopDir = path.resolve(import.meta.dirname, '../..');
const configFile = path.join(desktopDir, 'electron-builder.yml');
const fromBuilder = createRequire(
  createRequire(path.join(desktopDir, 'package.json')).resolve('electron-builder/package.json'),
);

interface ConfigModule {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, debug: { isEnabled: boolean; add(): void }): Promise<void>;
}
const configModule = fromBuilder('app-builder-lib/out/util/config/config') as ConfigModule;
const electronVersion = fromBuilder('app-builder-lib/out/electron/electronVersion') as {
  getElectronVersion: (projectDir: string, config: unknown) => Promise<string>;
};
// The matcher electron-builder applies to asarUnpack patterns (app-builder-lib's fileMatcher, { dot: true }).
const fromAppBuilder = createRequire(fromBuilder.resolve('app-builder-lib/package.json'));
const { minimatch } = fromAppBuilder('minimatch') as {
  minimatch: (path: string, pattern: string, options?: object) => boolean;
};
const noDebug = { isEnabled: false, add: () => undefined };

interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  asarUnpack: string[];
  files: unknown;
  extraResources: { from: string; to: string }[];
  npmRebuild: boolean;
  win: { target: { target: string; arch: string[] }[] };
  nsis: Record<string, unknown>;
  linux: { target: { target: string }[] };
  directories: { output: string; buildResources: string };
}

const loaded = await configModule.getConfig(desktopDir, configFile, null);
const config = loaded as unknown as BuilderConfig;

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema, which does reject a wrong config", async () => {
    await expect(
      configModule.validateConfiguration(structuredClone(loaded), noDebug),
    ).resolves.toBeUndefined();
    await expect(
      configModule.validateConfiguration({ ...structuredClone(loaded), nsis: { oneClick: 'no' } }, noDebug),
    ).rejects.toThrow(/oneClick/);
  });

  it('names the product and finds the installed Electron version without the network', async () => {
    expect(config.appId).toBe('app.danlu.studio');
    expect(config.productName).toBe('Danlu');
    const installed = JSON.parse(
      readFileSync(fromBuilder.resolve('electron/package.json', { paths: [desktopDir] }), 'utf8'),
    ) as {
      version: string;
    };
    expect(await electronVersion.getElectronVersion(desktopDir, loaded)).toBe(installed.version);
  });

  it('packs dist/ into app.asar and points main at the bundle', () => {
    const pkg = JSON.parse(readFileSync(path.join(desktopDir, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main.cjs');
    expect(JSON.stringify(config.files)).toContain('dist/**/*');
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(false);
  });

  it('unpacks the native addons and their DLLs from app.asar', () => {
    const mustUnpack = [
      'node_modules/sharp/lib/index.js',
      'node_modules/@img/sharp-win32-x64/lib/sharp-win32-x64.node',
      'node_modules/@img/sharp-win32-x64/lib/libvips-42.dll',
      'node_modules/onnxruntime-node/bin/napi-v3/win32/x64/onnxruntime.dll',
      'node_modules/.pnpm/sharp@0.34.0/node_modules/sharp/package.json',
    ];
    for (const file of mustUnpack) {
      expect(
        config.asarUnpack.some((pattern) => minimatch(file, pattern, { dot: true })),
        file,
      ).toBe(true);
    }
    expect(config.asarUnpack.some((pattern) => minimatch('dist/main.cjs', pattern, { dot: true }))).toBe(
      false,
    );
  });

  it('ships resources/ (Python helpers) outside app.asar', () => {
    expect(config.extraResources).toContainEqual(
      expect.objectContaining({ from: '../../resources', to: 'resources' }),
    );
    const from = path.resolve(desktopDir, config.extraResources[0]?.from ?? '');
    expect(from).toBe(path.resolve(desktopDir, '../../resources'));
    expect(existsSync(from)).toBe(true);
  });

  it('builds an assisted, per-user NSIS installer for x64 in Chinese and English', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: false,
      allowToChangeInstallationDirectory: true,
      deleteAppDataOnUninstall: false,
    });
    expect(config.nsis['installerLanguages']).toEqual(['zh_CN', 'en_US']);
    expect(config.nsis['artifactName']).toMatch(/\$\{version\}/);
    expect(config.linux.target.map((target) => target.target)).toEqual(['AppImage']);
    expect(config.directories.buildResources).toBe('build');
  });
});
