import { randomUUID } from 'node:crypto';
import type { SessionRecord } from '@switchboard/server';
import {
  RecordingListener,
  numberedSignal,
  roomMember as member,
  sessionRecord as freshRecord,
  startRedis,
  type RedisHandle,
} from '@switchboard/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisClusterBus, type RedisClusterBusOptions } from './index.js';

const LIMITS = { maxOutbox: 40, maxPeersPerRoom: 3, graceMs: 60_000 };

function sessionRecord(peerId: string, nodeId: string): SessionRecord {
  return freshRecord(nodeId, { peerId });
}

/** Metadata that JSON round trips must keep exactly (an empty list, a 16-digit number). */
function signal(n: number): { type: 'signal'; from: string; data: unknown } {
  return numberedSignal({ n, list: [], big: 0.1234567890123456 });
}

describe('RedisClusterBus', () => {
  let redis: RedisHandle;
  const buses: RedisClusterBus[] = [];

  /** Start one node; nodes given the same `keyPrefix` form one cluster. */
  async function startNode(
    options: RedisClusterBusOptions = {},
  ): Promise<{ bus: RedisClusterBus; listener: RecordingListener }> {
    const bus = new RedisClusterBus({ url: redis.url, keyPrefix: `t${buses.length}:`, ...options });
    const listener = new RecordingListener();
    buses.push(bus);
    await bus.start(listener, LIMITS);
    return { bus, listener };
  }

  const node = (): ReturnType<typeof startNode> => startNode();

  /** Several nodes sharing one key prefix: one cluster. */
  async function cluster(count: number): Promise<{ bus: RedisClusterBus; listener: RecordingListener }[]> {
    const keyPrefix = `c${randomUUID().slice(0, 8)}:`;
    const nodes = [];
    for (let i = 0; i < count; i += 1) nodes.push(await startNode({ keyPrefix, nodeId: `n${i}` }));
    return nodes;
  }

  const failures = (listener: RecordingListener): { nodeId: string; sessionIds: readonly string[] }[] =>
    listener.events.flatMap((e) =>
      e.kind === 'node-failure' ? [{ nodeId: e.nodeId, sessionIds: e.sessionIds }] : [],
    );

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('stores frames with gapless seqs and replays them after a seq, keeping metadata intact', async () => {
    const { bus } = await node();
    const record = sessionRecord('p1', bus.nodeId);
    await bus.createSession(record);
    for (let n = 1; n <= 3; n += 1) expect(await bus.deliver('p1', signal(n))).toEqual({ ok: true, seq: n });
    const frames = await bus.readOutbox(record.sessionId, 1);
    expect(frames).toEqual([
      { ...signal(2), seq: 2 },
      { ...signal(3), seq: 3 },
    ]);
    await bus.ackOutbox(record.sessionId, 2);
    expect((await bus.readOutbox(record.sessionId, 0)).map((f) => f.seq)).toEqual([3]);
  });

  it('fails at once with PEER_NOT_FOUND and OUTBOX_FULL', async () => {
    const { bus } = await node();
    expect(await bus.deliver('nobody', signal(1))).toEqual({ ok: false, code: 'PEER_NOT_FOUND' });
    await bus.createSession(sessionRecord('p1', bus.nodeId));
    for (let n = 1; n <= LIMITS.maxOutbox; n += 1) expect((await bus.deliver('p1', signal(n))).ok).toBe(true);
    expect(await bus.deliver('p1', signal(99))).toEqual({ ok: false, code: 'OUTBOX_FULL' });
  });

  it('wakes the holding node with every frame in seq order when several nodes deliver', async () => {
    const [a, b, c] = await cluster(3);
    const record = sessionRecord('target', a!.bus.nodeId);
    await a!.bus.createSession(record);
    const sends = [];
    for (let n = 1; n <= 30; n += 1) sends.push([a, b, c][n % 3]!.bus.deliver('target', signal(n)));
    await Promise.all(sends);
    await a!.listener.until(() => a!.listener.delivered(record.sessionId).length >= 30);
    const seqs = a!.listener.delivered(record.sessionId).map((f) => f.seq);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(b!.listener.events.some((e) => e.kind === 'deliver')).toBe(false);
    expect(c!.listener.events.some((e) => e.kind === 'deliver')).toBe(false);
  });

  it('moves a session to the node that attaches it and tells the old holder', async () => {
    const [a, b] = await cluster(2);
    const record = sessionRecord('mover', a!.bus.nodeId);
    await a!.bus.createSession(record);
    await a!.bus.deliver('mover', signal(1));
    const before = await b!.bus.attachSession(record.sessionId);
    expect(before?.nodeId).toBe(a!.bus.nodeId);
    await a!.listener.next((e) => e.kind === 'taken' && e.sessionId === record.sessionId);
    await a!.bus.detachSession(record.sessionId, Date.now() + 1000);
    expect((await b!.bus.getSession(record.sessionId))?.nodeId).toBe(b!.bus.nodeId);
    await a!.bus.deliver('mover', signal(2));
    await b!.listener.until(() => b!.listener.delivered(record.sessionId).some((f) => f.seq === 2));
  });

  it('keeps nicknames unique and capacity across nodes, and rosters in join order', async () => {
    const [a, b] = await cluster(2);
    const r = [1, 2, 3, 4].map((i) => sessionRecord(`m${i}`, 'x'));
    const results = await Promise.all([
      a!.bus.joinRoom('lobby', member(r[0]!, 'Ada')),
      b!.bus.joinRoom('lobby', { ...member(r[1]!, 'ADA'), nicknameKey: 'ada' }),
    ]);
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    expect(results.filter((x) => !x.ok)).toEqual([{ ok: false, code: 'NICKNAME_TAKEN' }]);
    expect((await b!.bus.joinRoom('lobby', member(r[2]!, 'Bob'))).ok).toBe(true);
    const winner = results[0].ok ? r[0]! : r[1]!;
    expect((await a!.bus.joinRoom('lobby', member(r[3]!, 'Cy'))).ok).toBe(true);
    expect(await a!.bus.joinRoom('lobby', member(sessionRecord('m5', 'x'), 'Dee'))).toEqual({
      ok: false,
      code: 'ROOM_FULL',
    });
    expect((await b!.bus.roomMembers('lobby')).map((m) => m.peerId)).toEqual([winner.peerId, 'm3', 'm4']);
    const updated = await b!.bus.updateMember('lobby', 'm3', {
      metadata: { nickname: 'Cy' },
      nicknameKey: 'cy',
    });
    expect(updated).toEqual({ ok: false, code: 'NICKNAME_TAKEN' });
    const renamed = await b!.bus.updateMember('lobby', 'm3', {
      metadata: { nickname: 'Bo', extra: { tags: [], n: 0.1234567890123456 } },
      nicknameKey: 'bo',
    });
    expect(renamed.ok && renamed.member.metadata).toEqual({
      nickname: 'Bo',
      extra: { tags: [], n: 0.1234567890123456 },
    });
    expect((await a!.bus.leaveRoom('lobby', 'm4'))?.peerId).toBe('m4');
    expect((await a!.bus.joinRoom('lobby', member(sessionRecord('m6', 'x'), 'Bob'))).ok).toBe(true);
  });

  it('claims each expired session once across the cluster', async () => {
    const [a, b] = await cluster(2);
    const record = sessionRecord('late', a!.bus.nodeId);
    await a!.bus.createSession(record);
    await a!.bus.detachSession(record.sessionId, Date.now() - 1);
    expect(await a!.bus.getSession(record.sessionId)).toBeUndefined();
    expect(await a!.bus.deliver('late', signal(1))).toEqual({ ok: false, code: 'PEER_NOT_FOUND' });
    const [first, second] = await Promise.all([
      a!.bus.expiredSessions(Date.now()),
      b!.bus.expiredSessions(Date.now()),
    ]);
    expect([...first, ...second].map((s) => s.sessionId)).toEqual([record.sessionId]);
  });

  it('declares a silent node failed on exactly one survivor, marking its sessions and members', async () => {
    const prefix = `f${randomUUID().slice(0, 8)}:`;
    const fast = { heartbeatIntervalMs: 200, nodeFailureTimeoutMs: 600 };
    const [a, b] = await Promise.all(
      [0, 1].map((i) => startNode({ keyPrefix: prefix, nodeId: `n${i}`, ...fast })),
    );
    // n2 heartbeats only every 30 s: once its liveness key is gone it looks exactly like a crashed node.
    const c = await startNode({
      keyPrefix: prefix,
      nodeId: 'n2',
      heartbeatIntervalMs: 30_000,
      nodeFailureTimeoutMs: 60_000,
    });
    const record = sessionRecord('orphan', 'n2');
    await c.bus.createSession(record);
    await c.bus.joinRoom('lobby', member(record, 'Orphan'));
    await c.bus.updateSession(record.sessionId, { rooms: ['lobby'] });
    const raw = new Redis(redis.url);
    await raw.del(`${prefix}alive:n2`);
    raw.disconnect();
    const anyFailure = (): boolean => failures(a!.listener).length + failures(b!.listener).length > 0;
    await Promise.race([a!.listener.until(anyFailure), b!.listener.until(anyFailure)]);
    expect([...failures(a!.listener), ...failures(b!.listener)]).toEqual([
      { nodeId: 'n2', sessionIds: [record.sessionId] },
    ]);
    expect(await a!.bus.getSession(record.sessionId)).toMatchObject({
      nodeId: undefined,
      failedNodeId: 'n2',
    });
    expect((await a!.bus.roomMembers('lobby'))[0]?.state).toBe('reconnecting');
    const resumed = await b!.bus.attachSession(record.sessionId);
    expect(resumed?.failedNodeId).toBe('n2');
    expect((await a!.bus.roomMembers('lobby'))[0]?.state).toBe('online');
    expect((await a!.bus.getSession(record.sessionId))?.failedNodeId).toBeUndefined();
  });
});
