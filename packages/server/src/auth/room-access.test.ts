import { describe, expect, it } from 'vitest';
import type { Principal } from './authenticator.js';
import { checkRoomAccess, isRoomGranted } from './room-access.js';

const principal = (rooms: Principal['rooms'], maxPeersPerRoom?: number): Principal => ({
  identity: 'alice',
  rooms,
  expiresAt: undefined,
  ...(maxPeersPerRoom === undefined ? {} : { maxPeersPerRoom }),
});

describe('checkRoomAccess', () => {
  it('lets a wildcard grant into any room below the server cap', () => {
    expect(checkRoomAccess(principal('*'), 'any', 3, 50)).toEqual({ ok: true, maxPeers: 50 });
  });

  it('refuses a room the grant does not list with ROOM_FORBIDDEN, even when the room is empty', () => {
    const result = checkRoomAccess(principal(['standup']), 'payroll', 0, 50);
    expect(result).toMatchObject({ ok: false, code: 'ROOM_FORBIDDEN' });
    expect(isRoomGranted(principal(['standup']), 'payroll')).toBe(false);
    expect(isRoomGranted(principal(['standup']), 'standup')).toBe(true);
  });

  it('refuses every room to a signal-only grant', () => {
    expect(checkRoomAccess(principal([]), 'lobby', 0, 50)).toMatchObject({
      ok: false,
      code: 'ROOM_FORBIDDEN',
    });
  });

  it('applies the smaller of the server cap and the grant cap', () => {
    expect(checkRoomAccess(principal('*', 2), 'r', 1, 50)).toEqual({ ok: true, maxPeers: 2 });
    expect(checkRoomAccess(principal('*', 2), 'r', 2, 50)).toMatchObject({ ok: false, code: 'ROOM_FULL' });
    expect(checkRoomAccess(principal('*', 500), 'r', 50, 50)).toMatchObject({ ok: false, code: 'ROOM_FULL' });
  });
});
