/**
 * A TCP proxy for fault injection: it sits between a client and the server on loopback and can kill every
 * connection through it abruptly (`destroyAll`), the way a dropped Wi-Fi link or a NAT timeout does, with no
 * WebSocket closing handshake. Resume tests use it to tear a client's socket out from under it while
 * traffic is flowing.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  /** The loopback port clients connect to. */
  readonly port: number;
  /** `ws://127.0.0.1:<port><path>`: the same URL as the target's, through the proxy. */
  wsUrl(path?: string): string;
  /** How many client connections the proxy has accepted so far. */
  readonly connectionCount: number;
  /** Connections currently open through the proxy. */
  readonly liveConnectionCount: number;
  /** Destroy every live connection at once (RST where supported, else an abrupt destroy). */
  destroyAll(): number;
  /** Reset every new connection at once, as if the server were unreachable, until `unblock()`. */
  block(): void;
  /** Forward new connections again. */
  unblock(): void;
  /** Stop accepting connections, destroy live ones and close the listener. */
  close(): Promise<void>;
}

/** Where the proxy forwards to. */
export interface TcpProxyTarget {
  readonly host: string;
  readonly port: number;
}

function kill(socket: Socket): void {
  // resetAndDestroy sends RST (Node >= 18.3), so the far side sees ECONNRESET, not a tidy FIN.
  if (typeof socket.resetAndDestroy === 'function' && !socket.destroyed) socket.resetAndDestroy();
  else socket.destroy();
}

/** Start a proxy on 127.0.0.1, on a free port, forwarding to `target`. */
export async function startTcpProxy(target: TcpProxyTarget): Promise<TcpProxy> {
  const pairs = new Set<readonly [Socket, Socket]>();
  let accepted = 0;
  let isBlocked = false;
  const server: Server = createServer((client) => {
    if (isBlocked) {
      client.on('error', () => undefined);
      kill(client);
      return;
    }
    accepted += 1;
    const upstream = createConnection({ host: target.host, port: target.port });
    const pair = [client, upstream] as const;
    pairs.add(pair);
    const teardown = (): void => {
      if (!pairs.delete(pair)) return;
      kill(client);
      kill(upstream);
    };
    client.on('error', teardown);
    upstream.on('error', teardown);
    client.on('close', teardown);
    upstream.on('close', teardown);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const destroyAll = (): number => {
    const live = [...pairs];
    pairs.clear();
    for (const [client, upstream] of live) {
      kill(client);
      kill(upstream);
    }
    return live.length;
  };
  return {
    port,
    wsUrl: (path = '/') => `ws://127.0.0.1:${port}${path}`,
    get connectionCount() {
      return accepted;
    },
    get liveConnectionCount() {
      return pairs.size;
    },
    destroyAll,
    block() {
      isBlocked = true;
    },
    unblock() {
      isBlocked = false;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      destroyAll();
      await closed;
    },
  };
}
