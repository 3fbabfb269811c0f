/**
 * A WebSocket proxy that counts frames and bytes in each direction, so "messages and bytes through the
 * broker" are measured at the socket for every contender alike, without touching any server. Counts are
 * kept per phase: the runner switches from 'session' (connect, register, join) to 'call' just before "call".
 *
 * With `oneWayDelayMs`, every frame is held that long in each direction, so the pages see a broker
 * `2 × oneWayDelayMs` away. That is the emulated round-trip time of the call-setup workload: `tc netem` is
 * not compiled into this kernel (CONFIG_NET_SCH_NETEM is not set), so the delay lives here, on the
 * signaling path only. Timers of one duration fire in the order they were set, so frames keep their order.
 */
import { WebSocketServer, WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';

/** Frames and bytes per direction. */
export interface FrameCounts {
  framesToBroker: number;
  bytesToBroker: number;
  framesFromBroker: number;
  bytesFromBroker: number;
}

const HEARTBEAT = Buffer.from('{"type":"HEARTBEAT"}');

const zero = (): FrameCounts => ({
  framesToBroker: 0,
  bytesToBroker: 0,
  framesFromBroker: 0,
  bytesFromBroker: 0,
});

/** A running proxy to `127.0.0.1:upstreamPort`. */
export interface CountingProxy {
  port: number;
  counts: Record<'session' | 'call', FrameCounts>;
  phase: 'session' | 'call';
  close(): void;
}

/** Options of the proxy. */
export interface CountingProxyOptions {
  /** Hold each frame this long before forwarding it, in each direction. @default 0 */
  readonly oneWayDelayMs?: number;
}

export async function startCountingProxy(
  upstreamPort: number,
  options: CountingProxyOptions = {},
): Promise<CountingProxy> {
  const delayMs = options.oneWayDelayMs ?? 0;
  const later = (forward: () => void): void => {
    if (delayMs > 0) setTimeout(forward, delayMs);
    else forward();
  };
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  const proxy: CountingProxy = {
    port: 0,
    counts: { session: zero(), call: zero() },
    phase: 'session',
    close: () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
  wss.on('connection', (client, request) => {
    const upstream = new WebSocket(`ws://127.0.0.1:${upstreamPort}${request.url ?? '/'}`, {
      perMessageDeflate: false,
    });
    const early: { data: WebSocket.RawData; isBinary: boolean }[] = [];
    client.on('message', (data, isBinary) => {
      // PeerJS heartbeats are time-driven liveness (every 5 s), like Switchboard's WebSocket pings, which are
      // control frames and never counted; counting them would charge PeerJS for how long a setup took.
      if (!(data as Buffer).equals(HEARTBEAT)) {
        const counts = proxy.counts[proxy.phase];
        counts.framesToBroker++;
        counts.bytesToBroker += (data as Buffer).length;
      }
      later(() => {
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
        else early.push({ data, isBinary });
      });
    });
    upstream.on('open', () => {
      for (const { data, isBinary } of early.splice(0)) upstream.send(data, { binary: isBinary });
    });
    upstream.on('message', (data, isBinary) => {
      const counts = proxy.counts[proxy.phase];
      counts.framesFromBroker++;
      counts.bytesFromBroker += (data as Buffer).length;
      later(() => client.send(data, { binary: isBinary }));
    });
    upstream.on('close', () => client.close());
    upstream.on('error', () => client.terminate());
    client.on('close', () => upstream.close());
  });
  await new Promise<void>((resolve) => wss.on('listening', resolve));
  proxy.port = (wss.address() as AddressInfo).port;
  return proxy;
}
