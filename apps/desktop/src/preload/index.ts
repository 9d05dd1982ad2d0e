import { contextBridge, ipcRenderer } from 'electron';

import { createBridge } from './bridge.js';

// Sandboxed preload: bundled into one file, since only `require('electron')` works here. The page sees
// exactly `window.danlu` and nothing of ipcRenderer.
contextBridge.exposeInMainWorld('danlu', createBridge(ipcRenderer));
