import type { Server } from 'node:http';

export interface ListenResult {
  port: number;
  /** Ports tried before, in order, that were taken. */
  busy: number[];
}

function listenOnce(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Listens on `port`, or on the next free one when it is taken (up to `attempts` ports). Port 0 = any. */
export async function listenWithFallback(
  server: Server,
  host: string,
  port: number,
  attempts = 20,
): Promise<ListenResult> {
  const busy: number[] = [];
  for (let offset = 0; offset < attempts; offset++) {
    const candidate = port === 0 ? 0 : port + offset;
    if (candidate > 65535) break;
    try {
      await listenOnce(server, host, candidate);
      const address = server.address();
      return { port: typeof address === 'object' && address ? address.port : candidate, busy };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' || port === 0) throw error;
      busy.push(candidate);
    }
  }
  throw Object.assign(new Error(`No free port in ${port}–${port + attempts - 1}`), { code: 'EADDRINUSE' });
}
