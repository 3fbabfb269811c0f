/**
 * Room membership changes and the presence frames they cause. Presence is pushed: the joiner gets a
 * `roster` (the answer to its `join`), every other member gets a diff (`peer-joined`, `peer-updated`,
 * `peer-left`). All of them go through `ClusterBus.deliver`, so they are sequenced and replayed on resume
 * like signals: a peer that was away still ends up with the right picture.
 *
 * Invariants:
 * - The roster is appended to the joiner's outbox before any member hears of the joiner, so a member who
 *   signals the joiner at once cannot overtake the joiner's roster.
 * - The joiner's view ends equal to the room. Between `joinRoom` and the roster's append, another member's
 *   diff may reach the joiner's outbox first (a later joiner's `peer-joined`, on Redis a round trip away), and
 *   the roster, which the client applies by replacing its list, would erase it. So once the roster is in,
 *   the room is read again and the joiner is sent a diff for every difference (see `#reconcile`).
 */
import {
  validateNickname,
  type ErrorCode,
  type LeftReason,
  type PeerMetadata,
  type PeerMetadataPatch,
} from '@switchboard/protocol';
import type { Principal } from '../auth/authenticator.js';
import { checkRoomAccess } from '../auth/room-access.js';
import type { ClusterBus, RoomMember } from '../bus/cluster-bus.js';
import { toPeerInfo } from './peer-info.js';

/** The session a presence change is about. `rooms` is replaced (never mutated) when it changes. */
export interface PresenceSubject {
  readonly sessionId: string;
  readonly peerId: string;
  readonly principal: Principal;
  rooms: readonly string[];
}

/** How a request ended: fine (with the seq of the frame that answered it, if any), or refused with a code. */
export type RequestOutcome =
  | { readonly ok: true; readonly responseSeq?: number }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** Limits presence enforces. */
export interface PresenceLimits {
  readonly maxRoomsPerSession: number;
  readonly maxMetadataBytes: number;
  /** The server's cap on members per room: a join's `maxPeers` may not exceed it. */
  readonly maxPeersPerRoom: number;
}

const OK: RequestOutcome = { ok: true };

export class Presence {
  readonly #bus: ClusterBus;
  readonly #limits: PresenceLimits;
  readonly #onOutboxFull: (peerId: string) => void;

  /**
   * @param onOutboxFull a member's outbox could not take a presence frame: its picture of the room would be
   *   wrong from now on, so the caller ends that session (its resume then says `resumed: false`).
   */
  constructor(bus: ClusterBus, limits: PresenceLimits, onOutboxFull: (peerId: string) => void) {
    this.#bus = bus;
    this.#limits = limits;
    this.#onOutboxFull = onOutboxFull;
  }

  /**
   * Join `room` (or refresh the roster and metadata when already in it). Answers with a `roster`.
   * `maxPeers` is the cap the app asks for (ADR 0006): it becomes the room's cap if this join creates it.
   */
  async join(
    subject: PresenceSubject,
    id: number,
    room: string,
    metadata: PeerMetadata,
    maxPeers?: number,
  ): Promise<RequestOutcome> {
    const checked = this.#checkMetadata(metadata);
    if (!checked.ok) return checked;
    const { metadata: clean, nicknameKey } = checked;
    if (maxPeers !== undefined && maxPeers > this.#limits.maxPeersPerRoom) {
      return {
        ok: false,
        code: 'INVALID_MAX_PEERS',
        message: `maxPeers ${maxPeers} is over this server's limit of ${this.#limits.maxPeersPerRoom} peers per room`,
      };
    }
    const isNew = !subject.rooms.includes(room);
    // Every cap (the server's, the room's, this join's and the grant's) is checked atomically by the bus.
    const access = checkRoomAccess(subject.principal, room, 0, Number.POSITIVE_INFINITY);
    if (!access.ok) return access;
    const grantMaxPeers = subject.principal.maxPeersPerRoom;
    const self: RoomMember = {
      peerId: subject.peerId,
      sessionId: subject.sessionId,
      metadata: clean,
      nicknameKey,
      state: 'online',
    };
    let others: readonly RoomMember[];
    let roomMaxPeers: number | undefined;
    if (isNew) {
      if (subject.rooms.length >= this.#limits.maxRoomsPerSession) {
        return {
          ok: false,
          code: 'TOO_MANY_ROOMS',
          message: `already in ${subject.rooms.length} rooms, the most allowed`,
        };
      }
      const joined = await this.#bus.joinRoom(room, self, {
        ...(maxPeers === undefined ? {} : { maxPeers }),
        ...(grantMaxPeers === undefined ? {} : { joinerMaxPeers: grantMaxPeers }),
      });
      if (!joined.ok) return refusal(joined.code, room);
      others = joined.members;
      roomMaxPeers = joined.maxPeers;
      subject.rooms = [...subject.rooms, room];
      await this.#bus.updateSession(subject.sessionId, { rooms: subject.rooms });
    } else {
      const updated = await this.#bus.updateMember(room, subject.peerId, { metadata: clean, nicknameKey });
      if (!updated.ok) return refusal(updated.code, room);
      others = (await this.#bus.roomMembers(room)).filter((m) => m.peerId !== subject.peerId);
      await this.#fanOut(others, (to) => ({
        type: 'peer-updated',
        room,
        peer: toPeerInfo(updated.member, to),
      }));
    }
    const roster = await this.#bus.deliver(subject.peerId, {
      type: 'roster',
      ref: id,
      room,
      self: { peerId: subject.peerId, metadata: clean },
      peers: others.map((m) => toPeerInfo(m, subject.peerId)),
      ...(roomMaxPeers === undefined ? {} : { maxPeers: roomMaxPeers }),
    });
    if (!roster.ok) {
      // Our own outbox is full: undo the join rather than leave a member that never got its roster.
      if (isNew) {
        await this.#bus.leaveRoom(room, subject.peerId);
        subject.rooms = subject.rooms.filter((r) => r !== room);
        await this.#bus.updateSession(subject.sessionId, { rooms: [...subject.rooms] });
      }
      return { ok: false, code: roster.code, message: 'the roster could not be queued: the outbox is full' };
    }
    await this.#reconcile(subject.peerId, room, others);
    if (isNew)
      await this.#fanOut(others, (to) => ({ type: 'peer-joined', room, peer: toPeerInfo(self, to) }));
    return { ok: true, responseSeq: roster.seq };
  }

  /** Leave one room; the session gets `left` (answering request `id` when there is one), the others `peer-left`. */
  async leave(
    subject: PresenceSubject,
    room: string,
    reason: LeftReason,
    id?: number,
  ): Promise<RequestOutcome> {
    if (!subject.rooms.includes(room))
      return { ok: false, code: 'NOT_IN_ROOM', message: `not in room ${room}` };
    await this.#bus.leaveRoom(room, subject.peerId);
    subject.rooms = subject.rooms.filter((r) => r !== room);
    await this.#bus.updateSession(subject.sessionId, { rooms: [...subject.rooms] });
    const left = await this.#bus.deliver(subject.peerId, {
      type: 'left',
      room,
      reason,
      ...(id === undefined ? {} : { ref: id }),
    });
    await this.#announceLeft(room, subject.peerId, reason);
    return left.ok ? { ok: true, responseSeq: left.seq } : OK;
  }

  /** Change metadata in one room, or in every room of the session when `room` is undefined. */
  async update(
    subject: PresenceSubject,
    room: string | undefined,
    patch: PeerMetadataPatch,
  ): Promise<RequestOutcome> {
    if (room !== undefined && !subject.rooms.includes(room)) {
      return { ok: false, code: 'NOT_IN_ROOM', message: `not in room ${room}` };
    }
    for (const target of room === undefined ? [...subject.rooms] : [room]) {
      const members = await this.#bus.roomMembers(target);
      const current = members.find((m) => m.peerId === subject.peerId);
      if (current === undefined) continue;
      const checked = this.#checkMetadata({ ...current.metadata, ...patch });
      if (!checked.ok) return checked;
      const updated = await this.#bus.updateMember(target, subject.peerId, checked);
      if (!updated.ok) return refusal(updated.code, target);
      await this.#fanOut(
        members.filter((m) => m.peerId !== subject.peerId),
        (to) => ({ type: 'peer-updated', room: target, peer: toPeerInfo(updated.member, to) }),
      );
    }
    return OK;
  }

  /** Tell the other members of every room of `peerId` its current state (after a detach or a resume). */
  async announceState(peerId: string, rooms: readonly string[]): Promise<void> {
    for (const room of rooms) {
      const members = await this.#bus.roomMembers(room);
      const self = members.find((m) => m.peerId === peerId);
      if (self === undefined) continue;
      await this.#fanOut(
        members.filter((m) => m.peerId !== peerId),
        (to) => ({ type: 'peer-updated', room, peer: toPeerInfo(self, to) }),
      );
    }
  }

  /** Remove `peerId` from `rooms` for good (bye, expiry, eviction), telling the remaining members why. */
  async removeEverywhere(peerId: string, rooms: readonly string[], reason: LeftReason): Promise<void> {
    for (const room of rooms) {
      if ((await this.#bus.leaveRoom(room, peerId)) !== undefined)
        await this.#announceLeft(room, peerId, reason);
    }
  }

  /**
   * Bring the joiner `peerId`, just sent a roster listing `told`, up to date with the room as it is now:
   * anything that changed since the roster's snapshot may have been announced to it before the roster
   * (and erased by it). A diff that also arrives from the member's own change is harmless: the client
   * applies joins and updates as upserts, and a departure of a peer it no longer lists as a no-op.
   */
  async #reconcile(peerId: string, room: string, told: readonly RoomMember[]): Promise<void> {
    const members = await this.#bus.roomMembers(room);
    if (!members.some((m) => m.peerId === peerId)) return; // removed meanwhile: its `left` says so
    const unseen = new Map(told.map((m) => [m.peerId, m]));
    const frames: Parameters<ClusterBus['deliver']>[1][] = [];
    for (const member of members) {
      if (member.peerId === peerId) continue;
      const before = unseen.get(member.peerId);
      unseen.delete(member.peerId);
      if (before === undefined) frames.push({ type: 'peer-joined', room, peer: toPeerInfo(member, peerId) });
      else if (!isSameMember(before, member))
        frames.push({ type: 'peer-updated', room, peer: toPeerInfo(member, peerId) });
    }
    // Its true reason went out with its own `peer-left`, possibly before the roster; `left` is the neutral one.
    for (const gone of unseen.values())
      frames.push({ type: 'peer-left', room, peerId: gone.peerId, reason: 'left' });
    for (const frame of frames) {
      const result = await this.#bus.deliver(peerId, frame);
      if (!result.ok) {
        if (result.code === 'OUTBOX_FULL') this.#onOutboxFull(peerId);
        return;
      }
    }
  }

  async #announceLeft(room: string, peerId: string, reason: LeftReason): Promise<void> {
    const members = await this.#bus.roomMembers(room);
    await this.#fanOut(members, () => ({ type: 'peer-left', room, peerId, reason }));
  }

  async #fanOut(
    members: readonly RoomMember[],
    frameFor: (recipientPeerId: string) => Parameters<ClusterBus['deliver']>[1],
  ): Promise<void> {
    const results = await Promise.all(members.map((m) => this.#bus.deliver(m.peerId, frameFor(m.peerId))));
    results.forEach((result, i) => {
      const member = members[i];
      if (!result.ok && result.code === 'OUTBOX_FULL' && member !== undefined)
        this.#onOutboxFull(member.peerId);
    });
  }

  #checkMetadata(
    metadata: PeerMetadata,
  ):
    | { ok: true; metadata: PeerMetadata; nicknameKey: string }
    | { ok: false; code: ErrorCode; message: string } {
    const nickname = validateNickname(metadata.nickname);
    if (!nickname.ok) return { ok: false, code: 'INVALID_NICKNAME', message: nickname.reason };
    const clean: PeerMetadata = { ...metadata, nickname: nickname.nickname };
    const bytes = Buffer.byteLength(JSON.stringify(clean));
    if (bytes > this.#limits.maxMetadataBytes) {
      return {
        ok: false,
        code: 'INVALID_METADATA',
        message: `metadata is ${bytes} bytes, over the ${this.#limits.maxMetadataBytes} allowed`,
      };
    }
    return { ok: true, metadata: clean, nicknameKey: nickname.key };
  }
}

/** Whether a member's presence (state and metadata) is unchanged between two reads. */
function isSameMember(a: RoomMember, b: RoomMember): boolean {
  return a.state === b.state && JSON.stringify(a.metadata) === JSON.stringify(b.metadata);
}

function refusal(code: 'NICKNAME_TAKEN' | 'ROOM_FULL' | 'NOT_IN_ROOM', room: string): RequestOutcome {
  const messages = {
    NICKNAME_TAKEN: `the nickname is already used in room ${room}`,
    ROOM_FULL: `room ${room} is full`,
    NOT_IN_ROOM: `not in room ${room}`,
  } as const;
  return { ok: false, code, message: messages[code] };
}
