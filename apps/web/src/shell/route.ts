/**
 * The URL is the app's entry state: `/r/<room>` (or `?room=<room>`) opens a room, `?call=group` makes it a
 * group call, and `?mode=serverless` opens copy/paste mode. Invite links are built here too, so the two
 * directions cannot drift apart.
 */

const ROOM_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The default room everyone lands in. */
export const DEFAULT_ROOM = 'lobby';

/** What the URL asks for. */
export type Route =
  | { readonly kind: 'room'; readonly room: string; readonly group: boolean; readonly fromLink: boolean }
  | { readonly kind: 'serverless' };

/** Whether `room` is a valid room name (the protocol's `RoomName` pattern). */
export function isValidRoomName(room: string): boolean {
  return ROOM_PATTERN.test(room);
}

/** Read the route from a location. An invalid room in the URL falls back to the lobby. */
export function parseRoute(location: Pick<Location, 'pathname' | 'search'>): Route {
  const params = new URLSearchParams(location.search);
  if (params.get('mode') === 'serverless') return { kind: 'serverless' };
  const fromPath = /^\/r\/([^/]+)\/?$/.exec(location.pathname)?.[1];
  const candidate = fromPath === undefined ? params.get('room') : decodeURIComponent(fromPath);
  const group = params.get('call') === 'group';
  if (candidate !== null && isValidRoomName(candidate)) {
    return { kind: 'room', room: candidate, group, fromLink: true };
  }
  return { kind: 'room', room: DEFAULT_ROOM, group, fromLink: false };
}

/** The shareable link that drops its recipient straight into `room`. */
export function inviteLink(origin: string, room: string, group: boolean): string {
  return `${origin}/r/${encodeURIComponent(room)}${group ? '?call=group' : ''}`;
}

/** The link to serverless (copy/paste) mode. */
export function serverlessLink(origin: string): string {
  return `${origin}/?mode=serverless`;
}
