import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import {
  describeFetchFailure,
  downloadHost,
  fetchTimeoutSeconds,
  findElectronBinary,
  probeHost,
  reasonToSkipElectron,
} from '../../scripts/start.mjs';

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function fakeElectronPackage(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'danlu-electron-'));
  temps.push(dir);
  return dir;
}

describe('findElectronBinary', () => {
  it('finds nothing when the postinstall never ran (no path.txt)', async () => {
    expect(findElectronBinary(await fakeElectronPackage(), {}, 'linux')).toBeUndefined();
  });

  it('finds nothing when path.txt names a file that is not there', async () => {
    const dir = await fakeElectronPackage();
    await writeFile(path.join(dir, 'path.txt'), 'electron');
    expect(findElectronBinary(dir, {}, 'linux')).toBeUndefined();
  });

  it('finds dist/<path.txt>, or the same name under ELECTRON_OVERRIDE_DIST_PATH', async () => {
    const dir = await fakeElectronPackage();
    await writeFile(path.join(dir, 'path.txt'), 'electron.exe');
    await mkdir(path.join(dir, 'dist'));
    await writeFile(path.join(dir, 'dist', 'electron.exe'), '');
    expect(findElectronBinary(dir, {}, 'win32')).toBe(path.join(dir, 'dist', 'electron.exe'));

    const custom = await fakeElectronPackage();
    await writeFile(path.join(custom, 'electron.exe'), '');
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: custom }, 'win32')).toBe(
      path.join(custom, 'electron.exe'),
    );
  });
});

describe('reasonToSkipElectron', () => {
  it('goes to the browser when asked, on a headless Linux box, or as root on Linux', () => {
    expect(reasonToSkipElectron({ DANLU_NO_ELECTRON: '1', DISPLAY: ':0' }, 'win32', undefined)?.en).toMatch(
      /DANLU_NO_ELECTRON/,
    );
    expect(reasonToSkipElectron({}, 'linux', 1000)?.en).toMatch(/no display/);
    expect(reasonToSkipElectron({ DISPLAY: ':0' }, 'linux', 0)?.en).toMatch(/root/);
  });

  it('lets Electron run on a desktop', () => {
    expect(reasonToSkipElectron({}, 'win32', undefined)).toBeUndefined();
    expect(reasonToSkipElectron({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', 1000)).toBeUndefined();
    expect(reasonToSkipElectron({ DANLU_NO_ELECTRON: '0', DISPLAY: ':0' }, 'linux', 1000)).toBeUndefined();
  });
});

describe('fetch settings', () => {
  it('bounds the download time, 120 s unless DANLU_ELECTRON_FETCH_TIMEOUT says otherwise', () => {
    expect(fetchTimeoutSeconds({})).toBe(120);
    expect(fetchTimeoutSeconds({ DANLU_ELECTRON_FETCH_TIMEOUT: '30' })).toBe(30);
    expect(fetchTimeoutSeconds({ DANLU_ELECTRON_FETCH_TIMEOUT: 'soon' })).toBe(120);
    expect(fetchTimeoutSeconds({ DANLU_ELECTRON_FETCH_TIMEOUT: '-5' })).toBe(120);
  });

  it('reports the host @electron/get will download from', () => {
    expect(downloadHost({}).host).toBe('github.com');
    expect(downloadHost({ ELECTRON_MIRROR: 'https://npmmirror.com/mirrors/electron/' }).host).toBe(
      'npmmirror.com',
    );
    expect(downloadHost({ npm_config_electron_mirror: 'http://127.0.0.1:9/' }).host).toBe('127.0.0.1:9');
  });
});

describe('describeFetchFailure', () => {
  const base = {
    timedOut: false,
    timeoutS: 120,
    exitCode: 1,
    output: 'TypeError: fetch failed',
    host: 'github.com',
  };

  it('says when the host cannot be resolved or reached', () => {
    expect(describeFetchFailure({ ...base, probe: 'ENOTFOUND' })).toEqual({
      zh: '无法解析 github.com',
      en: 'github.com could not be resolved',
    });
    expect(describeFetchFailure({ ...base, probe: 'ECONNREFUSED' }).en).toBe(
      'github.com is unreachable, ECONNREFUSED',
    );
  });

  it('says when it ran out of time, a checksum failed, or the server answered an HTTP error', () => {
    expect(describeFetchFailure({ ...base, timedOut: true, probe: undefined }).zh).toBe('120 秒内未完成');
    expect(
      describeFetchFailure({ ...base, probe: 'connected', output: 'Generated checksum for x did not match' })
        .en,
    ).toMatch(/checksum/);
    expect(
      describeFetchFailure({
        ...base,
        probe: 'connected',
        output: 'HTTPError: Response code 404 (Not Found)',
      }).en,
    ).toBe('github.com answered HTTP 404');
    expect(describeFetchFailure({ ...base, probe: 'connected' }).en).toBe(
      'the install script exited with code 1',
    );
  });
});

describe('probeHost', () => {
  it('tells a listening port from a closed one', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    expect(await probeHost(new URL(`http://127.0.0.1:${port}/`))).toBe('connected');
    await new Promise((resolve) => server.close(resolve));
    expect(await probeHost(new URL(`http://127.0.0.1:${port}/`))).toBe('ECONNREFUSED');
  });
});
