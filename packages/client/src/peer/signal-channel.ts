/**
 * The small seam between the peer layer and whatever carries its signals. The SignalingClient is one
 * carrier (through the broker); manual copy/paste mode is another; tests can plug in others. Keeping the
 * seam this narrow is what lets one PeerLink implementation serve all of them.
 */
import type { IceServer } from '@switchboard/protocol';
import type { SignalingClientEvents } from '../connection/signaling-client-events.js';

/** What the peer layer needs from a signaling carrier. */
export interface SignalChannel {
  /** This side's peer id, once known. */
  readonly selfId: string | undefined;
  /** The ICE servers to use for new connections (STUN, TURN with fresh credentials). */
  readonly iceServers: readonly IceServer[];
  /** Sends `data` to peer `to`. Rejects with a `SwitchboardError` (e.g. `PEER_NOT_FOUND`) when it cannot. */
  send(to: string, data: unknown): Promise<void>;
  /** Subscribes to incoming signals; returns the unsubscribe function. */
  onSignal(listener: (from: string, data: unknown) => void): () => void;
  /** Subscribes to refreshed ICE servers; returns the unsubscribe function. */
  onIceServers(listener: (iceServers: readonly IceServer[]) => void): () => void;
  /**
   * This side's perfect-negotiation role toward `peerId`: `true` = polite. The two sides of a pair must get
   * opposite answers.
   */
  isPolite(peerId: string): boolean;
  /**
   * Whether peer `peerId` can read envelopes that use `feature` (for example descriptions packed with
   * `SDP_CODEC`). Optional: a carrier without it is taken to know nothing, and plain envelopes are sent.
   */
  supports?(peerId: string, feature: string): boolean;
  /** Stops carrying signals (e.g. leaves the broker once the links are up). Links keep working. */
  close(): Promise<void>;
  /**
   * `false` when the carrier takes one offer and one answer and nothing after (manual copy/paste): links
   * then never renegotiate by themselves, so the ICE watchdog is off.
   * @default true
   */
  readonly canRenegotiate?: boolean;
}

/**
 * The part of `SignalingClient` the adapter uses. Structural, so the adapter works with the real client and
 * with anything shaped like it.
 */
export interface SignalingClientLike {
  readonly peerId: string | undefined;
  readonly iceServers: readonly IceServer[];
  signal(to: string, data: unknown): Promise<void>;
  isPolite(peerId: string): boolean | undefined;
  /** Optional, so that clients shaped like an older one still adapt (they advertise nothing). */
  peerSupports?(peerId: string, feature: string): boolean;
  on<K extends keyof SignalingClientEvents>(event: K, listener: SignalingClientEvents[K]): () => void;
  close(): Promise<void> | void;
}

/**
 * The broker's rule, used when the broker has not told us a role (no shared room yet): the peer with the
 * greater id, by plain string comparison, is polite. Both sides compute the same answer with no round trip.
 */
export function politeByPeerId(selfId: string, peerId: string): boolean {
  return selfId > peerId;
}

/**
 * Adapts a `SignalingClient` to `SignalChannel`.
 *
 * @example
 * const client = new SignalingClient({ url });
 * await client.connect();
 * const peers = new PeerManager({ signals: signalChannelFromClient(client), RTCPeerConnection });
 */
export function signalChannelFromClient(client: SignalingClientLike): SignalChannel {
  return {
    get selfId() {
      return client.peerId;
    },
    get iceServers() {
      return client.iceServers;
    },
    send: (to, data) => client.signal(to, data),
    onSignal: (listener) => client.on('signal', listener),
    onIceServers: (listener) => client.on('ice-servers', listener),
    isPolite(peerId) {
      let role: boolean | undefined;
      try {
        role = client.isPolite(peerId);
      } catch {
        // Before the first welcome the client cannot say; the rule below gives the same answer later.
        role = undefined;
      }
      if (role !== undefined) return role;
      const self = client.peerId;
      if (self === undefined) return false;
      return politeByPeerId(self, peerId);
    },
    supports: (peerId, feature) => client.peerSupports?.(peerId, feature) ?? false,
    close: async () => {
      await client.close();
    },
  };
}
