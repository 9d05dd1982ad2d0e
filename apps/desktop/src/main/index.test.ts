import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ipcChannels } from '@danlu/contracts';

import { createFakeElectron, type FakeElectron } from './testing/fakeElectron.js';

let base: string;
let fake: FakeElectron;
const savedDataDir = process.env['DANLU_DATA_DIR'];

async function startApp(dataDir: string, options: { lock?: boolean } = {}): Promise<FakeElectron> {
  process.env['DANLU_DATA_DIR'] = dataDir;
  fake = createFakeElectron(options);
  vi.resetModules();
  vi.doMock('electron', () => fake.module);
  await import('./index.js');
  return fake;
}

function trustedEvent(electron: FakeElectron): unknown {
  const contents = electron.windows[0]?.webContents;
  return { sender: contents, senderFrame: { url: 'app://danlu/index.html', parent: null } };
}

beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'danlu-main-'));
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  vi.doUnmock('electron');
  vi.restoreAllMocks();
  if (savedDataDir === undefined) delete process.env['DANLU_DATA_DIR'];
  else process.env['DANLU_DATA_DIR'] = savedDataDir;
  await rm(base, { recursive: true, force: true });
});

describe('main process start-up (with a stand-in for Electron)', () => {
  it('moves userData before taking the lock, then opens one locked-down window on app://danlu', async () => {
    const dataDir = path.join(base, 'data');
    const electron = await startApp(dataDir);
    await vi.waitFor(() => {
      expect(electron.windows).toHaveLength(1);
    });

    const order = electron.calls.filter(
      (call) => !call.startsWith('setPermission') && call !== 'setDevicePermissionHandler',
    );
    expect(order.slice(0, 4)).toEqual([
      expect.stringMatching(/^registerSchemesAsPrivileged .*"scheme":"app".*"standard":true.*"secure":true/),
      'setPath userData',
      'setPath sessionData',
      'requestSingleInstanceLock',
    ]);
    expect(electron.paths.get('userData')).toBe(dataDir);
    expect(electron.paths.get('sessionData')).toBe(path.join(dataDir, 'chromium'));

    const window = electron.windows[0]!;
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(String(window.options.webPreferences['preload'])).toMatch(/preload\.cjs$/);
    expect(window.webContents.loaded).toEqual(['app://danlu/index.html']);
    expect(electron.protocolHandlers.has('app')).toBe(true);
    expect(electron.calls).toContain('setPermissionRequestHandler');
  });

  it('answers API calls from the window through the real backend, and queues events until the page loads', async () => {
    const dataDir = path.join(base, 'data');
    const electron = await startApp(dataDir);
    await vi.waitFor(() => {
      expect(electron.ipcHandlers.has(ipcChannels.call)).toBe(true);
      expect(electron.windows).toHaveLength(1);
    });
    const handler = electron.ipcHandlers.get(ipcChannels.call)!;
    const contents = electron.windows[0]!.webContents;

    const info = (await handler(trustedEvent(electron), 'app.info', {})) as {
      ok: boolean;
      data: Record<string, unknown>;
    };
    expect(info.ok).toBe(true);
    expect(info.data['transport']).toBe('electron');
    expect((info.data['paths'] as { data: string }).data).toBe(dataDir);

    expect(await handler(trustedEvent(electron), 'no.such.method', {})).toMatchObject({ ok: false });
    const foreign = { sender: contents, senderFrame: { url: 'https://example.com/', parent: null } };
    expect(await handler(foreign, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const set = (await handler(trustedEvent(electron), 'settings.reset', {})) as { ok: boolean };
    expect(set.ok).toBe(true);
    expect(contents.sent).toEqual([]);
    contents.emit('did-finish-load');
    expect(contents.sent).toEqual([[ipcChannels.event, 'settings.changed', expect.any(Object)]]);
  });

  it('keeps every WebContents on our origin and sends only http(s) links to the browser', async () => {
    const electron = await startApp(path.join(base, 'data'));
    await vi.waitFor(() => {
      expect(electron.windows).toHaveLength(1);
    });
    const contents = electron.windows[0]!.webContents;
    const navigate = (url: string): boolean => {
      let prevented = false;
      contents.emit('will-frame-navigate', { url, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(navigate('app://danlu/index.html#/runs')).toBe(false);
    expect(navigate('https://github.com/kohya-ss/sd-scripts')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('javascript:alert(1)')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///C:/Windows/System32/calc.exe' })).toEqual({
      action: 'deny',
    });
    expect(electron.opened).toEqual(['https://github.com/kohya-ss/sd-scripts', 'https://example.com/']);

    let attachPrevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (attachPrevented = true) });
    expect(attachPrevented).toBe(true);
  });

  it('focuses the existing window when a second instance starts', async () => {
    const electron = await startApp(path.join(base, 'data'));
    await vi.waitFor(() => {
      expect(electron.windows).toHaveLength(1);
    });
    electron.appEvents.emit('second-instance');
    expect(electron.calls).toContain('focus');
    expect(electron.windows).toHaveLength(1);
  });

  it('quits quietly when another instance holds the lock', async () => {
    const electron = await startApp(path.join(base, 'data'), { lock: false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(electron.quit).toBe(true);
    expect(electron.windows).toHaveLength(0);
  });

  it('names an unwritable data folder in a dialog and exits with code 1, before taking the lock', async () => {
    const blocker = path.join(base, 'a-file');
    await writeFile(blocker, '');
    const dataDir = path.join(blocker, 'data');
    const electron = await startApp(dataDir);
    await vi.waitFor(() => {
      expect(electron.exitCode).toBe(1);
    });
    expect(electron.errorBoxes).toHaveLength(1);
    expect(electron.errorBoxes[0]?.content).toContain(`无法写入数据文件夹「${dataDir}」`);
    expect(electron.errorBoxes[0]?.content).toContain(`Cannot write to the data folder "${dataDir}"`);
    expect(electron.calls).not.toContain('requestSingleInstanceLock');
    expect(electron.windows).toHaveLength(0);
  });
});
