import { describe, expect, it } from 'vitest';
import type { RoomMember } from '../bus/cluster-bus.js';
import { RoomRegistry } from './room-registry.js';
import { isPolite, toPeerInfo } from './peer-info.js';

const member = (peerId: string, nickname: string, key = nickname.toLowerCase()): RoomMember => ({
  peerId,
  sessionId: `s-${peerId}`,
  metadata: { nickname },
  nicknameKey: key,
  state: 'online',
});

describe('RoomRegistry', () => {
  it('returns the other members as they were before a join', () => {
    const rooms = new RoomRegistry();
    expect(rooms.join('r', member('a', 'Ada'), 10)).toEqual({ ok: true, members: [], maxPeers: 10 });
    expect(rooms.join('r', member('b', 'Bob'), 10)).toEqual({
      ok: true,
      members: [member('a', 'Ada')],
      maxPeers: 10,
    });
    expect(rooms.members('r').map((m) => m.peerId)).toEqual(['a', 'b']);
  });

  it('rejects a peer whose nickname key is taken in the room, but not in another room', () => {
    const rooms = new RoomRegistry();
    rooms.join('r', member('a', 'Ada'), 10);
    expect(rooms.join('r', member('b', 'ADA'), 10)).toEqual({ ok: false, code: 'NICKNAME_TAKEN' });
    expect(rooms.join('s', member('b', 'ADA'), 10).ok).toBe(true);
  });

  it('rejects a peer when the room is full, but lets a member re-join in place', () => {
    const rooms = new RoomRegistry();
    rooms.join('r', member('a', 'A'), 2);
    rooms.join('r', member('b', 'B'), 2);
    expect(rooms.join('r', member('c', 'C'), 2)).toEqual({ ok: false, code: 'ROOM_FULL' });
    expect(rooms.join('r', member('a', 'A2'), 2)).toEqual({
      ok: true,
      members: [member('b', 'B')],
      maxPeers: 2,
    });
    expect(rooms.members('r').map((m) => m.metadata.nickname)).toEqual(['A2', 'B']);
  });

  it('keeps the cap of the join that created the room, whatever later joiners ask for', () => {
    const rooms = new RoomRegistry();
    expect(rooms.join('r', member('a', 'A'), 10, { maxPeers: 2 })).toMatchObject({ ok: true, maxPeers: 2 });
    expect(rooms.join('r', member('b', 'B'), 10, { maxPeers: 5 })).toMatchObject({ ok: true, maxPeers: 2 });
    expect(rooms.join('r', member('c', 'C'), 10, { maxPeers: 5 })).toEqual({ ok: false, code: 'ROOM_FULL' });
    expect(rooms.join('r', member('c', 'C'), 10)).toEqual({ ok: false, code: 'ROOM_FULL' });
  });

  it("refuses a joiner at its own cap, or its grant's, without changing the room's cap", () => {
    const rooms = new RoomRegistry();
    rooms.join('r', member('a', 'A'), 10);
    rooms.join('r', member('b', 'B'), 10);
    expect(rooms.join('r', member('c', 'C'), 10, { maxPeers: 2 })).toEqual({ ok: false, code: 'ROOM_FULL' });
    expect(rooms.join('r', member('c', 'C'), 10, { joinerMaxPeers: 2 })).toEqual({
      ok: false,
      code: 'ROOM_FULL',
    });
    expect(rooms.join('r', member('c', 'C'), 10, { maxPeers: 3 })).toMatchObject({ ok: true, maxPeers: 10 });
  });

  it('never lets a cap above the server limit widen the room', () => {
    const rooms = new RoomRegistry();
    expect(rooms.join('r', member('a', 'A'), 2, { maxPeers: 6 })).toMatchObject({ maxPeers: 2 });
    rooms.join('r', member('b', 'B'), 2);
    expect(rooms.join('r', member('c', 'C'), 2, { maxPeers: 6 })).toEqual({ ok: false, code: 'ROOM_FULL' });
  });

  it('forgets the cap with the room: the next creator sets a new one', () => {
    const rooms = new RoomRegistry();
    rooms.join('r', member('a', 'A'), 10, { maxPeers: 1 });
    rooms.leave('r', 'a');
    expect(rooms.join('r', member('b', 'B'), 10)).toMatchObject({ ok: true, maxPeers: 10 });
    expect(rooms.join('r', member('c', 'C'), 10).ok).toBe(true);
  });

  it('forgets a room when its last member leaves', () => {
    const rooms = new RoomRegistry();
    rooms.join('r', member('a', 'A'), 2);
    expect(rooms.size).toBe(1);
    expect(rooms.leave('r', 'a')).toEqual(member('a', 'A'));
    expect(rooms.leave('r', 'a')).toBeUndefined();
    expect(rooms.size).toBe(0);
  });

  it('updates a member, re-checking nickname uniqueness only when the key changes', () => {
    const rooms = new RoomRegistry();
    rooms.join('r', member('a', 'Ada'), 5);
    rooms.join('r', member('b', 'Bob'), 5);
    expect(rooms.update('r', 'b', { metadata: { nickname: 'ada' }, nicknameKey: 'ada' })).toEqual({
      ok: false,
      code: 'NICKNAME_TAKEN',
    });
    expect(rooms.update('r', 'b', { state: 'reconnecting' })).toMatchObject({
      ok: true,
      member: { state: 'reconnecting', nicknameKey: 'bob' },
    });
    expect(rooms.update('r', 'zed', { state: 'online' })).toEqual({ ok: false, code: 'NOT_IN_ROOM' });
  });
});

describe('politeness', () => {
  it('makes exactly one peer of every pair polite: the one with the greater id', () => {
    for (const [x, y] of [
      ['a', 'b'],
      ['Zz', 'aa'],
      ['peer-1', 'peer-10'],
    ] as const) {
      expect(isPolite(x, y)).toBe(!isPolite(y, x));
      expect(isPolite(x, y)).toBe(x > y);
    }
  });

  it('puts the recipient role in PeerInfo', () => {
    expect(toPeerInfo(member('b', 'Bob'), 'a')).toEqual({
      peerId: 'b',
      metadata: { nickname: 'Bob' },
      state: 'online',
      polite: false,
    });
    expect(toPeerInfo(member('a', 'Ada'), 'b').polite).toBe(true);
  });
});
