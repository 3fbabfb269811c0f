/**
 * Rate limits per message type, on top of the per-connection token bucket. The connection bucket caps how
 * many frames a socket sends; these cap the types that cost the server more than they cost the sender:
 * a `join` or `leave` is fanned out to every member of the room, an `update` too, a `token` refresh runs a
 * signature check (and perhaps a JWKS fetch), and a `ping` is answered with a frame.
 *
 * Invariants:
 * - One bucket per limited type per connection, made on that type's first message (most connections only
 *   ever signal and ping).
 * - A refused message is never dropped silently: the caller answers it with RATE_LIMITED naming the type.
 */
import { TokenBucket } from './token-bucket.js';

/** The message types that may have a limit of their own. */
export const RATE_LIMITED_TYPES = ['join', 'leave', 'update', 'signal', 'token', 'ping'] as const;
/** A message type that may have a limit of its own. */
export type RateLimitedType = (typeof RATE_LIMITED_TYPES)[number];

/** One type's token bucket. */
export interface TypeRateLimit {
  /** Sustained messages of this type per second (fractions allowed: 0.5 is one every 2 s). */
  readonly perSecond: number;
  /** Messages of this type a connection may send at once. */
  readonly burst: number;
}

/** Limits by type; a type without an entry is limited only by the connection's bucket. */
export type MessageRateLimits = Readonly<Partial<Record<RateLimitedType, TypeRateLimit>>>;

/**
 * The defaults (docs/security.md). Bursts leave room for what the SDK does at once: rejoining every room
 * (`maxRoomsPerSession`, 8) after a lost session, and a few status updates in a row. `signal` has no
 * limit of its own: signals are the bulk of traffic, and the connection bucket (50/s, burst 100) caps them.
 */
export const DEFAULT_MESSAGE_RATE_LIMITS: MessageRateLimits = Object.freeze({
  join: Object.freeze({ perSecond: 5, burst: 20 }),
  leave: Object.freeze({ perSecond: 5, burst: 20 }),
  update: Object.freeze({ perSecond: 10, burst: 20 }),
  token: Object.freeze({ perSecond: 0.5, burst: 5 }),
  ping: Object.freeze({ perSecond: 2, burst: 10 }),
});

/** Bounds of each field, shared by option validation and the CLI. */
export const TYPE_RATE_BOUNDS = {
  perSecond: { min: 0.01, max: 1_000_000 },
  burst: { min: 1, max: 1_000_000 },
} as const;

/** The node-wide policy: the limits, and who counts refusals (the metric). */
export class MessageRateLimitPolicy {
  readonly limits: MessageRateLimits;
  readonly #onLimited: (type: RateLimitedType) => void;
  readonly #now: () => number;

  /**
   * @param limits limits by type (`DEFAULT_MESSAGE_RATE_LIMITS` merged with the operator's)
   * @param onLimited called for each refused message (for `switchboard_type_rate_limited_total{type}`)
   */
  constructor(
    limits: MessageRateLimits,
    onLimited: (type: RateLimitedType) => void = () => undefined,
    now: () => number = Date.now,
  ) {
    this.limits = limits;
    this.#onLimited = onLimited;
    this.#now = now;
  }

  /** The buckets of one new connection. */
  forConnection(): MessageRateLimiter {
    return new MessageRateLimiter(this.limits, this.#onLimited, this.#now);
  }
}

/** The per-type buckets of one connection. */
export class MessageRateLimiter {
  readonly #limits: MessageRateLimits;
  readonly #onLimited: (type: RateLimitedType) => void;
  readonly #now: () => number;
  #buckets: Map<string, TokenBucket> | undefined;

  constructor(limits: MessageRateLimits, onLimited: (type: RateLimitedType) => void, now: () => number) {
    this.#limits = limits;
    this.#onLimited = onLimited;
    this.#now = now;
  }

  /**
   * Take one message of `type`. Returns `undefined` when it may go on, or the refusal's sentence (naming
   * the type and its limit) when the type's bucket is empty.
   */
  take(type: string): string | undefined {
    const limit = this.#limits[type as RateLimitedType];
    if (limit === undefined) return undefined;
    this.#buckets ??= new Map();
    let bucket = this.#buckets.get(type);
    if (bucket === undefined) {
      bucket = new TokenBucket(limit.perSecond, limit.burst, this.#now);
      this.#buckets.set(type, bucket);
    }
    if (bucket.take()) return undefined;
    this.#onLimited(type as RateLimitedType);
    return `${type} rate limit exceeded (${limit.perSecond}/s, burst ${limit.burst}); the ${type} was dropped`;
  }
}

/**
 * Read `type=perSecond/burst` (the CLI's `--type-rate join=5/20`).
 *
 * @throws Error with one sentence naming the item when it is malformed or out of range
 */
export function parseTypeRateLimit(item: string): [RateLimitedType, TypeRateLimit] {
  const match = /^([a-z]+)=([0-9.]+)\/([0-9]+)$/.exec(item.trim());
  const type = match?.[1];
  if (match === null || type === undefined || !isRateLimitedType(type)) {
    throw new Error(
      `${JSON.stringify(item)} must look like type=perSecond/burst (e.g. join=5/20), with type one of ${RATE_LIMITED_TYPES.join(', ')}.`,
    );
  }
  const limit = { perSecond: Number(match[2]), burst: Number(match[3]) };
  const problem = typeRateLimitProblem(limit);
  if (problem !== undefined) throw new Error(`${JSON.stringify(item)}: ${problem}`);
  return [type, limit];
}

/** What is wrong with `limit`, in one sentence, or `undefined` when it is valid. */
export function typeRateLimitProblem(limit: unknown): string | undefined {
  const { perSecond, burst } = (typeof limit === 'object' && limit !== null ? limit : {}) as {
    perSecond?: unknown;
    burst?: unknown;
  };
  const p = TYPE_RATE_BOUNDS.perSecond;
  const b = TYPE_RATE_BOUNDS.burst;
  if (typeof perSecond !== 'number' || !(perSecond >= p.min && perSecond <= p.max))
    return `perSecond must be a number from ${p.min} to ${p.max}.`;
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < b.min || burst > b.max)
    return `burst must be an integer from ${b.min} to ${b.max}.`;
  return undefined;
}

/** Whether `type` may have a limit of its own. */
export function isRateLimitedType(type: string): type is RateLimitedType {
  return (RATE_LIMITED_TYPES as readonly string[]).includes(type);
}
