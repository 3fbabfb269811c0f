/**
 * Room membership as plain state: which members each room holds, with nickname uniqueness and capacity
 * checked in the same step as the change, so no interleaving can break them. No sockets, no I/O: the
 * in-memory ClusterBus keeps its rooms here, and the tests drive it directly.
 *
 * Invariants:
 * - Within a room, no two members share a `nicknameKey`, and no peer appears twice.
 * - A room exists only while it has members (an empty room is forgotten, and its cap with it).
 * - A room's cap is fixed by the join that creates it (ADR 0006) and the room never holds more members.
 * - Members keep their join order, which is the order rosters list them in.
 */
import type {
  JoinRoomOptions,
  JoinRoomResult,
  MemberPatch,
  RoomMember,
  UpdateMemberResult,
} from '../bus/cluster-bus.js';

export type { MemberPatch };

interface Room {
  readonly members: Map<string, RoomMember>;
  /** The cap the creating join asked for; `undefined` when it asked for none. */
  readonly maxPeers: number | undefined;
}

export class RoomRegistry {
  readonly #rooms = new Map<string, Room>();

  /** Number of rooms with at least one member. */
  get size(): number {
    return this.#rooms.size;
  }

  /**
   * Add `member` to `room` unless its nickname is taken there or the room is full: it holds
   * `min(maxMembers, room cap, options.maxPeers, options.joinerMaxPeers)` members already (`JoinRoomOptions`).
   * A join that creates the room fixes `options.maxPeers` as its cap. A peer that is already a member is
   * replaced in place (same position), subject to the nickname check only. Returns the other members as
   * they were before the join, and the room's cap.
   */
  join(room: string, member: RoomMember, maxMembers: number, options: JoinRoomOptions = {}): JoinRoomResult {
    const existing = this.#rooms.get(room);
    const previous = existing?.members.get(member.peerId);
    const others =
      existing === undefined ? [] : [...existing.members.values()].filter((m) => m.peerId !== member.peerId);
    if (others.some((m) => m.nicknameKey === member.nicknameKey))
      return { ok: false, code: 'NICKNAME_TAKEN' };
    const roomCap = existing === undefined ? options.maxPeers : existing.maxPeers;
    const limit = Math.min(
      maxMembers,
      roomCap ?? Infinity,
      options.maxPeers ?? Infinity,
      options.joinerMaxPeers ?? Infinity,
    );
    if (previous === undefined && others.length >= limit) return { ok: false, code: 'ROOM_FULL' };
    const target = existing ?? { members: new Map<string, RoomMember>(), maxPeers: options.maxPeers };
    if (existing === undefined) this.#rooms.set(room, target);
    target.members.set(member.peerId, member);
    return { ok: true, members: others, maxPeers: Math.min(maxMembers, roomCap ?? Infinity) };
  }

  /** Remove a peer from a room. Returns the member removed, or `undefined` when it was not there. */
  leave(room: string, peerId: string): RoomMember | undefined {
    const members = this.#rooms.get(room)?.members;
    const member = members?.get(peerId);
    if (members === undefined || member === undefined) return undefined;
    members.delete(peerId);
    if (members.size === 0) this.#rooms.delete(room);
    return member;
  }

  /** Change a member's metadata and/or state, re-checking nickname uniqueness when the key changes. */
  update(room: string, peerId: string, patch: MemberPatch): UpdateMemberResult {
    const members = this.#rooms.get(room)?.members;
    const member = members?.get(peerId);
    if (members === undefined || member === undefined) return { ok: false, code: 'NOT_IN_ROOM' };
    const key = patch.nicknameKey ?? member.nicknameKey;
    if (key !== member.nicknameKey) {
      for (const other of members.values()) {
        if (other.peerId !== peerId && other.nicknameKey === key)
          return { ok: false, code: 'NICKNAME_TAKEN' };
      }
    }
    const updated: RoomMember = {
      ...member,
      metadata: patch.metadata ?? member.metadata,
      nicknameKey: key,
      state: patch.state ?? member.state,
    };
    members.set(peerId, updated);
    return { ok: true, member: updated };
  }

  /** The members of a room in join order (empty for an unknown room). */
  members(room: string): RoomMember[] {
    const members = this.#rooms.get(room)?.members;
    return members === undefined ? [] : [...members.values()];
  }

  /** The member `peerId` of `room`, if any. */
  member(room: string, peerId: string): RoomMember | undefined {
    return this.#rooms.get(room)?.members.get(peerId);
  }
}
