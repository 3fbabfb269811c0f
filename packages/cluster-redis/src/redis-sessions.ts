/**
 * The session half of `RedisClusterBus`: the session registry in Redis (session-scripts.ts), mirrored into
 * `HeldSessions` for the sessions whose sockets this node holds.
 *
 * During a Redis outage the operations on a held session run on that mirror (outage-fallback.ts): reading
 * it, keeping `lastClientId`, and a detach, which waits in the mirror for the write-back. The others (a new
 * session, an expiry sweep, anything about a session held elsewhere) need Redis and wait for it.
 */
import type { SessionRecord } from '@switchboard/server';
import type { Redis } from 'ioredis';
import type { HeldMembership, HeldSessions } from './held-sessions.js';
import type { OutageFallback } from './outage-fallback.js';
import type { BusRoute } from './readiness-gate.js';
import { decodeMember, decodeSession, fieldsOf, sessionArgs } from './record-codec.js';
import type { ResolvedRedisClusterBusOptions } from './redis-cluster-bus-options.js';
import {
  ATTACH_SESSION,
  CLAIM_EXPIRED,
  CREATE_SESSION,
  DELETE_SESSION,
  DETACH_SESSION,
  UPDATE_SESSION,
} from './session-scripts.js';

/** How many expired sessions one `claimExpired` call claims; the server sweeps again soon after. */
const EXPIRY_BATCH = 100;

/** What the sessions need from their bus. */
export interface RedisSessionsContext {
  readonly prefix: string;
  readonly nodeId: string;
  readonly options: ResolvedRedisClusterBusOptions;
  readonly held: HeldSessions;
  readonly fallback: OutageFallback;
  /** Where an operation on this session runs (offline only for a held session during an outage). */
  route(sessionId: string): Promise<BusRoute>;
  /** The command connection once the bus is ready (waits through an outage, then fails). */
  redis(): Promise<Redis>;
}

/** A record as held here: the failure mark is cleared by holding it (a resume clears it in Redis too). */
function withoutFailure(record: SessionRecord): SessionRecord {
  const { failedNodeId: _failedNodeId, ...rest } = record;
  return rest;
}

/** The session registry of one node. */
export class RedisSessions {
  readonly #ctx: RedisSessionsContext;

  constructor(context: RedisSessionsContext) {
    this.#ctx = context;
  }

  async create(record: SessionRecord): Promise<void> {
    const redis = await this.#ctx.redis();
    // Held first: no frame can be addressed to a peer nobody knows yet, so nothing arrives too early.
    this.#ctx.held.hold({ ...withoutFailure(record), nodeId: this.#ctx.nodeId, expiresAt: undefined }, 0);
    await CREATE_SESSION.run(redis, [this.#ctx.prefix, ...sessionArgs(record), this.#ctx.nodeId]);
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    if ((await this.#ctx.route(sessionId)) === 'offline') return this.#ctx.fallback.getSession(sessionId);
    const redis = await this.#ctx.redis();
    const fields = new Map(Object.entries(await redis.hgetall(`${this.#ctx.prefix}session:${sessionId}`)));
    if (fields.size === 0 || fields.has('gone')) return undefined;
    const record = decodeSession(fields);
    const isExpired =
      record.nodeId === undefined && record.expiresAt !== undefined && record.expiresAt <= Date.now();
    return isExpired ? undefined : record;
  }

  async attach(sessionId: string): Promise<SessionRecord | undefined> {
    if ((await this.#ctx.route(sessionId)) === 'offline') return this.#ctx.fallback.attachSession(sessionId);
    const redis = await this.#ctx.redis();
    const reply = (await ATTACH_SESSION.run(redis, [
      this.#ctx.prefix,
      sessionId,
      this.#ctx.nodeId,
      Date.now(),
    ])) as [string[], string[], string[]] | null;
    if (reply === null) return undefined;
    const [flatRecord, flatRooms, caps] = reply;
    const fields = fieldsOf(flatRecord);
    const before = decodeSession(fields);
    const rooms = new Map<string, HeldMembership>();
    for (let i = 0; i + 1 < flatRooms.length; i += 2) {
      const value = flatRooms[i + 1] ?? '';
      const cap = caps[i / 2] ?? '';
      rooms.set(flatRooms[i] ?? '', {
        nicknameKey: decodeMember(value).member.nicknameKey,
        value,
        roomCap: cap === '' ? undefined : Number(cap),
      });
    }
    const record = { ...withoutFailure(before), nodeId: this.#ctx.nodeId, expiresAt: undefined };
    // Held from the acknowledged seq, so the read-back below mirrors every unacknowledged frame: an outage
    // or a Redis data loss can then be bridged from this node's copy. It also catches a frame stored
    // between the attach and our hold, whose PUBLISH came before we held the session.
    this.#ctx.held.hold(record, Number(fields.get('ack') ?? '0'), rooms);
    this.#ctx.held.refill(sessionId);
    return before;
  }

  async detach(sessionId: string, expiresAt: number): Promise<void> {
    if ((await this.#ctx.route(sessionId)) === 'offline') {
      this.#ctx.fallback.detachSession(sessionId, expiresAt);
      return;
    }
    const redis = await this.#ctx.redis();
    this.#ctx.held.release(sessionId);
    await DETACH_SESSION.run(redis, [
      this.#ctx.prefix,
      sessionId,
      Math.floor(expiresAt),
      this.#ctx.options.retentionMs,
      this.#ctx.nodeId,
    ]);
  }

  async update(
    sessionId: string,
    patch: Partial<Pick<SessionRecord, 'rooms' | 'lastClientId'>>,
  ): Promise<void> {
    if ((await this.#ctx.route(sessionId)) === 'offline') {
      this.#ctx.fallback.updateSession(sessionId, patch);
      return;
    }
    const redis = await this.#ctx.redis();
    const rooms = patch.rooms === undefined ? '' : JSON.stringify(patch.rooms);
    const lastClientId = patch.lastClientId === undefined ? '' : String(patch.lastClientId);
    await UPDATE_SESSION.run(redis, [this.#ctx.prefix, sessionId, rooms, lastClientId]);
    const held = this.#ctx.held.get(sessionId);
    if (held !== undefined) held.record = { ...held.record, ...patch };
  }

  async delete(sessionId: string): Promise<void> {
    const redis = await this.#ctx.redis();
    this.#ctx.held.release(sessionId);
    await DELETE_SESSION.run(redis, [this.#ctx.prefix, sessionId]);
  }

  async claimExpired(now: number): Promise<readonly SessionRecord[]> {
    const redis = await this.#ctx.redis();
    const claimUntil = Math.floor(now) + this.#ctx.options.expiryClaimMs;
    const reply = (await CLAIM_EXPIRED.run(redis, [
      this.#ctx.prefix,
      Math.floor(now),
      claimUntil,
      EXPIRY_BATCH,
    ])) as string[][];
    return reply.map((flat) => decodeSession(fieldsOf(flat)));
  }
}
