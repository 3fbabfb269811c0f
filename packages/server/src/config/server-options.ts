/**
 * Every option of `createServer`, its default, and its validation. Options are validated once, with one
 * exact sentence per mistake, then frozen (the ws / socket.io `ServerOptions` discipline).
 */
import type { Logger } from 'pino';
import { SwitchboardError } from '@switchboard/protocol';
import type { Authenticator } from '../auth/authenticator.js';
import type { SignalPolicy, SignalPolicyOption } from '../auth/signal-policy.js';
import type { ClusterBus } from '../bus/cluster-bus.js';
import type { TrustProxy } from '../edge/client-address.js';
import type { TlsMaterial } from '../edge/tls-server.js';
import { validateSecurityOptions } from '../edge/validate-security-options.js';
import type { IceServerProvider } from '../ice-server-provider.js';
import type { StunServerOptions } from '../ice/stun-server.js';
import {
  DEFAULT_MESSAGE_RATE_LIMITS,
  isRateLimitedType,
  typeRateLimitProblem,
  type MessageRateLimits,
} from '../transport/message-rate-limits.js';

/** Log levels accepted by `logLevel`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** A pino log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options of `createServer`. Every field is optional; `DEFAULT_SERVER_OPTIONS` fills the gaps. */
export interface ServerOptions {
  /** TCP port to listen on; 0 picks a free one. @default 8080 */
  port: number;
  /** Interface to listen on. @default '0.0.0.0' */
  host: string;
  /** How long a session outlives its socket before its peer leaves with reason `timeout`, in ms. @default 60000 */
  graceMs: number;
  /**
   * How often each socket gets a WebSocket ping, in ms. A dead client is noticed within `pingIntervalMs +
   * pongTimeoutMs`, which may not pass 15 s. @default 10000
   */
  pingIntervalMs: number;
  /**
   * How long a ping may go unanswered (no pong and no frame) before the socket is dropped, in ms; from a tenth
   * of `pingIntervalMs` to below it, in whole tenths (rounded down). @default 40 % of `pingIntervalMs` (4000)
   */
  pongTimeoutMs: number;
  /** Largest accepted frame, in bytes (UTF-8). Larger frames get `FRAME_TOO_LARGE`. @default 65536 */
  maxFrameBytes: number;
  /** Sustained frames per second allowed per connection (token bucket refill rate). @default 50 */
  messagesPerSecond: number;
  /** Frames a connection may send at once (token bucket capacity). @default 100 */
  messageBurst: number;
  /**
   * Limits per message type (`join`, `leave`, `update`, `signal`, `token`, `ping`), on top of the connection's
   * bucket; excess messages get RATE_LIMITED naming the type. The types given replace their defaults.
   * @default join and leave 5/s burst 20, update 10/s burst 20, token 0.5/s burst 5, ping 2/s burst 10, signal none
   */
  messageRateLimits: MessageRateLimits;
  /** Most unacknowledged frames kept per session outbox; beyond it signals get `OUTBOX_FULL`. @default 1000 */
  maxOutbox: number;
  /** Most rooms one session may be in at once. @default 8 */
  maxRoomsPerSession: number;
  /** Most members per room. @default 50 */
  maxPeersPerRoom: number;
  /** Most simultaneous WebSocket connections per client IP address. @default 20 */
  maxConnectionsPerIp: number;
  /** Time a new socket has to send `hello` or `resume`, in ms. @default 10000 */
  handshakeTimeoutMs: number;
  /** Most bytes queued unsent on one socket before it is closed as a slow consumer. @default 4194304 */
  maxBufferedBytes: number;
  /**
   * How long a cumulative request ack waits for a frame to ride on before it goes alone, in ms; also how long
   * clients may wait before acknowledging (`limits.ackDelayMs`). With traffic both ways acks cost no frame
   * at any value; a longer delay only settles the promise of a lone `signal` later, and keeps unacked frames
   * (at most `maxOutbox`) and resendable requests around longer. `update` and `token` are acked within 20 ms.
   * @default 1000
   */
  ackDelayMs: number;
  /** Largest peer metadata (nickname, status, extra), in bytes of JSON. @default 2048 */
  maxMetadataBytes: number;
  /** How long a drain waits for in-flight work and acks before closing sockets, in ms. @default 10000 */
  drainTimeoutMs: number;
  /** Who may signal whom: `'same-room'`, `'any'`, a policy object or its `mayRelay` function. @default 'same-room' */
  signalPolicy: SignalPolicyOption;
  /** Log level of the default pino logger. @default 'info' */
  logLevel: LogLevel;
  /** A pino logger to use instead of the default one (which writes JSON lines to stdout). @default undefined */
  logger: Logger | undefined;
  /** Folder of static files served at `/` (the web app build). `undefined` serves a placeholder page. @default undefined */
  staticDir: string | undefined;
  /** The ICE servers handed to each peer in `welcome`. @default no ICE servers */
  iceServers: IceServerProvider;
  /**
   * The embedded STUN server (UDP): its options, or `false` for none. Off by default for embedders and
   * tests (two servers in one process would fight over UDP 3478); `switchboard serve` turns it on.
   * @default false
   */
  stun: StunServerOptions | false;
  /** Who may connect. @default AnonymousAuthenticator (everyone, any room) */
  authenticator: Authenticator | undefined;
  /** The cluster seam. @default a new InMemoryClusterBus (single node, no other service) */
  bus: ClusterBus | undefined;
  /** Certificate and key to serve HTTPS and WSS directly (`loadTlsMaterial`). @default undefined (plain HTTP) */
  tls: TlsMaterial | undefined;
  /**
   * Reverse proxies in front that append to `X-Forwarded-For` (`true` = 1). Only then is the header
   * believed for the client IP (per-IP caps, logs); otherwise clients could invent addresses. @default false
   */
  trustProxy: TrustProxy;
  /**
   * Origins allowed to open WebSockets (`https://app.example.com`, `https://*.example.com`); others get
   * ORIGIN_FORBIDDEN at upgrade (an `error` frame, then close 4003). Requests without Origin (non-browsers) pass. @default undefined (any origin)
   */
  allowedOrigins: readonly string[] | undefined;
}

/** Options after defaults and validation: complete and frozen. */
export type ResolvedServerOptions = Readonly<ServerOptions>;

/** The defaults, in one place. */
export const DEFAULT_SERVER_OPTIONS: ResolvedServerOptions = Object.freeze({
  port: 8080,
  host: '0.0.0.0',
  graceMs: 60_000,
  pingIntervalMs: 10_000,
  pongTimeoutMs: 4_000,
  maxFrameBytes: 65_536,
  messagesPerSecond: 50,
  messageBurst: 100,
  messageRateLimits: DEFAULT_MESSAGE_RATE_LIMITS,
  maxOutbox: 1_000,
  maxRoomsPerSession: 8,
  maxPeersPerRoom: 50,
  maxConnectionsPerIp: 20,
  handshakeTimeoutMs: 10_000,
  maxBufferedBytes: 4_194_304,
  ackDelayMs: 1_000,
  maxMetadataBytes: 2_048,
  drainTimeoutMs: 10_000,
  signalPolicy: 'same-room',
  logLevel: 'info',
  logger: undefined,
  staticDir: undefined,
  iceServers: () => ({ iceServers: [] }),
  stun: false,
  authenticator: undefined,
  bus: undefined,
  tls: undefined,
  trustProxy: false,
  allowedOrigins: undefined,
});

type NumericKey = {
  [K in keyof ServerOptions]: ServerOptions[K] extends number ? K : never;
}[keyof ServerOptions];

/** Range of each numeric option; `integer: false` allows fractions. */
const NUMERIC_RULES: Readonly<Record<NumericKey, { min: number; max: number; integer: boolean }>> = {
  port: { min: 0, max: 65_535, integer: true },
  graceMs: { min: 0, max: 86_400_000, integer: true },
  pingIntervalMs: { min: 100, max: 15_000, integer: true },
  pongTimeoutMs: { min: 10, max: 15_000, integer: true },
  maxFrameBytes: { min: 1_024, max: 16_777_216, integer: true },
  messagesPerSecond: { min: 0.1, max: 1_000_000, integer: false },
  messageBurst: { min: 1, max: 1_000_000, integer: true },
  maxOutbox: { min: 1, max: 1_000_000, integer: true },
  maxRoomsPerSession: { min: 1, max: 10_000, integer: true },
  maxPeersPerRoom: { min: 2, max: 100_000, integer: true },
  maxConnectionsPerIp: { min: 1, max: 1_000_000, integer: true },
  handshakeTimeoutMs: { min: 100, max: 600_000, integer: true },
  maxBufferedBytes: { min: 65_536, max: 1_073_741_824, integer: true },
  ackDelayMs: { min: 0, max: 10_000, integer: true },
  maxMetadataBytes: { min: 64, max: 65_536, integer: true },
  drainTimeoutMs: { min: 0, max: 600_000, integer: true },
};

/**
 * Fill in defaults, check every option, and freeze the result.
 *
 * @param options what the caller set
 * @param nameOf how to name an option in an error sentence (the CLI names its flag and variable)
 * @throws SwitchboardError('INVALID_OPTIONS') with one sentence naming the first wrong option
 */
export function resolveServerOptions(
  options: Partial<ServerOptions> = {},
  nameOf: (key: keyof ServerOptions) => string = (key) => `\`${key}\``,
): ResolvedServerOptions {
  const resolved: ServerOptions = { ...DEFAULT_SERVER_OPTIONS };
  for (const [key, value] of Object.entries(options) as [keyof ServerOptions, unknown][]) {
    if (!Object.hasOwn(DEFAULT_SERVER_OPTIONS, key)) throw invalid(`${nameOf(key)} is not a server option.`);
    if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value;
  }
  // The pong timeout follows an interval set without it, so that a shorter heartbeat stays consistent.
  if (options.pongTimeoutMs === undefined && options.pingIntervalMs !== undefined) {
    resolved.pongTimeoutMs = Math.round(resolved.pingIntervalMs * PONG_TIMEOUT_SHARE);
  }
  for (const [key, rule] of Object.entries(NUMERIC_RULES) as [
    NumericKey,
    (typeof NUMERIC_RULES)[NumericKey],
  ][]) {
    const value = resolved[key] as unknown;
    const kind = rule.integer ? 'an integer' : 'a number';
    if (typeof value !== 'number' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
      throw invalid(
        `${nameOf(key)} must be ${kind} from ${rule.min} to ${rule.max}, got ${describe(value)}.`,
      );
    }
    if (value < rule.min || value > rule.max) {
      throw invalid(`${nameOf(key)} must be ${kind} from ${rule.min} to ${rule.max}, got ${value}.`);
    }
  }
  checkHeartbeat(resolved, nameOf);
  if (typeof resolved.host !== 'string' || resolved.host === '') {
    throw invalid(
      `${nameOf('host')} must be a non-empty host name or IP address, got ${describe(resolved.host)}.`,
    );
  }
  if (resolved.messageBurst < resolved.messagesPerSecond / 10) {
    throw invalid(
      `${nameOf('messageBurst')} (${resolved.messageBurst}) must be at least a tenth of ${nameOf('messagesPerSecond')} (${resolved.messagesPerSecond}), or a full bucket drains in under 100 ms.`,
    );
  }
  resolved.messageRateLimits = resolveMessageRateLimits(options.messageRateLimits, nameOf);
  const policy = resolved.signalPolicy as unknown;
  if (policy !== 'same-room' && policy !== 'any' && typeof policy !== 'function' && !isSignalPolicy(policy)) {
    throw invalid(
      `${nameOf('signalPolicy')} must be 'same-room', 'any', a function or an object with a mayRelay() method, got ${describe(policy)}.`,
    );
  }
  if (!(LOG_LEVELS as readonly unknown[]).includes(resolved.logLevel)) {
    throw invalid(
      `${nameOf('logLevel')} must be one of ${LOG_LEVELS.join(', ')}, got ${describe(resolved.logLevel)}.`,
    );
  }
  if (
    resolved.staticDir !== undefined &&
    (typeof resolved.staticDir !== 'string' || resolved.staticDir === '')
  ) {
    throw invalid(`${nameOf('staticDir')} must be a folder path, got ${describe(resolved.staticDir)}.`);
  }
  validateSecurityOptions(resolved, (message) => invalid(message), nameOf);
  if (typeof resolved.iceServers !== 'function') {
    throw invalid(
      `${nameOf('iceServers')} must be a function (peerId) => { iceServers }, got ${describe(resolved.iceServers)}.`,
    );
  }
  const stun = resolved.stun as unknown;
  if (stun !== false && (typeof stun !== 'object' || stun === null)) {
    throw invalid(
      `${nameOf('stun')} must be false or STUN server options ({ port, host }), got ${describe(stun)}.`,
    );
  }
  const stunPort = stun === false ? undefined : (stun as { port?: unknown }).port;
  if (
    stunPort !== undefined &&
    (typeof stunPort !== 'number' || !Number.isInteger(stunPort) || stunPort < 0 || stunPort > 65_535)
  ) {
    throw invalid(`${nameOf('stun')} port must be an integer from 0 to 65535, got ${describe(stunPort)}.`);
  }
  return Object.freeze(resolved);
}

/** The pong timeout's default share of the ping interval: 4 s of the default 10 s. */
const PONG_TIMEOUT_SHARE = 0.4;
/** "A dead client is noticed in 15 s or less" (ARCHITECTURE.md): the heartbeat's bound. */
const DEAD_CLIENT_BOUND_MS = 15_000;

/** The pong timeout is counted in tenths of the interval (ping-wheel.ts), and the two keep the 15 s promise. */
function checkHeartbeat(resolved: ServerOptions, nameOf: (key: keyof ServerOptions) => string): void {
  const { pingIntervalMs, pongTimeoutMs } = resolved;
  if (pongTimeoutMs * 10 < pingIntervalMs || pongTimeoutMs >= pingIntervalMs) {
    throw invalid(
      `${nameOf('pongTimeoutMs')} must be from a tenth of ${nameOf('pingIntervalMs')} (${pingIntervalMs}) to below it, got ${pongTimeoutMs}.`,
    );
  }
  if (pingIntervalMs + pongTimeoutMs > DEAD_CLIENT_BOUND_MS) {
    throw invalid(
      `${nameOf('pingIntervalMs')} (${pingIntervalMs}) plus ${nameOf('pongTimeoutMs')} (${pongTimeoutMs}) must be at most ${DEAD_CLIENT_BOUND_MS}: a dead client is noticed within their sum, and the promise is 15 s.`,
    );
  }
}

/** The defaults with the caller's types laid over them, each checked. */
function resolveMessageRateLimits(
  given: unknown,
  nameOf: (key: keyof ServerOptions) => string,
): MessageRateLimits {
  if (given === undefined) return DEFAULT_MESSAGE_RATE_LIMITS;
  if (typeof given !== 'object' || given === null) {
    throw invalid(
      `${nameOf('messageRateLimits')} must be an object of { perSecond, burst } by message type.`,
    );
  }
  for (const [type, limit] of Object.entries(given)) {
    if (!isRateLimitedType(type)) {
      throw invalid(`${nameOf('messageRateLimits')} has no type ${JSON.stringify(type)}.`);
    }
    const problem = typeRateLimitProblem(limit);
    if (problem !== undefined) throw invalid(`${nameOf('messageRateLimits')} ${type}: ${problem}`);
  }
  return Object.freeze({ ...DEFAULT_MESSAGE_RATE_LIMITS, ...(given as MessageRateLimits) });
}

function isSignalPolicy(value: unknown): value is SignalPolicy {
  return (
    typeof value === 'object' && value !== null && typeof (value as SignalPolicy).mayRelay === 'function'
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : typeof value;
}

function invalid(message: string): SwitchboardError {
  return new SwitchboardError('INVALID_OPTIONS', message);
}
