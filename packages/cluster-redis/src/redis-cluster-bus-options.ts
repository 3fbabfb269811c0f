/**
 * Options of `RedisClusterBus`: one interface, the defaults in one object, validated once with one exact
 * sentence per mistake, then frozen (STYLE.md §Options).
 */
import { randomBytes } from 'node:crypto';

/** The subset of a pino logger the bus uses, so any pino-compatible logger fits. */
export interface BusLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Options of `RedisClusterBus`. */
export interface RedisClusterBusOptions {
  /** Redis URL (`redis://[:password@]host:port[/db]`, or `rediss://` for TLS). @default 'redis://127.0.0.1:6379' */
  readonly url?: string;
  /** This node's id, unique in the cluster. @default 12 random base64url characters */
  readonly nodeId?: string;
  /** Prefix of every key and channel, so several clusters can share one Redis. @default 'sb:' */
  readonly keyPrefix?: string;
  /** How often this node renews its liveness key and looks for failed nodes, in ms. @default 1000 */
  readonly heartbeatIntervalMs?: number;
  /**
   * A node whose liveness key is older than this is declared failed, in ms. Must exceed
   * `heartbeatIntervalMs` by enough to ride out an event-loop stall. @default 3000
   */
  readonly nodeFailureTimeoutMs?: number;
  /**
   * How long an expired session's keys stay in Redis after `expiresAt`, in ms: a safety net that frees them
   * even if no node ever sweeps them (the whole cluster was down). @default 3600000
   */
  readonly retentionMs?: number;
  /**
   * How long an `expiredSessions` claim lasts, in ms: if the claiming node dies before deleting the
   * session, another node claims it after this. @default 30000
   */
  readonly expiryClaimMs?: number;
  /**
   * How long a cluster operation waits for Redis to come back before it fails, in ms. Waiting (rather than
   * failing at once) turns a Redis restart into a delay instead of lost requests. @default 5000
   */
  readonly outageWaitMs?: number;
  /** Where the bus reports connection loss, recovery and node failures. @default a logger that drops everything */
  readonly logger?: BusLogger;
}

/** Options after defaults and validation. */
export type ResolvedRedisClusterBusOptions = Readonly<Required<RedisClusterBusOptions>>;

const silentLogger: BusLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});

/** The defaults, in one place. */
export const REDIS_CLUSTER_BUS_DEFAULTS = Object.freeze({
  url: 'redis://127.0.0.1:6379',
  keyPrefix: 'sb:',
  heartbeatIntervalMs: 1000,
  nodeFailureTimeoutMs: 3000,
  retentionMs: 3_600_000,
  expiryClaimMs: 30_000,
  outageWaitMs: 5000,
});

const NODE_ID = /^[A-Za-z0-9_.-]{1,64}$/;

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(
      `RedisClusterBus option "${name}" must be a positive integer (got ${String(value)}).`,
    );
  }
  return value;
}

/** Fill in defaults, validate, freeze. Throws a `TypeError` naming the option at fault. */
export function resolveRedisClusterBusOptions(
  options: RedisClusterBusOptions,
): ResolvedRedisClusterBusOptions {
  const merged = { ...REDIS_CLUSTER_BUS_DEFAULTS, ...options };
  const url = merged.url;
  if (!/^rediss?:\/\//.test(url)) {
    throw new TypeError(`RedisClusterBus option "url" must start with redis:// or rediss:// (got "${url}").`);
  }
  const nodeId = options.nodeId ?? randomBytes(9).toString('base64url');
  if (!NODE_ID.test(nodeId)) {
    throw new TypeError('RedisClusterBus option "nodeId" must be 1-64 characters of A-Z, a-z, 0-9, _ . -.');
  }
  const heartbeatIntervalMs = positiveInteger('heartbeatIntervalMs', merged.heartbeatIntervalMs);
  const nodeFailureTimeoutMs = positiveInteger('nodeFailureTimeoutMs', merged.nodeFailureTimeoutMs);
  if (nodeFailureTimeoutMs < 2 * heartbeatIntervalMs) {
    throw new TypeError(
      'RedisClusterBus option "nodeFailureTimeoutMs" must be at least twice "heartbeatIntervalMs", or one late heartbeat declares a live node failed.',
    );
  }
  return Object.freeze({
    url,
    nodeId,
    keyPrefix: merged.keyPrefix,
    heartbeatIntervalMs,
    nodeFailureTimeoutMs,
    retentionMs: positiveInteger('retentionMs', merged.retentionMs),
    expiryClaimMs: positiveInteger('expiryClaimMs', merged.expiryClaimMs),
    outageWaitMs: positiveInteger('outageWaitMs', merged.outageWaitMs),
    logger: options.logger ?? silentLogger,
  });
}
