import { BrowserWindow, nativeTheme } from 'electron';

import { ipcChannels, type EventName } from '@danlu/contracts';

import { EventOutbox } from './eventOutbox.js';

export interface AppWindowOptions {
  preloadFile: string;
  /** app://danlu/index.html, or the dev server. */
  url: string;
  devTools: boolean;
}

type PushedEvent = readonly [event: EventName, payload: unknown];

/** One UI window plus the queue that holds push events until its page has loaded. */
export class AppWindow {
  readonly browserWindow: BrowserWindow;
  readonly #outbox: EventOutbox<PushedEvent>;

  constructor(options: AppWindowOptions) {
    this.browserWindow = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 960,
      minHeight: 600,
      show: false,
      title: '丹炉 Danlu',
      autoHideMenuBar: true,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#121212' : '#fafafa',
      webPreferences: {
        preload: options.preloadFile,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: false,
        devTools: options.devTools,
      },
    });
    const contents = this.browserWindow.webContents;
    this.#outbox = new EventOutbox<PushedEvent>(([event, payload]) => {
      if (!contents.isDestroyed()) contents.send(ipcChannels.event, event, payload);
    });

    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) this.#outbox.close();
    });
    contents.on('did-finish-load', () => {
      this.#outbox.open();
    });
    contents.on('render-process-gone', (_event, details) => {
      this.#outbox.close();
      console.error(`[danlu] renderer gone: ${details.reason} (exit code ${details.exitCode})`);
    });
    contents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
      if (isMainFrame) console.error(`[danlu] could not load ${url}: ${description} (${code})`);
      this.show();
    });
    this.browserWindow.once('ready-to-show', () => {
      this.show();
    });
    this.browserWindow.on('closed', () => {
      this.#outbox.discard();
    });

    contents.loadURL(options.url).catch((error: unknown) => {
      console.error(`[danlu] loading ${options.url} failed:`, error);
    });
  }

  get webContentsId(): number {
    return this.browserWindow.webContents.id;
  }

  get isDestroyed(): boolean {
    return this.browserWindow.isDestroyed();
  }

  /** Queues the event until the page is ready to receive it. */
  send(event: EventName, payload: unknown): void {
    if (!this.isDestroyed) this.#outbox.post([event, payload]);
  }

  show(): void {
    if (!this.isDestroyed && !this.browserWindow.isVisible()) this.browserWindow.show();
  }

  /** Brings the window to the front (a second launch of the app does this). */
  focus(): void {
    if (this.isDestroyed) return;
    if (this.browserWindow.isMinimized()) this.browserWindow.restore();
    this.browserWindow.show();
    this.browserWindow.focus();
  }
}

/** The windows that are allowed to talk to the backend, by WebContents id. */
export class AppWindows {
  readonly #windows = new Map<number, AppWindow>();

  open(options: AppWindowOptions): AppWindow {
    const window = new AppWindow(options);
    const id = window.webContentsId;
    this.#windows.set(id, window);
    window.browserWindow.on('closed', () => this.#windows.delete(id));
    return window;
  }

  has(webContentsId: number): boolean {
    return this.#windows.has(webContentsId);
  }

  first(): AppWindow | undefined {
    return this.#windows.values().next().value;
  }

  get count(): number {
    return this.#windows.size;
  }

  broadcast(event: EventName, payload: unknown): void {
    for (const window of this.#windows.values()) window.send(event, payload);
  }
}
