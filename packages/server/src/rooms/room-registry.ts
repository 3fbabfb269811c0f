/**
 * Room membership as plain state: which members each room holds, with nickname uniqueness and capacity
 * checked in the same step as the change, so no interleaving can break them. No sockets, no I/O: the
 * in-memory ClusterBus keeps its rooms here, and the tests drive it directly.
 *
 * Invariants:
 * - Within a room, no two members share a `nicknameKey`, and no peer appears twice.
 * - A room exists only while it has members (an empty room is forgotten).
 * - Members keep their join order, which is the order rosters list them in.
 */
import type { JoinRoomResult, RoomMember, UpdateMemberResult } from '../bus/cluster-bus.js';

/** A change to one member: any field left out keeps its value. */
export interface MemberPatch {
  readonly metadata?: RoomMember['metadata'];
  readonly nicknameKey?: string;
  readonly state?: RoomMember['state'];
}

export class RoomRegistry {
  readonly #rooms = new Map<string, Map<string, RoomMember>>();

  /** Number of rooms with at least one member. */
  get size(): number {
    return this.#rooms.size;
  }

  /**
   * Add `member` to `room` unless its nickname is taken there or the room holds `maxMembers` already.
   * A peer that is already a member is replaced in place (same position), subject to the nickname check.
   * Returns the other members as they were before the join.
   */
  join(room: string, member: RoomMember, maxMembers: number): JoinRoomResult {
    let members = this.#rooms.get(room);
    const previous = members?.get(member.peerId);
    const others =
      members === undefined ? [] : [...members.values()].filter((m) => m.peerId !== member.peerId);
    if (others.some((m) => m.nicknameKey === member.nicknameKey))
      return { ok: false, code: 'NICKNAME_TAKEN' };
    if (previous === undefined && others.length >= maxMembers) return { ok: false, code: 'ROOM_FULL' };
    if (members === undefined) {
      members = new Map();
      this.#rooms.set(room, members);
    }
    members.set(member.peerId, member);
    return { ok: true, members: others };
  }

  /** Remove a peer from a room. Returns the member removed, or `undefined` when it was not there. */
  leave(room: string, peerId: string): RoomMember | undefined {
    const members = this.#rooms.get(room);
    const member = members?.get(peerId);
    if (members === undefined || member === undefined) return undefined;
    members.delete(peerId);
    if (members.size === 0) this.#rooms.delete(room);
    return member;
  }

  /** Change a member's metadata and/or state, re-checking nickname uniqueness when the key changes. */
  update(room: string, peerId: string, patch: MemberPatch): UpdateMemberResult {
    const members = this.#rooms.get(room);
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
    const members = this.#rooms.get(room);
    return members === undefined ? [] : [...members.values()];
  }

  /** The member `peerId` of `room`, if any. */
  member(room: string, peerId: string): RoomMember | undefined {
    return this.#rooms.get(room)?.get(peerId);
  }
}
