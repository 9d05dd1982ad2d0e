import { EventEmitter } from 'node:events';

/**
 * Just enough of Electron's main-process API to run src/main/index.ts under Vitest: it records what the
 * app asked for (paths, scheme privileges, window options, handlers) so tests can check the wiring.
 * There is no Electron binary in CI; this is not a substitute for running the real thing.
 */
export function createFakeElectron(options: { lock?: boolean } = {}) {
  const calls: string[] = [];
  const paths = new Map<string, string>([['userData', '/fake/userData']]);
  const appEvents = new EventEmitter();
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const windows: FakeBrowserWindow[] = [];
  const errorBoxes: { title: string; content: string }[] = [];
  const opened: string[] = [];
  let exitCode: number | undefined;
  let quit = false;
  let nextId = 1;

  class FakeWebContents extends EventEmitter {
    readonly id = nextId++;
    readonly sent: unknown[][] = [];
    readonly loaded: string[] = [];
    windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
    url = '';
    loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      this.url = url;
      return Promise.resolve();
    }
    send(...args: unknown[]): void {
      this.sent.push(args);
    }
    isDestroyed(): boolean {
      return false;
    }
    getURL(): string {
      return this.url;
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
      this.windowOpenHandler = handler;
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    visible = false;
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      calls.push('new BrowserWindow');
      windows.push(this);
      appEvents.emit('web-contents-created', {}, this.webContents);
    }
    isDestroyed(): boolean {
      return false;
    }
    isVisible(): boolean {
      return this.visible;
    }
    isMinimized(): boolean {
      return false;
    }
    show(): void {
      this.visible = true;
    }
    restore(): void {}
    focus(): void {
      calls.push('focus');
    }
  }

  const module = {
    app: {
      isPackaged: false,
      getPath: (name: string) => paths.get(name) ?? `/fake/${name}`,
      setPath: (name: string, value: string) => {
        calls.push(`setPath ${name}`);
        paths.set(name, value);
      },
      setAppUserModelId: () => undefined,
      requestSingleInstanceLock: () => {
        calls.push('requestSingleInstanceLock');
        return options.lock ?? true;
      },
      whenReady: () => Promise.resolve(),
      getPreferredSystemLanguages: () => ['zh-CN'],
      getLocale: () => 'zh-CN',
      on: (event: string, listener: (...args: unknown[]) => void) => appEvents.on(event, listener),
      quit: () => {
        quit = true;
      },
      exit: (code: number) => {
        exitCode = code;
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) =>
        calls.push(`registerSchemesAsPrivileged ${JSON.stringify(schemes)}`),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
        protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => calls.push('setPermissionRequestHandler'),
        setPermissionCheckHandler: () => calls.push('setPermissionCheckHandler'),
        setDevicePermissionHandler: () => calls.push('setDevicePermissionHandler'),
        webRequest: { onHeadersReceived: () => calls.push('onHeadersReceived') },
      },
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
        ipcHandlers.set(channel, handler);
      },
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    dialog: {
      showErrorBox: (title: string, content: string) => errorBoxes.push({ title, content }),
    },
    Menu: { setApplicationMenu: () => undefined },
    shell: {
      openExternal: (url: string) => {
        opened.push(url);
        return Promise.resolve();
      },
    },
    nativeTheme: { shouldUseDarkColors: false },
    BrowserWindow: FakeBrowserWindow,
  };

  return {
    module,
    calls,
    paths,
    appEvents,
    ipcHandlers,
    protocolHandlers,
    windows,
    errorBoxes,
    opened,
    get exitCode() {
      return exitCode;
    },
    get quit() {
      return quit;
    },
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
