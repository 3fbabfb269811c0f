/**
 * Test clients for multi-node suites: real SDK `SignalingClient`s over `ws`, whose reconnects go to
 * whichever node the test says (a load balancer stand-in), and which record what they receive.
 */
import { SignalingClient, type WebSocketConstructor } from '@switchboard/client';
import type { LeftReason } from '@switchboard/protocol';
import { WebSocket } from 'ws';
import { ConditionWaiter } from './condition-waiter.js';

/** Where a client's next connection goes; the test changes it to fail a client over. */
export interface Route {
  url: string;
}

/**
 * A WebSocket constructor that dials `route.url`'s node instead of the URL it is given, keeping that URL's
 * query: the SDK says hello there (`?v=1`, ADR 0015) and puts its token there, as a load balancer would pass
 * them on.
 */
export function routedWebSocket(route: Route): WebSocketConstructor {
  return class RoutedWebSocket extends WebSocket {
    constructor(url: string) {
      const target = new URL(route.url);
      target.search = new URL(url).search;
      super(target.toString());
    }
  };
}

/** A signal as received. */
export interface Received {
  readonly from: string;
  readonly data: unknown;
}

/** A client plus everything it saw. */
export interface RecordingClient {
  readonly client: SignalingClient;
  readonly route: Route;
  readonly signals: Received[];
  readonly left: { room: string; peerId: string; reason: LeftReason; at: number }[];
  /** Resolve when `predicate` holds, checking after every event; reject after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
}

/** Connect a recording client to `url` (its reconnects follow `route.url`). */
export async function connectClient(url: string, requestTimeoutMs = 30_000): Promise<RecordingClient> {
  const route: Route = { url };
  const client = new SignalingClient({ url, WebSocket: routedWebSocket(route), requestTimeoutMs });
  const signals: Received[] = [];
  const left: RecordingClient['left'] = [];
  const waiter = new ConditionWaiter();
  const notify = (): void => waiter.wake();
  client.on('signal', (from, data) => {
    signals.push({ from, data });
    notify();
  });
  client.on('peer-left', (room, peerId, reason) => {
    left.push({ room, peerId, reason, at: Date.now() });
    notify();
  });
  for (const event of ['peer-joined', 'peer-updated', 'roster', 'state'] as const) client.on(event, notify);
  await client.connect();
  return {
    client,
    route,
    signals,
    left,
    until: (predicate, timeoutMs = 15_000, what = 'condition') => waiter.until(predicate, timeoutMs, what),
  };
}
