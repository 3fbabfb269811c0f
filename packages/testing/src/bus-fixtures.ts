/**
 * Records for ClusterBus tests: a session, its room membership and a numbered signal. Ids are unique per
 * process, so suites sharing one Redis never collide.
 */
import type { RoomMember, SessionRecord } from '@switchboard/server';

let counter = 0;

/** A fresh session record held by `nodeId`; `overrides` replace any field. */
export function sessionRecord(nodeId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  counter += 1;
  const suffix = `${counter}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    sessionId: `s${suffix}`,
    peerId: `p${suffix}`,
    resumeSecretHash: 'ab'.repeat(32),
    identity: undefined,
    rooms: [],
    lastClientId: 0,
    nodeId,
    expiresAt: undefined,
    ...overrides,
  };
}

/** `session` as an online room member called `nickname` (its lower case is the uniqueness key). */
export function roomMember(session: SessionRecord, nickname: string): RoomMember {
  return {
    peerId: session.peerId,
    sessionId: session.sessionId,
    metadata: { nickname },
    nicknameKey: nickname.toLowerCase(),
    state: 'online',
  };
}

/** A relayed signal whose data is `data` (a number, by default, to check order with). */
export function numberedSignal<T = number>(data: T): { type: 'signal'; from: string; data: T } {
  return { type: 'signal', from: 'sender', data };
}
