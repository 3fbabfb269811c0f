/**
 * ClusterBus contract, delivery: gap-free seqs, wake-ups of the holding node, replay, acks, the outbox cap,
 * and (for buses with `hasDeliverPreconditions`) the same-room check made with the append.
 */
import { describe, expect, it } from 'vitest';
import { numberedSignal as signal, roomMember as member } from './bus-fixtures.js';
import { CONTRACT_LIMITS, type ContractContext } from './contract-context.js';

/** Register the delivery cases (inside the suite's `describe`). */
export function deliveryCases({ node, session }: ContractContext): void {
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
    await listener.until(() => listener.delivered(target.sessionId).some((f) => f.seq === 3));
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

  describe('preconditions (buses with hasDeliverPreconditions)', () => {
    it('appends only to a member of one of the required rooms, checked with the append', async (test) => {
      const a = await node();
      const b = await node();
      if (b.bus.hasDeliverPreconditions !== true) return test.skip();
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
      expect(await b.bus.deliver(target.peerId, signal(3), undefined, shared)).toEqual({ ok: true, seq: 1 });
      const woken = await a.listener.next((e) => e.kind === 'deliver' && e.sessionId === target.sessionId);
      expect(woken).toMatchObject({ frames: [{ seq: 1, data: 3 }] });
    });

    it('checks the peer before the rooms, counts a reconnecting member, and not one that left', async (test) => {
      const { bus } = await node();
      if (bus.hasDeliverPreconditions !== true) return test.skip();
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

    it('refuses with SIGNAL_FORBIDDEN before OUTBOX_FULL', async (test) => {
      const { bus } = await node();
      if (bus.hasDeliverPreconditions !== true) return test.skip();
      const target = await session(bus);
      for (let n = 1; n <= CONTRACT_LIMITS.maxOutbox; n += 1) await bus.deliver(target.peerId, signal(n));
      expect(
        await bus.deliver(target.peerId, signal(0), undefined, { requireSharedRoomWith: ['r'] }),
      ).toEqual({ ok: false, code: 'SIGNAL_FORBIDDEN' });
    });
  });
}
