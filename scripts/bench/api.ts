import { createBackend } from '@danlu/backend';
import { makeTempDir } from '@danlu/node-utils/testing';
import { startDanluServer } from '@danlu/server';
import { WebSocket } from 'ws';

import { opsPerSecond, percentile, type BenchRow } from './table.js';

/** The cost of one API call in process (validation + handler) and over the browser transport. */
export async function benchApi(): Promise<BenchRow[]> {
  const temp = await makeTempDir('danlu-bench');
  try {
    const backend = await createBackend({
      dataDir: temp.dir,
      transport: 'server',
      queryGpus: () => Promise.resolve({ gpus: [], source: 'none', checkedAt: new Date().toISOString() }),
    });
    const inProcess = await opsPerSecond(() => backend.dispatch('settings.get', {}));
    const writes = await opsPerSecond(() => backend.dispatch('settings.set', { theme: 'dark' }), 1000);

    const server = await startDanluServer({ backend, port: 0, webRoot: temp.dir });
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`);
    await new Promise((resolve) => socket.once('open', resolve));
    let nextId = 0;
    const pending = new Map<number, () => void>();
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { type: string; id?: number };
      if (frame.type === 'result' && frame.id !== undefined) pending.get(frame.id)?.();
    });
    const roundTrip = await opsPerSecond(
      () =>
        new Promise<void>((resolve) => {
          const id = nextId++;
          pending.set(id, () => {
            pending.delete(id);
            resolve();
          });
          socket.send(JSON.stringify({ type: 'call', id, method: 'settings.get', input: {} }));
        }),
    );
    socket.close();
    await server.close();

    return [
      { area: 'api', measure: 'dispatch settings.get (in process)', value: inProcess.rate, unit: 'calls/s' },
      { area: 'api', measure: 'settings.set with atomic write', value: writes.rate, unit: 'calls/s' },
      { area: 'api', measure: 'WebSocket round trip', value: roundTrip.rate, unit: 'calls/s' },
      {
        area: 'api',
        measure: 'WebSocket round trip p99',
        value: percentile(roundTrip.samples, 99),
        unit: 'ms',
        target: '< 16 ms (one frame)',
        pass: percentile(roundTrip.samples, 99) < 16,
      },
    ];
  } finally {
    await temp.cleanup();
  }
}
