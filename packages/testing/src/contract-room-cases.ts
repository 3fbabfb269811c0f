/**
 * ClusterBus contract, rooms: join order, nickname uniqueness and capacity across nodes, room caps
 * (ADR 0006) including a race of concurrent joiners, leave, update, and presence state on detach/attach.
 */
import { expect, it } from 'vitest';
import type { ClusterBusLimits, SessionRecord } from '@switchboard/server';
import { roomMember as member } from './bus-fixtures.js';
import { CONTRACT_LIMITS, type ContractContext } from './contract-context.js';

/** Limits roomy enough for a capped room of 6 (the web app's group call). */
const ROOMY: ClusterBusLimits = { ...CONTRACT_LIMITS, maxPeersPerRoom: 10 };
/** Joiners racing for a room capped at 6. */
const RACERS = 12;

/** Register the room cases (inside the suite's `describe`). */
export function roomCases({ node, session }: ContractContext): void {
  it('returns the members before the join, and lists members in join order', async () => {
    const { bus } = await node();
    const [s1, s2] = [await session(bus), await session(bus)];
    const limit = CONTRACT_LIMITS.maxPeersPerRoom;
    expect(await bus.joinRoom('r', member(s1, 'Ada'))).toEqual({ ok: true, members: [], maxPeers: limit });
    expect(await bus.joinRoom('r', member(s2, 'Bob'))).toEqual({
      ok: true,
      members: [member(s1, 'Ada')],
      maxPeers: limit,
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

  it("keeps the creator's cap for every later joiner, on any node, until the room empties", async () => {
    const a = await node(ROOMY);
    const b = await node(ROOMY);
    const s = await Promise.all([1, 2, 3, 4].map((i) => session(i % 2 === 0 ? a.bus : b.bus)));
    const [s1, s2, s3, s4] = s as [SessionRecord, SessionRecord, SessionRecord, SessionRecord];
    expect(await a.bus.joinRoom('capped', member(s1, 'Ada'), { maxPeers: 2 })).toMatchObject({
      ok: true,
      maxPeers: 2,
    });
    // A later joiner asking for more changes nothing.
    expect(await b.bus.joinRoom('capped', member(s2, 'Bob'), { maxPeers: 8 })).toMatchObject({
      ok: true,
      maxPeers: 2,
    });
    expect(await b.bus.joinRoom('capped', member(s3, 'Cy'))).toEqual({ ok: false, code: 'ROOM_FULL' });
    // A member re-joining is never refused for capacity.
    expect((await a.bus.joinRoom('capped', member(s1, 'Ada'), { maxPeers: 1 })).ok).toBe(true);
    await a.bus.leaveRoom('capped', s1.peerId);
    expect((await b.bus.joinRoom('capped', member(s3, 'Cy'))).ok).toBe(true);
    await a.bus.leaveRoom('capped', s2.peerId);
    await a.bus.leaveRoom('capped', s3.peerId);
    // Emptied: the cap is forgotten, and the next creator's (none) applies.
    expect(await a.bus.joinRoom('capped', member(s4, 'Di'))).toMatchObject({ ok: true, maxPeers: 10 });
  });

  it("refuses a joiner at its own cap or its grant's, without changing the room's", async () => {
    const { bus } = await node(ROOMY);
    const s = await Promise.all([1, 2, 3].map(() => session(bus)));
    const [s1, s2, s3] = s as [SessionRecord, SessionRecord, SessionRecord];
    await bus.joinRoom('r', member(s1, 'Ada'));
    await bus.joinRoom('r', member(s2, 'Bob'));
    expect(await bus.joinRoom('r', member(s3, 'Cy'), { maxPeers: 2 })).toEqual({
      ok: false,
      code: 'ROOM_FULL',
    });
    expect(await bus.joinRoom('r', member(s3, 'Cy'), { joinerMaxPeers: 2 })).toEqual({
      ok: false,
      code: 'ROOM_FULL',
    });
    expect(await bus.joinRoom('r', member(s3, 'Cy'), { maxPeers: 3 })).toMatchObject({
      ok: true,
      maxPeers: 10,
    });
  });

  it(`admits exactly 6 of ${RACERS} concurrent joiners on three nodes to a room capped at 6`, async () => {
    const nodes = [await node(ROOMY), await node(ROOMY), await node(ROOMY)];
    const joiners = await Promise.all(
      Array.from({ length: RACERS }, async (_, i) => {
        const { bus } = nodes[i % nodes.length]!;
        return { bus, record: await session(bus) };
      }),
    );
    // Every racer asks for 6, so whichever creates the room fixes the cap in the same step.
    const results = await Promise.all(
      joiners.map(({ bus, record }, i) =>
        bus.joinRoom('group', member(record, `racer${i}`), { maxPeers: 6 }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(6);
    expect(results.filter((r) => !r.ok)).toEqual(
      Array.from({ length: RACERS - 6 }, () => ({ ok: false, code: 'ROOM_FULL' })),
    );
    expect(await nodes[1]!.bus.roomMembers('group')).toHaveLength(6);
    // Racers that do not ask for a cap are held to the room's all the same.
    const late = await Promise.all(
      nodes.map(async ({ bus }, i) => bus.joinRoom('group', member(await session(bus), `late${i}`))),
    );
    expect(late).toEqual(nodes.map(() => ({ ok: false, code: 'ROOM_FULL' })));
    expect(await nodes[2]!.bus.roomMembers('group')).toHaveLength(6);
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
    ).toEqual({ ok: false, code: 'NICKNAME_TAKEN' });
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
}
