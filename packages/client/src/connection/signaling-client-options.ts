/**
 * Options of `SignalingClient`: one interface, one defaults object, validated once with one exact sentence
 * per mistake, then frozen.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { ExponentialBackoffPolicy, type ReconnectPolicy } from './reconnect-policy.js';
import type { WebSocketConstructor } from './web-socket-like.js';

/** A token, or a function that returns a fresh one (called before every hello and resume). */
export type TokenSource = string | (() => string | Promise<string>);

/** Options of `SignalingClient`. */
export interface SignalingClientOptions {
  /** The server's WebSocket URL, e.g. `ws://localhost:8080/ws` (`ws:` or `wss:`). */
  readonly url: string;
  /**
   * The WebSocket constructor. Node 20 has none built in: pass `WebSocket` from the `ws` package.
   * @default globalThis.WebSocket
   */
  readonly WebSocket?: WebSocketConstructor;
  /**
   * The credentials sent in every `hello` and `resume`. A function is called again before each attempt,
   * so it can return a fresh token after the old one expired.
   * @default undefined (anonymous)
   */
  readonly token?: TokenSource;
  /**
   * Decides how long to wait before each reconnect attempt, and when to give up.
   * @default new ExponentialBackoffPolicy() (full jitter, base 250 ms, cap 10 s, never gives up)
   */
  readonly reconnectPolicy?: ReconnectPolicy;
  /**
   * A request (or the handshake) that gets no answer for this long, while the socket is up, fails with
   * `TIMEOUT`. Time spent disconnected does not count.
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /**
   * With no frame from the server for this long, the socket is considered dead and the client reconnects.
   * @default 15000
   */
  readonly silenceTimeoutMs?: number;
  /**
   * With no frame from the server for this long, the client sends a `ping` to provoke one.
   * Must be less than `silenceTimeoutMs`.
   * @default 5000
   */
  readonly pingAfterMs?: number;
  /**
   * How long the client may delay acknowledging server frames, so that one `ack` covers many.
   * @default the server's `limits.ackDelayMs` from the welcome
   */
  readonly ackDelayMs?: number;
  /**
   * Signals that arrive while there is no `signal` listener (the app joined a room before it created its
   * PeerManager, say) wait for the first listener: at most this many, the oldest given up first
   * (`signal-dropped`). 0 keeps none.
   * @default 64
   */
  readonly maxEarlySignals?: number;
  /**
   * ...and at most this long; then they are given up (`signal-dropped`).
   * @default 10000
   */
  readonly maxEarlySignalAgeMs?: number;
  /**
   * Source of uniform random numbers in [0, 1), for jitter.
   * @default Math.random
   */
  readonly random?: () => number;
}

/** Options after defaults and validation. */
export interface ResolvedSignalingClientOptions {
  readonly url: string;
  readonly WebSocket: WebSocketConstructor;
  readonly token: TokenSource | undefined;
  readonly reconnectPolicy: ReconnectPolicy;
  readonly requestTimeoutMs: number;
  readonly silenceTimeoutMs: number;
  readonly pingAfterMs: number;
  readonly ackDelayMs: number | undefined;
  readonly maxEarlySignals: number;
  readonly maxEarlySignalAgeMs: number;
  readonly random: () => number;
}

const DEFAULTS = {
  requestTimeoutMs: 10_000,
  silenceTimeoutMs: 15_000,
  pingAfterMs: 5_000,
  maxEarlySignals: 64,
  maxEarlySignalAgeMs: 10_000,
  random: Math.random,
} as const;

function invalid(message: string): SwitchboardError {
  return new SwitchboardError('INVALID_OPTIONS', message);
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw invalid(`${name} must be a positive number of milliseconds, got ${value}.`);
  return value;
}

/** Apply defaults and validate; throws `SwitchboardError('INVALID_OPTIONS')` naming the first bad option. */
export function resolveSignalingClientOptions(
  options: SignalingClientOptions,
): ResolvedSignalingClientOptions {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (cause) {
    throw new SwitchboardError(
      'INVALID_OPTIONS',
      `url must be an absolute ws: or wss: URL, got ${JSON.stringify(options.url)}.`,
      {
        cause,
      },
    );
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw invalid(`url must use ws: or wss:, got ${url.protocol}.`);
  }
  const WebSocket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (WebSocket === undefined) {
    throw invalid(
      "WebSocket is required: this runtime has no global WebSocket, so pass one, e.g. `import { WebSocket } from 'ws'` and `new SignalingClient({ url, WebSocket })`.",
    );
  }
  const requestTimeoutMs = positive(
    'requestTimeoutMs',
    options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
  );
  const silenceTimeoutMs = positive(
    'silenceTimeoutMs',
    options.silenceTimeoutMs ?? DEFAULTS.silenceTimeoutMs,
  );
  const pingAfterMs = positive(
    'pingAfterMs',
    options.pingAfterMs ?? Math.min(DEFAULTS.pingAfterMs, Math.floor(silenceTimeoutMs / 3)),
  );
  if (pingAfterMs >= silenceTimeoutMs) {
    throw invalid(`pingAfterMs (${pingAfterMs}) must be less than silenceTimeoutMs (${silenceTimeoutMs}).`);
  }
  const ackDelayMs = options.ackDelayMs;
  if (ackDelayMs !== undefined && (!Number.isFinite(ackDelayMs) || ackDelayMs < 0)) {
    throw invalid(`ackDelayMs must be zero or a positive number of milliseconds, got ${ackDelayMs}.`);
  }
  const maxEarlySignals = options.maxEarlySignals ?? DEFAULTS.maxEarlySignals;
  if (!Number.isInteger(maxEarlySignals) || maxEarlySignals < 0) {
    throw invalid(`maxEarlySignals must be a whole number, 0 or more, got ${maxEarlySignals}.`);
  }
  const maxEarlySignalAgeMs = positive(
    'maxEarlySignalAgeMs',
    options.maxEarlySignalAgeMs ?? DEFAULTS.maxEarlySignalAgeMs,
  );
  const token = options.token;
  if (token !== undefined && typeof token !== 'string' && typeof token !== 'function') {
    throw invalid('token must be a string or a function returning one.');
  }
  return Object.freeze({
    url: url.href,
    WebSocket,
    token,
    reconnectPolicy:
      options.reconnectPolicy ?? new ExponentialBackoffPolicy({ random: options.random ?? DEFAULTS.random }),
    requestTimeoutMs,
    silenceTimeoutMs,
    pingAfterMs,
    ackDelayMs,
    maxEarlySignals,
    maxEarlySignalAgeMs,
    random: options.random ?? DEFAULTS.random,
  });
}
