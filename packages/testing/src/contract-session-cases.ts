/** ClusterBus contract, sessions: storage, lookup, detach and claim-once expiry, attach and takeover. */
import { expect, it } from 'vitest';
import { numberedSignal } from './bus-fixtures.js';
import type { ContractContext } from './contract-context.js';

/** Register the session cases (inside the suite's `describe`). */
export function sessionCases({ node, session }: ContractContext): void {
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
    expect(await bus.deliver(created.peerId, numberedSignal(1))).toEqual({
      ok: false,
      code: 'PEER_NOT_FOUND',
    });
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
    const claims = await Promise.all([a.bus.expiredSessions(now + 100), b.bus.expiredSessions(now + 100)]);
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
}
