/**
 * Room join authorization from a principal's grants: may this identity enter this room, and how full may
 * the room be when it does? The relay's `SignalPolicy` (signal-policy.ts) decides who may signal whom once
 * inside; this decides who gets inside at all. Both are pure so that they are cheap on the join path.
 */
import type { Principal } from './authenticator.js';

/** The verdict on one join. */
export type RoomAccessResult =
  | { readonly ok: true; readonly maxPeers: number }
  | { readonly ok: false; readonly code: 'ROOM_FORBIDDEN' | 'ROOM_FULL'; readonly message: string };

/**
 * Decide whether `principal` may join `room`, which holds `occupancy` peers now.
 *
 * The cap is the smaller of the server's `maxPeersPerRoom` and the grant's own `maxPeersPerRoom`, so a
 * token can narrow a room's size but never widen it past what the operator allows.
 *
 * @returns `ok` with the cap that applied, or the code to answer the join with
 * @example
 * const access = checkRoomAccess(session.principal, msg.room, registry.size(msg.room), options.maxPeersPerRoom);
 * if (!access.ok) return replyError(msg.id, access.code, access.message);
 */
export function checkRoomAccess(
  principal: Principal,
  room: string,
  occupancy: number,
  serverMaxPeers: number,
): RoomAccessResult {
  if (principal.rooms !== '*' && !principal.rooms.includes(room)) {
    return {
      ok: false,
      code: 'ROOM_FORBIDDEN',
      message: `the token does not grant joining room ${JSON.stringify(room)}`,
    };
  }
  const maxPeers = Math.min(serverMaxPeers, principal.maxPeersPerRoom ?? Number.POSITIVE_INFINITY);
  if (occupancy >= maxPeers) {
    return {
      ok: false,
      code: 'ROOM_FULL',
      message: `room ${JSON.stringify(room)} already holds ${maxPeers} peers`,
    };
  }
  return { ok: true, maxPeers };
}

/** Whether the principal's grant allows the room at all, ignoring occupancy (for resume and refresh checks). */
export function isRoomGranted(principal: Principal, room: string): boolean {
  return principal.rooms === '*' || principal.rooms.includes(room);
}
