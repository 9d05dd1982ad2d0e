import { useEffect } from 'react';

import { currentTransport } from '../../bridge/api.js';
import { useEnvironmentStore } from '../../stores/environmentStore.js';

/**
 * Loads engines, install status and doctor when a page that shows them opens, and follows the
 * backend's `engine.changed` / `engine.install` events while it stays open.
 */
export function useEnvironmentLive(): void {
  useEffect(() => {
    const store = useEnvironmentStore.getState();
    void store.load().then(() => store.runDoctor());
    const transport = currentTransport();
    if (!transport) return;
    const stops = [
      transport.on('engine.changed', (list) => {
        useEnvironmentStore.getState().receiveList(list);
      }),
      transport.on('engine.install', (status) => {
        useEnvironmentStore.getState().receiveInstall(status);
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, []);
}

/**
 * Compute capability from the marketing name, for drivers whose nvidia-smi has no `compute_cap`
 * (the probe's number, from torch, is the real one).
 */
export function capabilityGuess(name: string): string | undefined {
  const n = name.toUpperCase();
  if (/RTX\s*PRO\s*\d+\s*BLACKWELL|RTX\s*50\d0/.test(n)) return '12.0';
  if (/H100|H200|H800/.test(n)) return '9.0';
  if (/RTX\s*40\d0|L40|\bL4\b/.test(n)) return '8.9';
  if (/RTX\s*30\d0|\bA10\b|\bA40\b/.test(n)) return '8.6';
  if (/A100|A800/.test(n)) return '8.0';
  if (/RTX\s*20\d0|GTX\s*16\d0|\bT4\b/.test(n)) return '7.5';
  if (/GTX\s*10\d0|P40/.test(n)) return '6.1';
  return undefined;
}
