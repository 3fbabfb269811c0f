/**
 * The delivery half of `RedisClusterBus`: find a peer, append to its outbox and wake its node (one DELIVER
 * script, delivery-scripts.ts), replay and acknowledge, and the wake-ups that arrive by PUBLISH.
 *
 * Retry safety (ADR 0009): a DELIVER whose connection drops before its reply arrives may or may not have
 * run. With an origin it is idempotent by the origin's request id (the script records the id and the seq it
 * appended in the same step, and answers a repeat with that seq), so once the bus is ready again it is
 * simply run again: the frame is appended exactly once, whether the first run happened or not. Only if
 * Redis stays away longer than `outageWaitMs` does the request fail (INTERNAL_ERROR, outcome unknown).
 */
import type { UnsequencedServerMessage, SequencedServerMessage } from '@switchboard/protocol';
import type {
  ClusterBusListener,
  DeliverOrigin,
  DeliverPrecondition,
  DeliverResult,
} from '@switchboard/server';
import type { Redis } from 'ioredis';
import { ACK_OUTBOX, DELIVER, READ_OUTBOX } from './delivery-scripts.js';
import { entryOf, type HeldSessions, type OutboxEntry } from './held-sessions.js';
import type { OutageFallback } from './outage-fallback.js';
import type { BusRoute } from './readiness-gate.js';
import { SESSION_OF_PEER } from './session-scripts.js';

// Shared, immutable failure results: the relay's hot path allocates none.
const PEER_NOT_FOUND: DeliverResult = { ok: false, code: 'PEER_NOT_FOUND' };
const SIGNAL_FORBIDDEN: DeliverResult = { ok: false, code: 'SIGNAL_FORBIDDEN' };
const OUTBOX_FULL: DeliverResult = { ok: false, code: 'OUTBOX_FULL' };
/** DELIVER's answer to a request it has already appended (`{-3, seq}`). */
const ALREADY_DELIVERED = -3;

/** What delivery needs from its bus. */
export interface RedisDeliveryContext {
  readonly prefix: string;
  readonly nodeId: string;
  readonly held: HeldSessions;
  readonly fallback: OutageFallback;
  readonly listener: () => ClusterBusListener | undefined;
  maxOutbox(): number;
  /** Where an operation runs: `offline` only while Redis is unreachable and the operation allows it. */
  route(canRunOffline: boolean): Promise<BusRoute>;
  /** The command connection once the bus is ready (waits through an outage, then fails). */
  redis(): Promise<Redis>;
}

/** Outbox delivery, replay and acknowledgement in Redis. */
export class RedisDelivery {
  readonly #ctx: RedisDeliveryContext;

  constructor(context: RedisDeliveryContext) {
    this.#ctx = context;
  }

  async sessionOfPeer(peerId: string): Promise<string | undefined> {
    if ((await this.#ctx.route(true)) === 'offline') return this.#ctx.fallback.sessionOfPeer(peerId);
    const sessionId = (await SESSION_OF_PEER.run(await this.#ctx.redis(), [
      this.#ctx.prefix,
      peerId,
      Date.now(),
    ])) as string | null;
    return sessionId ?? undefined;
  }

  async deliver(
    peerId: string,
    frame: UnsequencedServerMessage,
    origin?: DeliverOrigin,
    precondition?: DeliverPrecondition,
  ): Promise<DeliverResult> {
    const { prefix, nodeId, held, fallback } = this.#ctx;
    const maxOutbox = this.#ctx.maxOutbox();
    if ((await this.#ctx.route(true)) === 'offline')
      return fallback.deliver(peerId, frame, origin, precondition, maxOutbox);
    // Serialised once here; the script prepends `{"seq":N,` so Redis never parses the payload.
    const body = JSON.stringify(frame).slice(1);
    const args = [
      prefix,
      peerId,
      body,
      maxOutbox,
      nodeId,
      Date.now(),
      origin?.sessionId ?? '',
      origin?.requestId ?? 0,
      precondition?.requireSharedRoomWith === undefined ? '0' : '1',
      ...(precondition?.requireSharedRoomWith ?? []),
    ];
    const [seq, sessionId = '', holder = ''] = await this.#runDeliver(args, origin !== undefined);
    if (seq <= 0 && seq !== ALREADY_DELIVERED)
      return seq === 0 ? PEER_NOT_FOUND : seq === -1 ? OUTBOX_FULL : SIGNAL_FORBIDDEN;
    const sender = origin === undefined ? undefined : held.get(origin.sessionId);
    if (sender !== undefined && origin !== undefined && origin.requestId > sender.record.lastClientId) {
      sender.record = { ...sender.record, lastClientId: origin.requestId };
    }
    // Appended by the run whose reply was lost; the write-back's read-back woke its holder, if this node.
    if (seq === ALREADY_DELIVERED) return { ok: true, seq: Number(sessionId) };
    if (holder === nodeId) {
      const stamped = { ...frame, seq };
      held.accept(sessionId, [{ seq, json: `{"seq":${seq},${body}`, frame: stamped }]);
    }
    return { ok: true, seq };
  }

  async readOutbox(
    sessionId: string,
    afterSeq: number,
    route: BusRoute,
  ): Promise<readonly SequencedServerMessage[]> {
    const entries =
      route === 'offline'
        ? this.#ctx.fallback.readOutbox(sessionId, afterSeq)
        : await this.readEntries(sessionId, afterSeq);
    // Whatever the server reads it may push; `HeldSessions` must know of it (its invariant on `emitted`).
    this.#ctx.held.accept(sessionId, entries);
    return entries.map((entry) => entry.frame);
  }

  async ackOutbox(sessionId: string, seq: number, route: BusRoute): Promise<void> {
    if (route === 'offline') {
      this.#ctx.fallback.ackOutbox(sessionId, seq);
      return;
    }
    const redis = await this.#ctx.redis();
    this.#ctx.held.ack(sessionId, seq);
    await ACK_OUTBOX.run(redis, [this.#ctx.prefix, sessionId, Math.floor(seq)]);
  }

  /** The outbox of `sessionId` after `afterSeq`, from Redis. */
  async readEntries(sessionId: string, afterSeq: number): Promise<OutboxEntry[]> {
    const frames = (await READ_OUTBOX.run(await this.#ctx.redis(), [
      this.#ctx.prefix,
      sessionId,
      Math.floor(afterSeq),
    ])) as string[];
    return frames.map(entryOf);
  }

  /** A message on this node's channel: `D<sid>\n<frame>` (a wake-up) or `T<sid>` (taken over elsewhere). */
  onMessage(message: string): void {
    const { held } = this.#ctx;
    if (message.startsWith('D')) {
      const newline = message.indexOf('\n');
      held.accept(message.slice(1, newline), [entryOf(message.slice(newline + 1))]);
    } else if (message.startsWith('T')) {
      const sessionId = message.slice(1);
      if (held.get(sessionId) === undefined) return;
      held.release(sessionId);
      this.#ctx.listener()?.onSessionTaken(sessionId);
    }
  }

  /**
   * Run DELIVER; when its connection fails with the outcome unknown and the call is idempotent (it has an
   * origin), wait for the bus to be ready again (this node's sessions written back) and run it once more.
   */
  async #runDeliver(
    args: readonly (string | number)[],
    isIdempotent: boolean,
  ): Promise<[number, string?, string?]> {
    try {
      return (await DELIVER.run(await this.#ctx.redis(), args)) as [number, string?, string?];
    } catch (error) {
      if (!isIdempotent || !isConnectionFailure(error)) throw error;
      return (await DELIVER.run(await this.#ctx.redis(), args)) as [number, string?, string?];
    }
  }
}

/** Whether `error` is ioredis reporting a connection that closed or dropped (not a script error). */
function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return (
    /Connection is closed|Stream isn't writeable|Reached the max retries|enableOfflineQueue/i.test(
      error.message,
    ) ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ECONNREFUSED'
  );
}
