import { create } from 'zustand';

import type { ConnectionState, Transport } from '../bridge/types.js';

export interface ConnectionStoreState {
  transport: Transport['kind'] | undefined;
  connection: ConnectionState;
  /** True once settings, notices and app info arrived over this connection. */
  ready: boolean;
  setConnection: (connection: ConnectionState) => void;
  setTransport: (kind: Transport['kind']) => void;
  setReady: (ready: boolean) => void;
}

export const useConnectionStore = create<ConnectionStoreState>()((set) => ({
  transport: undefined,
  connection: { status: 'connecting', everConnected: false, failedAttempts: 0 },
  ready: false,
  setConnection: (connection) => {
    set({ connection });
  },
  setTransport: (transport) => {
    set({ transport });
  },
  setReady: (ready) => {
    set({ ready });
  },
}));

export const selectConnection = (state: ConnectionStoreState) => state.connection;
export const selectReady = (state: ConnectionStoreState) => state.ready;
/** The banner shows only after a drop; the very first connect has its own start-up screen. */
export const selectConnectionLost = (state: ConnectionStoreState) =>
  state.connection.everConnected && state.connection.status !== 'open';
