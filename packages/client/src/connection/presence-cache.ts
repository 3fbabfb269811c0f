/**
 * The client's view of presence: per room, the other peers as the server last described them, and this
 * peer's own metadata there. It is rebuilt from each roster and then kept current by the diffs
 * (peer-joined, peer-updated, peer-left), which arrive sequenced and exactly once, so applying them
 * blindly in order is enough.
 */
import type { PeerInfo, PeerMetadata, PeerMetadataPatch } from '@switchboard/protocol';

interface RoomView {
  selfMetadata: PeerMetadata;
  readonly peers: Map<string, PeerInfo>;
  /** The room's cap from the roster that added this peer, for rejoining with it. */
  readonly maxPeers: number | undefined;
}

/** Rooms this client is in, with their members. */
export class PresenceCache {
  readonly #rooms = new Map<string, RoomView>();

  /** Names of the rooms this client is in, in join order. */
  get rooms(): string[] {
    return [...this.#rooms.keys()];
  }

  /** Whether this client is in `room`. */
  has(room: string): boolean {
    return this.#rooms.has(room);
  }

  /** The other peers in `room` (empty when not in it). */
  peers(room: string): PeerInfo[] {
    return [...(this.#rooms.get(room)?.peers.values() ?? [])];
  }

  /** This peer's own metadata in `room`, as last confirmed by the server. */
  selfMetadata(room: string): PeerMetadata | undefined {
    return this.#rooms.get(room)?.selfMetadata;
  }

  /** A peer by id, from whichever room knows it. */
  findPeer(peerId: string): PeerInfo | undefined {
    for (const view of this.#rooms.values()) {
      const peer = view.peers.get(peerId);
      if (peer !== undefined) return peer;
    }
    return undefined;
  }

  /** The room's cap, as the roster that added this peer said (a refreshing roster does not repeat it). */
  maxPeers(room: string): number | undefined {
    return this.#rooms.get(room)?.maxPeers;
  }

  /** A roster replaces everything known about the room, except a cap it does not repeat. */
  applyRoster(room: string, selfMetadata: PeerMetadata, peers: readonly PeerInfo[], maxPeers?: number): void {
    this.#rooms.set(room, {
      selfMetadata,
      peers: new Map(peers.map((peer) => [peer.peerId, peer])),
      maxPeers: maxPeers ?? this.#rooms.get(room)?.maxPeers,
    });
  }

  /** A peer joined or changed (both carry the whole `PeerInfo`). */
  applyPeer(room: string, peer: PeerInfo): void {
    this.#rooms.get(room)?.peers.set(peer.peerId, peer);
  }

  /** A peer left `room`. */
  removePeer(room: string, peerId: string): void {
    this.#rooms.get(room)?.peers.delete(peerId);
  }

  /** This client left `room`. */
  removeRoom(room: string): void {
    this.#rooms.delete(room);
  }

  /** The server accepted a metadata patch for `room`, or for every room when `room` is undefined. */
  applySelfPatch(patch: PeerMetadataPatch, room: string | undefined): void {
    for (const [name, view] of this.#rooms) {
      if (room !== undefined && name !== room) continue;
      view.selfMetadata = mergeMetadata(view.selfMetadata, patch);
    }
  }

  /** Forget everything (the session is gone). */
  clear(): void {
    this.#rooms.clear();
  }
}

/** `metadata` with the fields of `patch` applied; omitted fields keep their value. */
export function mergeMetadata(metadata: PeerMetadata, patch: PeerMetadataPatch): PeerMetadata {
  const merged: PeerMetadata = { ...metadata };
  if (patch.nickname !== undefined) merged.nickname = patch.nickname;
  if (patch.status !== undefined) merged.status = patch.status;
  if (patch.extra !== undefined) merged.extra = patch.extra;
  return merged;
}
