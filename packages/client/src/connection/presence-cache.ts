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
  /** What each peer's SDK advertised (sdk-features.ts); peers that advertised nothing have no entry. */
  readonly features: Map<string, ReadonlySet<string>>;
  /** The room's cap from the roster that added this peer, for rejoining with it. */
  readonly maxPeers: number | undefined;
}

const NO_FEATURES: ReadonlySet<string> = new Set();

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
    return this.#roomKnowing(peerId)?.peers.get(peerId);
  }

  /** What peer `peerId`'s SDK can read, from whichever room knows it (empty when unknown). */
  featuresOf(peerId: string): ReadonlySet<string> {
    return this.#roomKnowing(peerId)?.features.get(peerId) ?? NO_FEATURES;
  }

  /** The room's cap, as the roster that added this peer said (a refreshing roster does not repeat it). */
  maxPeers(room: string): number | undefined {
    return this.#rooms.get(room)?.maxPeers;
  }

  /**
   * A roster replaces everything known about the room, except a cap it does not repeat. `features` maps
   * peer ids to what their SDKs advertised.
   */
  applyRoster(
    room: string,
    selfMetadata: PeerMetadata,
    peers: readonly PeerInfo[],
    maxPeers?: number,
    features: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  ): void {
    this.#rooms.set(room, {
      selfMetadata,
      peers: new Map(peers.map((peer) => [peer.peerId, peer])),
      features: new Map(features),
      maxPeers: maxPeers ?? this.#rooms.get(room)?.maxPeers,
    });
  }

  /** A peer joined or changed (both carry the whole `PeerInfo`, so its features are replaced too). */
  applyPeer(room: string, peer: PeerInfo, features: ReadonlySet<string> = NO_FEATURES): void {
    const view = this.#rooms.get(room);
    if (view === undefined) return;
    view.peers.set(peer.peerId, peer);
    if (features.size === 0) view.features.delete(peer.peerId);
    else view.features.set(peer.peerId, features);
  }

  /** A peer left `room`. */
  removePeer(room: string, peerId: string): void {
    const view = this.#rooms.get(room);
    view?.peers.delete(peerId);
    view?.features.delete(peerId);
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

  /** The first room (in join order) that has peer `peerId`. */
  #roomKnowing(peerId: string): RoomView | undefined {
    for (const view of this.#rooms.values()) if (view.peers.has(peerId)) return view;
    return undefined;
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
