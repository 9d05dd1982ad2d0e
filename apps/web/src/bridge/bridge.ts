import { useAppInfoStore } from '../stores/appInfoStore.js';
import { useConnectionStore } from '../stores/connectionStore.js';
import { useDatasetStore } from '../stores/datasetStore.js';
import { useGpuStore } from '../stores/gpuStore.js';
import { useNoticesStore } from '../stores/noticesStore.js';
import { useRunsStore } from '../stores/runsStore.js';
import { useSettingsStore } from '../stores/settingsStore.js';
import { setTransport } from './api.js';
import { pickTransport } from './transport.js';
import type { Transport } from './types.js';

/** Everything the frame needs before it can show a page; asked again after every reconnect. */
async function loadEssentials(): Promise<boolean> {
  const [settings] = await Promise.all([
    useSettingsStore.getState().load(),
    useNoticesStore.getState().load(),
    useAppInfoStore.getState().load(),
  ]);
  return settings.ok;
}

/**
 * The one place that listens to the API: it picks the transport, feeds push events into the stores and
 * reloads state when a dropped connection comes back (the server may have restarted meanwhile).
 * Components read stores and call store actions; they never subscribe to the transport themselves.
 */
export function startBridge(win: Window = window): Transport {
  const transport = pickTransport(win);
  setTransport(transport);
  const connection = useConnectionStore.getState();
  connection.setTransport(transport.kind);
  connection.setConnection(transport.connection);

  transport.on('settings.changed', (settings) => {
    useSettingsStore.getState().receive(settings);
  });
  transport.on('notices.changed', (notices) => {
    useNoticesStore.getState().receive(notices);
  });
  transport.on('runs.changed', (runs) => {
    useRunsStore.getState().receiveList(runs);
  });
  transport.on('runs.update', (update) => {
    useRunsStore.getState().receiveUpdate(update);
  });
  transport.on('dataset.progress', (progress) => {
    useDatasetStore.getState().receiveProgress(progress);
  });

  let loading = false;
  const refresh = async () => {
    if (loading) return;
    loading = true;
    try {
      const ok = await loadEssentials();
      if (ok) useConnectionStore.getState().setReady(true);
      void useGpuStore.getState().load();
      // The sidebar and Home show the running run; after a reconnect the server may have restarted.
      void useRunsStore.getState().load();
    } finally {
      loading = false;
    }
  };

  transport.onConnectionChange((state) => {
    useConnectionStore.getState().setConnection(state);
    if (state.status === 'open') void refresh();
  });
  // Electron is connected from the start; the WebSocket client calls back once it opens, but calls made
  // now simply wait for it.
  void refresh();
  return transport;
}
