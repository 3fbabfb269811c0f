/**
 * Maps verified JWT claims to a `Principal`. The claim names follow LiveKit's grants in spirit
 * (platforms.md §1.7: `sub` is the identity, `roomJoin` + `room`), flattened for signaling:
 *
 * | claim      | type                 | meaning                                                           |
 * |------------|----------------------|-------------------------------------------------------------------|
 * | `sub`      | string (required)    | the identity; several sessions (devices) may share it             |
 * | `rooms`    | `string[]` or `'*'`  | rooms the holder may join; absent means any room                  |
 * | `join`     | boolean              | `false` forbids joining any room (signal-only); absent means true |
 * | `maxPeers` | positive integer     | join only rooms holding fewer peers than this                     |
 * | `exp/nbf`  | NumericDate          | validity window, checked by jose with the clock tolerance         |
 */
import type { JWTPayload } from 'jose';
import type { Principal } from './authenticator.js';

/** Same pattern as the protocol's RoomName, so a grant can never name a room nobody can join. */
const ROOM_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Identities end up in logs and metrics labels' neighbourhood; keep them bounded. */
export const MAX_IDENTITY_LENGTH = 256;
/** A token listing more rooms than this is almost certainly a mistake (and a cheap DoS on `includes`). */
export const MAX_GRANTED_ROOMS = 1024;

/** The outcome of reading claims: a principal, or the sentence that says which claim is wrong. */
export type ClaimsResult =
  { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly message: string };

/** Read the Switchboard claims from an already verified payload. */
export function principalFromClaims(payload: JWTPayload): ClaimsResult {
  const { sub, exp } = payload;
  if (typeof sub !== 'string' || sub.length === 0)
    return { ok: false, message: 'token has no `sub` claim (the identity)' };
  if (sub.length > MAX_IDENTITY_LENGTH)
    return { ok: false, message: `token \`sub\` is longer than ${MAX_IDENTITY_LENGTH} characters` };

  const rooms = readRooms(payload['rooms']);
  if ('error' in rooms) return { ok: false, message: rooms.error };

  const join = payload['join'];
  if (join !== undefined && typeof join !== 'boolean')
    return { ok: false, message: 'token `join` claim must be a boolean' };

  const maxPeers = payload['maxPeers'];
  if (
    maxPeers !== undefined &&
    !(typeof maxPeers === 'number' && Number.isSafeInteger(maxPeers) && maxPeers > 0)
  ) {
    return { ok: false, message: 'token `maxPeers` claim must be a positive integer' };
  }

  const principal: Principal = {
    identity: sub,
    rooms: join === false ? [] : rooms.grant,
    expiresAt: typeof exp === 'number' ? exp * 1000 : undefined,
    ...(maxPeers === undefined ? {} : { maxPeersPerRoom: maxPeers }),
  };
  return { ok: true, principal };
}

function readRooms(value: unknown): { readonly grant: readonly string[] | '*' } | { readonly error: string } {
  if (value === undefined || value === '*') return { grant: '*' };
  if (!Array.isArray(value)) return { error: "token `rooms` claim must be an array of room names or '*'" };
  if (value.length > MAX_GRANTED_ROOMS)
    return { error: `token \`rooms\` claim lists more than ${MAX_GRANTED_ROOMS} rooms` };
  const grant: string[] = [];
  for (const room of value as unknown[]) {
    if (typeof room !== 'string' || !ROOM_NAME.test(room))
      return { error: 'token `rooms` claim contains an invalid room name' };
    grant.push(room);
  }
  return { grant: Object.freeze(grant) };
}
