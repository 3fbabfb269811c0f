/**
 * The ClusterBus contract: one Vitest suite that every implementation passes (the socket.io adapter
 * `testSuites(init)` pattern). It checks the invariants written in packages/server/src/bus/cluster-bus.ts:
 * durable, gap-free seqs; wake-ups of the node that holds the socket; atomic room rules across nodes;
 * takeover; detach, claim-once expiry; and, when the implementation can simulate one, node failure.
 *
 * @example
 * clusterBusContract('RedisClusterBus', async () => {
 *   const redis = await startRedis();
 *   return { createNode: () => new RedisClusterBus({ url: redis.url }), close: () => redis.stop() };
 * });
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SequencedServerMessage } from '@switchboard/protocol';
import type {
  ClusterBus,
  ClusterBusLimits,
  ClusterBusListener,
  RoomMember,
  SessionRecord,
} from '@switchboard/server';

/** A fresh, empty cluster that the suite can add nodes to. */
export interface ContractCluster {
  /** A new node of this cluster, not started yet. */
  createNode(): ClusterBus;
  /** Stop `bus` as if its process died (no clean close). Without it, the node-failure tests are skipped. */
  crash?(bus: ClusterBus): Promise<void>;
  /** Tear the cluster down (after every node was closed). */
  close(): Promise<void>;
}

/** Limits every node of the suite starts with. */
export const CONTRACT_LIMITS: ClusterBusLimits = { maxOutbox: 5, maxPeersPerRoom: 3, graceMs: 60_000 };
const WAIT_MS = 10_000;

type Event =
  | { kind: 'deliver'; sessionId: string; frames: readonly SequencedServerMessage[] }
  | { kind: 'taken'; sessionId: string }
  | { kind: 'node-failure'; nodeId: string; sessionIds: readonly string[] };

/** Records every callback, and lets a test wait for one. */
class RecordingListener implements ClusterBusListener {
  readonly events: Event[] = [];
  #waiters: { predicate: (e: Event) => boolean; resolve: (e: Event) => void }[] = [];

  onDeliver(sessionId: string, frames: readonly SequencedServerMessage[]): void {
    this.#record({ kind: 'deliver', sessionId, frames });
  }
  onSessionTaken(sessionId: string): void {
    this.#record({ kind: 'taken', sessionId });
  }
  onNodeFailure(nodeId: string, sessionIds: readonly string[]): void {
    this.#record({ kind: 'node-failure', nodeId, sessionIds });
  }

  /** Frames woken for `sessionId`, flattened, in callback order. */
  delivered(sessionId: string): SequencedServerMessage[] {
    return this.events.flatMap((e) =>
      e.kind === 'deliver' && e.sessionId === sessionId ? [...e.frames] : [],
    );
  }

  next(predicate: (e: Event) => boolean): Promise<Event> {
    const found = this.events.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching ClusterBus callback in time')), WAIT_MS);
      this.#waiters.push({
        predicate,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  #record(event: Event): void {
    this.events.push(event);
    const ready = this.#waiters.filter((w) => w.predicate(event));
    this.#waiters = this.#waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(event);
  }
}

let counter = 0;
function record(nodeId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  counter += 1;
  return {
    sessionId: `s${counter}-${Math.random().toString(36).slice(2, 8)}`,
    peerId: `p${counter}-${Math.random().toString(36).slice(2, 8)}`,
    resumeSecretHash: 'ab'.repeat(32),
    identity: undefined,
    rooms: [],
    lastClientId: 0,
    nodeId,
    expiresAt: undefined,
    ...overrides,
  };
}

function member(session: SessionRecord, nickname: string): RoomMember {
  return {
    peerId: session.peerId,
    sessionId: session.sessionId,
    metadata: { nickname },
    nicknameKey: nickname.toLowerCase(),
    state: 'online',
  };
}

function signal(n: number): { type: 'signal'; from: string; data: number } {
  return { type: 'signal', from: 'sender', data: n };
}

/** Register the contract suite for one ClusterBus implementation. */
export function clusterBusContract(name: string, makeCluster: () => Promise<ContractCluster>): void {
  describe(`ClusterBus contract: ${name}`, () => {
    let cluster: ContractCluster;
    let nodes: { bus: ClusterBus; listener: RecordingListener }[];

    async function node(): Promise<{ bus: ClusterBus; listener: RecordingListener }> {
      const bus = cluster.createNode();
      const listener = new RecordingListener();
      await bus.start(listener, CONTRACT_LIMITS);
      const started = { bus, listener };
      nodes.push(started);
      return started;
    }

    async function session(bus: ClusterBus, overrides: Partial<SessionRecord> = {}): Promise<SessionRecord> {
      const created = record(bus.nodeId, overrides);
      await bus.createSession(created);
      return created;
    }

    beforeEach(async () => {
      cluster = await makeCluster();
      nodes = [];
    });
    afterEach(async () => {
      for (const { bus } of nodes) await bus.close();
      await cluster.close();
    });

    describe('sessions', () => {
      it('stores a session attached to the node that created it, and finds it by peer', async () => {
        const { bus } = await node();
        const created = await session(bus);
        expect(bus.isReady).toBe(true);
        expect(await bus.getSession(created.sessionId)).toMatchObject({
          sessionId: created.sessionId,
          peerId: created.peerId,
          nodeId: bus.nodeId,
        });
        expect(await bus.sessionOfPeer(created.peerId)).toBe(created.sessionId);
        expect(await bus.getSession('unknown')).toBeUndefined();
        expect(await bus.sessionOfPeer('unknown')).toBeUndefined();
      });

      it('persists rooms and lastClientId, and forgets a deleted session entirely', async () => {
        const { bus } = await node();
        const created = await session(bus);
        await bus.updateSession(created.sessionId, { rooms: ['a', 'b'], lastClientId: 7 });
        expect(await bus.getSession(created.sessionId)).toMatchObject({ rooms: ['a', 'b'], lastClientId: 7 });
        await bus.deleteSession(created.sessionId);
        expect(await bus.getSession(created.sessionId)).toBeUndefined();
        expect(await bus.sessionOfPeer(created.peerId)).toBeUndefined();
        expect(await bus.deliver(created.peerId, signal(1))).toEqual({ ok: false, code: 'PEER_NOT_FOUND' });
      });

      it('keeps a detached session until it expires, then hands it to exactly one expiry sweep', async () => {
        const a = await node();
        const b = await node();
        const created = await session(a.bus);
        const now = Date.now();
        await a.bus.detachSession(created.sessionId, now + 50);
        expect(await a.bus.getSession(created.sessionId)).toMatchObject({
          nodeId: undefined,
          expiresAt: now + 50,
        });
        expect(await a.bus.expiredSessions(now)).toEqual([]);
        const claims = await Promise.all([
          a.bus.expiredSessions(now + 100),
          b.bus.expiredSessions(now + 100),
        ]);
        expect(
          claims
            .flat()
            .map((r) => r.sessionId)
            .filter((id) => id === created.sessionId),
        ).toHaveLength(1);
        expect(await a.bus.expiredSessions(now + 200)).toEqual([]);
      });

      it('never expires an attached session', async () => {
        const { bus } = await node();
        const created = await session(bus);
        expect((await bus.expiredSessions(Date.now() + 86_400_000)).map((r) => r.sessionId)).not.toContain(
          created.sessionId,
        );
      });

      it('attaches a detached session to the resuming node and returns the record as it was', async () => {
        const a = await node();
        const b = await node();
        const created = await session(a.bus);
        await a.bus.detachSession(created.sessionId, Date.now() + 60_000);
        const before = await b.bus.attachSession(created.sessionId);
        expect(before).toMatchObject({ sessionId: created.sessionId, nodeId: undefined });
        expect(await a.bus.getSession(created.sessionId)).toMatchObject({
          nodeId: b.bus.nodeId,
          expiresAt: undefined,
        });
        expect(await b.bus.attachSession('unknown')).toBeUndefined();
      });

      it('tells the node holding a session when another node takes it over', async () => {
        const a = await node();
        const b = await node();
        const created = await session(a.bus);
        expect(await b.bus.attachSession(created.sessionId)).toMatchObject({ nodeId: a.bus.nodeId });
        await a.listener.next((e) => e.kind === 'taken' && e.sessionId === created.sessionId);
        expect(b.listener.events.some((e) => e.kind === 'taken')).toBe(false);
      });
    });

    describe('delivery', () => {
      it('stamps seqs 1, 2, 3 without gaps and wakes the node holding the socket', async () => {
        const { bus, listener } = await node();
        const target = await session(bus);
        const results = [];
        for (const n of [1, 2, 3]) results.push(await bus.deliver(target.peerId, signal(n)));
        expect(results).toEqual([
          { ok: true, seq: 1 },
          { ok: true, seq: 2 },
          { ok: true, seq: 3 },
        ]);
        await listener.next(() => listener.delivered(target.sessionId).some((f) => f.seq === 3));
        const woken = listener.delivered(target.sessionId);
        expect([...new Set(woken.map((f) => f.seq))]).toEqual([1, 2, 3]);
        expect(woken.find((f) => f.seq === 2)).toMatchObject({ type: 'signal', data: 2 });
      });

      it('fails at once with PEER_NOT_FOUND for a peer that does not exist', async () => {
        const { bus } = await node();
        expect(await bus.deliver('nobody', signal(1))).toEqual({ ok: false, code: 'PEER_NOT_FOUND' });
      });

      it('routes a frame delivered on one node to the node that holds the target', async () => {
        const a = await node();
        const b = await node();
        const target = await session(a.bus);
        expect(await b.bus.deliver(target.peerId, signal(42))).toEqual({ ok: true, seq: 1 });
        const woken = await a.listener.next((e) => e.kind === 'deliver' && e.sessionId === target.sessionId);
        expect(woken).toMatchObject({ frames: [{ seq: 1, data: 42 }] });
        expect(b.listener.delivered(target.sessionId)).toEqual([]);
      });

      it('keeps frames for a detached session, wakes nobody, and replays them after the attach', async () => {
        const a = await node();
        const b = await node();
        const target = await session(a.bus);
        await a.bus.detachSession(target.sessionId, Date.now() + 60_000);
        await b.bus.deliver(target.peerId, signal(1));
        await b.bus.deliver(target.peerId, signal(2));
        await b.bus.attachSession(target.sessionId);
        expect(
          (await b.bus.readOutbox(target.sessionId, 0)).map((f) => [f.seq, (f as { data: unknown }).data]),
        ).toEqual([
          [1, 1],
          [2, 2],
        ]);
        expect(a.listener.delivered(target.sessionId)).toEqual([]);
      });

      it('reads the outbox after a seq, drops acknowledged frames, and keeps counting after an ack', async () => {
        const { bus } = await node();
        const target = await session(bus);
        for (const n of [1, 2, 3, 4]) await bus.deliver(target.peerId, signal(n));
        expect((await bus.readOutbox(target.sessionId, 2)).map((f) => f.seq)).toEqual([3, 4]);
        await bus.ackOutbox(target.sessionId, 3);
        expect((await bus.readOutbox(target.sessionId, 0)).map((f) => f.seq)).toEqual([4]);
        expect(await bus.deliver(target.peerId, signal(5))).toEqual({ ok: true, seq: 5 });
      });

      it('refuses with OUTBOX_FULL at maxOutbox unacknowledged frames, and accepts again after an ack', async () => {
        const { bus } = await node();
        const target = await session(bus);
        for (let n = 1; n <= CONTRACT_LIMITS.maxOutbox; n += 1)
          expect((await bus.deliver(target.peerId, signal(n))).ok).toBe(true);
        expect(await bus.deliver(target.peerId, signal(99))).toEqual({ ok: false, code: 'OUTBOX_FULL' });
        await bus.ackOutbox(target.sessionId, 2);
        expect(await bus.deliver(target.peerId, signal(6))).toEqual({
          ok: true,
          seq: CONTRACT_LIMITS.maxOutbox + 1,
        });
      });
    });

    describe('delivery preconditions (buses with hasDeliverPreconditions)', () => {
      it('appends only to a member of one of the required rooms, checked with the append', async (context) => {
        const a = await node();
        const b = await node();
        if (b.bus.hasDeliverPreconditions !== true) return context.skip();
        const sender = await session(b.bus);
        const target = await session(a.bus);
        await a.bus.joinRoom('shared', member(target, 'target'));
        const origin = { sessionId: sender.sessionId, requestId: 7 };
        const forbidden = { ok: false, code: 'SIGNAL_FORBIDDEN' };
        expect(
          await b.bus.deliver(target.peerId, signal(1), origin, { requireSharedRoomWith: ['other'] }),
        ).toEqual(forbidden);
        expect(await b.bus.deliver(target.peerId, signal(2), origin, { requireSharedRoomWith: [] })).toEqual(
          forbidden,
        );
        // A refused delivery appends nothing and does not count as the origin's request being done.
        expect(await b.bus.readOutbox(target.sessionId, 0)).toEqual([]);
        expect((await b.bus.getSession(sender.sessionId))?.lastClientId).toBe(0);
        const shared = { requireSharedRoomWith: ['other', 'shared'] };
        expect(await b.bus.deliver(target.peerId, signal(3), undefined, shared)).toEqual({
          ok: true,
          seq: 1,
        });
        const woken = await a.listener.next((e) => e.kind === 'deliver' && e.sessionId === target.sessionId);
        expect(woken).toMatchObject({ frames: [{ seq: 1, data: 3 }] });
      });

      it('checks the peer before the rooms, counts a reconnecting member, and not one that left', async (context) => {
        const { bus } = await node();
        if (bus.hasDeliverPreconditions !== true) return context.skip();
        const shared = { requireSharedRoomWith: ['r'] };
        expect(await bus.deliver('nobody', signal(1), undefined, shared)).toEqual({
          ok: false,
          code: 'PEER_NOT_FOUND',
        });
        const target = await session(bus, { rooms: ['r'] });
        await bus.joinRoom('r', member(target, 'target'));
        await bus.detachSession(target.sessionId, Date.now() + 60_000);
        expect(await bus.deliver(target.peerId, signal(2), undefined, shared)).toEqual({ ok: true, seq: 1 });
        await bus.leaveRoom('r', target.peerId);
        expect(await bus.deliver(target.peerId, signal(3), undefined, shared)).toEqual({
          ok: false,
          code: 'SIGNAL_FORBIDDEN',
        });
      });

      it('refuses with SIGNAL_FORBIDDEN before OUTBOX_FULL', async (context) => {
        const { bus } = await node();
        if (bus.hasDeliverPreconditions !== true) return context.skip();
        const target = await session(bus);
        for (let n = 1; n <= CONTRACT_LIMITS.maxOutbox; n += 1) await bus.deliver(target.peerId, signal(n));
        expect(
          await bus.deliver(target.peerId, signal(0), undefined, { requireSharedRoomWith: ['r'] }),
        ).toEqual({
          ok: false,
          code: 'SIGNAL_FORBIDDEN',
        });
      });
    });

    describe('rooms', () => {
      it('returns the members before the join, and lists members in join order', async () => {
        const { bus } = await node();
        const [s1, s2] = [await session(bus), await session(bus)];
        expect(await bus.joinRoom('r', member(s1, 'Ada'))).toEqual({ ok: true, members: [] });
        expect(await bus.joinRoom('r', member(s2, 'Bob'))).toEqual({
          ok: true,
          members: [member(s1, 'Ada')],
        });
        expect((await bus.roomMembers('r')).map((m) => m.metadata.nickname)).toEqual(['Ada', 'Bob']);
        expect(await bus.roomMembers('empty')).toEqual([]);
      });

      it('keeps nicknames unique per room across nodes, and rooms within their capacity', async () => {
        const a = await node();
        const b = await node();
        const sessions = await Promise.all([1, 2, 3, 4, 5].map((i) => session(i % 2 === 0 ? a.bus : b.bus)));
        const [s1, s2, s3, s4, s5] = sessions as [
          SessionRecord,
          SessionRecord,
          SessionRecord,
          SessionRecord,
          SessionRecord,
        ];
        expect((await a.bus.joinRoom('r', member(s1, 'Ada'))).ok).toBe(true);
        expect(await b.bus.joinRoom('r', member(s2, 'ada'))).toEqual({ ok: false, code: 'NICKNAME_TAKEN' });
        expect((await b.bus.joinRoom('other', member(s2, 'ada'))).ok).toBe(true);
        expect((await b.bus.joinRoom('r', member(s3, 'Cy'))).ok).toBe(true);
        expect((await a.bus.joinRoom('r', member(s4, 'Di'))).ok).toBe(true);
        expect(await b.bus.joinRoom('r', member(s5, 'Ed'))).toEqual({ ok: false, code: 'ROOM_FULL' });
      });

      it('lets exactly one of two concurrent joins with one nickname win', async () => {
        const a = await node();
        const b = await node();
        const [s1, s2] = [await session(a.bus), await session(b.bus)];
        const results = await Promise.all([
          a.bus.joinRoom('race', member(s1, 'Same')),
          b.bus.joinRoom('race', member(s2, 'Same')),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(await a.bus.roomMembers('race')).toHaveLength(1);
      });

      it('removes a member once, and forgets an emptied room', async () => {
        const { bus } = await node();
        const s1 = await session(bus);
        await bus.joinRoom('r', member(s1, 'Ada'));
        expect(await bus.leaveRoom('r', s1.peerId)).toEqual(member(s1, 'Ada'));
        expect(await bus.leaveRoom('r', s1.peerId)).toBeUndefined();
        expect(await bus.roomMembers('r')).toEqual([]);
      });

      it('updates metadata and state, re-checking nickname uniqueness', async () => {
        const { bus } = await node();
        const [s1, s2] = [await session(bus), await session(bus)];
        await bus.joinRoom('r', member(s1, 'Ada'));
        await bus.joinRoom('r', member(s2, 'Bob'));
        expect(
          await bus.updateMember('r', s2.peerId, { metadata: { nickname: 'ADA' }, nicknameKey: 'ada' }),
        ).toEqual({
          ok: false,
          code: 'NICKNAME_TAKEN',
        });
        const updated = await bus.updateMember('r', s2.peerId, {
          metadata: { nickname: 'Bo', status: 'busy' },
          nicknameKey: 'bo',
        });
        expect(updated).toEqual({
          ok: true,
          member: { ...member(s2, 'Bo'), metadata: { nickname: 'Bo', status: 'busy' } },
        });
        expect(await bus.updateMember('r', s1.peerId, { state: 'reconnecting' })).toMatchObject({
          ok: true,
          member: { state: 'reconnecting' },
        });
        expect(await bus.updateMember('r', 'stranger', { state: 'online' })).toEqual({
          ok: false,
          code: 'NOT_IN_ROOM',
        });
      });

      it('marks a detached session reconnecting in its rooms, and online again once attached', async () => {
        const a = await node();
        const b = await node();
        const s1 = await session(a.bus, { rooms: ['r'] });
        await a.bus.joinRoom('r', member(s1, 'Ada'));
        await a.bus.detachSession(s1.sessionId, Date.now() + 60_000);
        expect(await b.bus.roomMembers('r')).toMatchObject([{ peerId: s1.peerId, state: 'reconnecting' }]);
        await b.bus.attachSession(s1.sessionId);
        expect(await a.bus.roomMembers('r')).toMatchObject([{ peerId: s1.peerId, state: 'online' }]);
      });
    });

    describe('node failure', () => {
      it('detaches the sessions of a crashed node and tells exactly one surviving node', async (context) => {
        if (cluster.crash === undefined) {
          context.skip();
          return;
        }
        const doomed = await node();
        const survivors = [await node(), await node()];
        const held = await session(doomed.bus, { rooms: ['r'] });
        await doomed.bus.joinRoom('r', member(held, 'Ada'));
        await cluster.crash(doomed.bus);
        const failure = await Promise.race(
          survivors.map((s) =>
            s.listener.next((e) => e.kind === 'node-failure' && e.nodeId === doomed.bus.nodeId),
          ),
        );
        expect(failure).toMatchObject({ sessionIds: [held.sessionId] });
        const told = survivors.filter((s) => s.listener.events.some((e) => e.kind === 'node-failure'));
        expect(told).toHaveLength(1);
        const after = await survivors[0]!.bus.getSession(held.sessionId);
        expect(after).toMatchObject({ nodeId: undefined });
        expect(after?.expiresAt).toBeGreaterThan(Date.now());
        expect(await survivors[0]!.bus.roomMembers('r')).toMatchObject([{ state: 'reconnecting' }]);
        nodes = nodes.filter((n) => n !== doomed);
      });
    });
  });
}
