/**
 * Conversions between Redis replies and the bus types. Session hashes arrive from HGETALL (inside Lua) as
 * flat [field, value, ...] arrays; room members as `<state><ordinal>:<json>` strings (see lua-prelude.ts).
 */
import type { RoomMember, SessionRecord } from '@switchboard/server';

/** A flat HGETALL reply as a field map. */
export function fieldsOf(flat: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] ?? '', flat[i + 1] ?? '');
  return fields;
}

/** A session hash as a `SessionRecord`. */
export function decodeSession(fields: ReadonlyMap<string, string>): SessionRecord {
  const expiresAt = fields.get('exp');
  const failedNodeId = fields.get('fail');
  return {
    sessionId: fields.get('sid') ?? '',
    peerId: fields.get('pid') ?? '',
    resumeSecretHash: fields.get('sec') ?? '',
    identity: fields.get('idt'),
    rooms: JSON.parse(fields.get('rooms') ?? '[]') as string[],
    lastClientId: Number(fields.get('lci') ?? '0'),
    nodeId: fields.get('node'),
    expiresAt: expiresAt === undefined ? undefined : Number(expiresAt),
    ...(failedNodeId === undefined ? {} : { failedNodeId }),
  };
}

/**
 * The JSON part of a member value. Field order matters: `metadata` comes last, so the update script can
 * cut it out as text without re-encoding it.
 */
export function encodeMemberJson(member: Omit<RoomMember, 'state'>): string {
  return JSON.stringify({
    peerId: member.peerId,
    sessionId: member.sessionId,
    nicknameKey: member.nicknameKey,
    metadata: member.metadata,
  });
}

/** The state character stored in front of a member value. */
export function stateChar(state: RoomMember['state']): 'o' | 'r' {
  return state === 'online' ? 'o' : 'r';
}

/** A decoded member with its join ordinal, for sorting rosters into join order. */
export interface OrderedMember {
  readonly ordinal: number;
  readonly member: RoomMember;
}

/** Decode one stored member value. */
export function decodeMember(value: string): OrderedMember {
  const colon = value.indexOf(':');
  const body = JSON.parse(value.slice(colon + 1)) as Omit<RoomMember, 'state'>;
  return {
    ordinal: Number(value.slice(1, colon)),
    member: {
      peerId: body.peerId,
      sessionId: body.sessionId,
      metadata: body.metadata,
      nicknameKey: body.nicknameKey,
      state: value.startsWith('o') ? 'online' : 'reconnecting',
    },
  };
}

/** Decode member values and sort them into join order. */
export function decodeMembers(values: readonly string[]): RoomMember[] {
  return values
    .map(decodeMember)
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((m) => m.member);
}

/**
 * A session's durable fields as script arguments, in the order CREATE_SESSION and WRITE_BACK_SESSION take
 * them: sessionId, peerId, resumeSecretHash, hasIdentity ('1'|'0'), identity, roomsJson, lastClientId.
 */
export function sessionArgs(record: SessionRecord): (string | number)[] {
  return [
    record.sessionId,
    record.peerId,
    record.resumeSecretHash,
    record.identity === undefined ? '0' : '1',
    record.identity ?? '',
    JSON.stringify(record.rooms),
    record.lastClientId,
  ];
}
