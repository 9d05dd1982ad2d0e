import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { chooseDataDir, desktopLayout, probeWritableSync, sessionDataDir } from './paths.js';

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) {
    await chmod(dir, 0o755).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});

describe('desktopLayout', () => {
  const mainDir = path.resolve('/repo/apps/desktop/dist');

  it('reads the UI from apps/web/dist in development', () => {
    expect(desktopLayout(mainDir, false)).toEqual({
      preloadFile: path.join(mainDir, 'preload.cjs'),
      webRoot: path.resolve('/repo/apps/web/dist'),
      resourcesDir: path.resolve('/repo/resources'),
    });
  });

  it('reads the UI from dist/web (inside app.asar) and resources from extraResources when packaged', () => {
    const layout = desktopLayout(mainDir, true, path.resolve('/install/resources'));
    expect(layout.webRoot).toBe(path.join(mainDir, 'web'));
    expect(layout.resourcesDir).toBe(path.resolve('/install/resources/resources'));
  });
});

describe('chooseDataDir', () => {
  it("uses Electron's userData unless DANLU_DATA_DIR is set", () => {
    expect(chooseDataDir({}, '/home/u/.config/Danlu')).toEqual({
      dir: '/home/u/.config/Danlu',
      overridden: false,
    });
    expect(chooseDataDir({ DANLU_DATA_DIR: '  ' }, '/u')).toEqual({ dir: '/u', overridden: false });
    expect(chooseDataDir({ DANLU_DATA_DIR: 'rel/data' }, '/u')).toEqual({
      dir: path.resolve('rel/data'),
      overridden: true,
    });
  });

  it("keeps Chromium's profile in its own subfolder", () => {
    expect(sessionDataDir('/data')).toBe(path.join('/data', 'chromium'));
  });
});

describe('probeWritableSync', () => {
  it('creates a missing folder and reports a writable one as fine', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'danlu-desktop-'));
    temps.push(base);
    expect(probeWritableSync(path.join(base, 'new', 'data'))).toBeUndefined();
  });

  it('names the error when the folder cannot be used', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'danlu-desktop-'));
    temps.push(base);
    const file = path.join(base, 'a-file');
    await writeFile(file, '');
    expect(probeWritableSync(path.join(file, 'data'))).toMatch(/^E[A-Z]+$/);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'reports a read-only folder',
    async () => {
      const base = await mkdtemp(path.join(tmpdir(), 'danlu-desktop-'));
      temps.push(base);
      await chmod(base, 0o555);
      expect(probeWritableSync(base)).toBe('EACCES');
    },
  );
});
