/**
 * A TCP proxy for tests: forwards 127.0.0.1:<port> to a target, and can cut every connection at once (a broker
 * "going away" without touching the shared broker) or refuse new ones for a while.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  /** The port it listens on (127.0.0.1). */
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections open now. */
  readonly open: number;
  /** Destroys every open connection (both sides), abruptly. Returns how many were cut. */
  cut(): number;
  /** While true, new connections are accepted and closed at once. */
  refuse(refusing: boolean): void;
  close(): Promise<void>;
}

/** Starts a proxy to `targetHost:targetPort` on a free port. */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let refusing = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const forget = (): void => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const cut = (): number => {
    const sockets = [...open];
    open.clear();
    for (const socket of sockets) socket.destroy();
    return sockets.length / 2;
  };
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    get accepted() {
      return accepted;
    },
    get open() {
      return open.size / 2;
    },
    cut,
    refuse(value) {
      refusing = value;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
