/**
 * A TCP proxy between one bus node and Redis, for faults that only that node sees: a partition (every
 * connection reset, new ones refused, while Redis itself keeps running with its data), and a request whose
 * reply is lost (bytes from Redis dropped, so a script runs but its caller never hears back).
 */
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

/** A running proxy. */
export interface RedisFaultProxy {
  /** `redis://127.0.0.1:<port>`: Redis, through the proxy. */
  readonly url: string;
  /** Reset every connection and refuse new ones until `heal()`. */
  partition(): void;
  /** Accept and forward connections again, in both directions. */
  heal(): void;
  /** From now on, drop what Redis sends back (requests still reach it) until `heal()`. */
  dropReplies(): void;
  /**
   * From now on, drop what the node sends (nothing reaches Redis) until `heal()`. Resolves once a dropped
   * chunk contained `marker`: the request carrying it is then in flight and will never arrive.
   */
  dropRequests(marker: string): Promise<void>;
  close(): Promise<void>;
}

function reset(socket: Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy();
}

/** Start a proxy on loopback in front of the Redis at `port`. */
export async function startRedisFaultProxy(port: number): Promise<RedisFaultProxy> {
  const pairs = new Set<readonly [Socket, Socket]>();
  let mode: 'forward' | 'partitioned' | 'drop-replies' | 'drop-requests' = 'forward';
  let onDroppedRequest: ((chunk: Buffer) => void) | undefined;
  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (mode === 'partitioned') return reset(client);
    const upstream = createConnection({ host: '127.0.0.1', port });
    upstream.on('error', () => undefined);
    const pair = [client, upstream] as const;
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (mode === 'drop-requests') onDroppedRequest?.(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (mode !== 'drop-replies') client.write(chunk);
    });
    const teardown = (): void => {
      if (!pairs.delete(pair)) return;
      reset(client);
      reset(upstream);
    };
    client.on('close', teardown);
    upstream.on('close', teardown);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as AddressInfo;
  const proxy: RedisFaultProxy = {
    url: `redis://127.0.0.1:${proxyPort}`,
    partition() {
      mode = 'partitioned';
      for (const [client, upstream] of [...pairs]) {
        reset(client);
        reset(upstream);
      }
    },
    heal() {
      mode = 'forward';
    },
    dropReplies() {
      mode = 'drop-replies';
    },
    dropRequests(marker: string) {
      mode = 'drop-requests';
      return new Promise<void>((resolve) => {
        onDroppedRequest = (chunk) => {
          if (!chunk.includes(marker)) return;
          onDroppedRequest = undefined;
          resolve();
        };
      });
    },
    async close() {
      proxy.partition();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
