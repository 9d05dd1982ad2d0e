import { app, dialog, Menu, session } from 'electron';

import { createBackend } from '@danlu/backend';

import { connectBackend } from './ipc.js';
import { appEntryUrl, originOf } from './origin.js';
import { chooseDataDir, desktopLayout, probeWritableSync, sessionDataDir } from './paths.js';
import { registerAppScheme, serveAppFiles } from './protocol.js';
import { hardenAllWebContents, hardenSession } from './security.js';
import { dataDirUnwritable, describeStartupError, type StartupFailure } from './startupError.js';
import { ownOrigins, parseDevServerUrl } from './urlPolicy.js';
import { AppWindows } from './window.js';

const appUserModelId = 'app.danlu.studio';

/** Tells the user why we stop (a dialog once Electron can draw one), then exits with code 1. */
function failAndQuit(failure: StartupFailure): void {
  console.error(`${failure.title}\n${failure.content}`);
  void app.whenReady().then(() => {
    dialog.showErrorBox(failure.title, failure.content);
    app.exit(1);
  });
}

function main(): void {
  // Stack traces in logs point at src/, not at the bundle.
  process.setSourceMapsEnabled(true);
  // Everything up to the single-instance lock must happen before `ready`.
  registerAppScheme();
  if (process.platform === 'win32') app.setAppUserModelId(appUserModelId);

  const { dir: dataDir, overridden } = chooseDataDir(process.env, app.getPath('userData'));
  // The lock is per userData folder, so move userData first (electron#29068).
  if (overridden) app.setPath('userData', dataDir);
  app.setPath('sessionData', sessionDataDir(dataDir));

  // An unwritable folder would make the lock fail as if another instance held it: check first.
  const problem = probeWritableSync(dataDir);
  if (problem !== undefined) {
    failAndQuit(dataDirUnwritable(dataDir, problem));
    return;
  }
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const devServerSetting = process.env['DANLU_WEB_URL'];
  const devServer = app.isPackaged ? undefined : parseDevServerUrl(devServerSetting);
  if (devServerSetting && !devServer) {
    console.warn(
      `[danlu] ignoring DANLU_WEB_URL=${devServerSetting}: only http(s) on localhost, and never when packaged`,
    );
  }
  const origins = ownOrigins(devServer);
  // The bundle is CommonJS (dist/main.cjs), so __dirname is the dist folder.
  const layout = desktopLayout(__dirname, app.isPackaged);
  const windows = new AppWindows();
  const openWindow = (): void => {
    windows.open({
      preloadFile: layout.preloadFile,
      url: devServer?.href ?? appEntryUrl,
      devTools: !app.isPackaged,
    });
  };

  // Set once the backend answers on IPC; a window opened before that would call into nothing.
  let backendConnected = false;

  hardenAllWebContents(origins);
  app.on('second-instance', () => {
    const window = windows.first();
    if (window) window.focus();
    else if (backendConnected) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app
    .whenReady()
    .then(async () => {
      hardenSession(session.defaultSession, origins, devServer ? originOf(devServer.href) : undefined);
      serveAppFiles(layout.webRoot);
      const backend = await createBackend({
        dataDir,
        transport: 'electron',
        resourcesDir: layout.resourcesDir,
        versions: { electron: process.versions.electron, chrome: process.versions.chrome },
        systemLocale: app.getPreferredSystemLanguages()[0] ?? app.getLocale(),
        onInternalError: (error) => {
          console.error('[danlu] internal error:', error);
        },
      });
      connectBackend(backend, windows, origins);
      backendConnected = true;
      // No default menu in the product (its Reload and DevTools entries are for us); editing shortcuts
      // in text fields still work without one on Windows and Linux.
      if (app.isPackaged && process.platform !== 'darwin') Menu.setApplicationMenu(null);
      openWindow();
      app.on('activate', () => {
        if (windows.count === 0) openWindow();
      });
    })
    .catch((error: unknown) => {
      failAndQuit(describeStartupError(error));
    });
}

main();
