/**
 * The room half of `RedisClusterBus`: membership, nickname uniqueness and capacity, each one atomic Lua
 * script over the room's two hashes (room-scripts.ts), so they hold across every node.
 *
 * Every change to a member held on this node is mirrored into its `HeldSession`, so that if Redis loses its
 * data this node can write the membership back (node-heartbeat.ts). Room changes need Redis, because
 * uniqueness and capacity are cluster-wide decisions: during an outage they wait for it (up to
 * `outageWaitMs`) and then fail, and the rooms stay as they were.
 */
import type {
  JoinRoomOptions,
  JoinRoomResult,
  MemberPatch,
  RoomMember,
  UpdateMemberResult,
} from '@switchboard/server';
import type { Redis } from 'ioredis';
import type { HeldSessions } from './held-sessions.js';
import { decodeMember, decodeMembers, encodeMemberJson, stateChar } from './record-codec.js';
import { JOIN_ROOM, LEAVE_ROOM, UPDATE_MEMBER } from './room-scripts.js';

/** What the rooms need from their bus. */
export interface RedisRoomsContext {
  readonly prefix: string;
  readonly held: HeldSessions;
  /** The command connection once the bus is ready (waits through an outage, then fails). */
  redis(): Promise<Redis>;
  /** The room capacity (from the bus limits). */
  maxPeersPerRoom(): number;
}

/** Room membership and presence state in Redis. */
export class RedisRooms {
  readonly #ctx: RedisRoomsContext;

  constructor(context: RedisRoomsContext) {
    this.#ctx = context;
  }

  async join(room: string, member: RoomMember, options: JoinRoomOptions = {}): Promise<JoinRoomResult> {
    const { prefix, held } = this.#ctx;
    const maxMembers = this.#ctx.maxPeersPerRoom();
    const reply = (await JOIN_ROOM.run(await this.#ctx.redis(), [
      prefix,
      room,
      member.peerId,
      member.nicknameKey,
      encodeMemberJson(member),
      stateChar(member.state),
      maxMembers,
      options.maxPeers ?? '',
      options.joinerMaxPeers ?? '',
    ])) as string[];
    const [status, stored = '', cap = '', ...others] = reply;
    if (status === 'NICKNAME_TAKEN' || status === 'ROOM_FULL') return { ok: false, code: status };
    const roomCap = cap === '' ? undefined : Number(cap);
    held.get(member.sessionId)?.rooms.set(room, { nicknameKey: member.nicknameKey, value: stored, roomCap });
    return { ok: true, members: decodeMembers(others), maxPeers: Math.min(maxMembers, roomCap ?? Infinity) };
  }

  async leave(room: string, peerId: string): Promise<RoomMember | undefined> {
    const { prefix, held } = this.#ctx;
    const value = (await LEAVE_ROOM.run(await this.#ctx.redis(), [prefix, room, peerId])) as string | null;
    if (value === null) return undefined;
    const { member } = decodeMember(value);
    held.get(member.sessionId)?.rooms.delete(room);
    return member;
  }

  async update(room: string, peerId: string, patch: MemberPatch): Promise<UpdateMemberResult> {
    const { prefix, held } = this.#ctx;
    const reply = (await UPDATE_MEMBER.run(await this.#ctx.redis(), [
      prefix,
      room,
      peerId,
      patch.metadata === undefined ? '' : JSON.stringify(patch.metadata),
      patch.nicknameKey ?? '',
      patch.state === undefined ? '' : stateChar(patch.state),
    ])) as string[];
    const [status, value = ''] = reply;
    if (status === 'NOT_IN_ROOM' || status === 'NICKNAME_TAKEN') return { ok: false, code: status };
    const { member } = decodeMember(value);
    const rooms = held.get(member.sessionId)?.rooms;
    rooms?.set(room, { nicknameKey: member.nicknameKey, value, roomCap: rooms.get(room)?.roomCap });
    return { ok: true, member };
  }

  async members(room: string): Promise<readonly RoomMember[]> {
    return decodeMembers(await (await this.#ctx.redis()).hvals(`${this.#ctx.prefix}room:${room}`));
  }
}
