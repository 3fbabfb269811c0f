/**
 * The public event map and connection state of `SignalingClient`. Kept in its own module so that the peer
 * layer (peer/, call/) and the app can type against it.
 */
import type {
  IceServer,
  LeftReason,
  PeerInfo,
  PeerMetadata,
  SwitchboardError,
  WelcomeMessage,
} from '@switchboard/protocol';
import type { DroppedClientSignal } from './signal-inbox.js';

/** Connection state, a discriminated union on `state` (the nats `Status` style). */
export type ConnectionState =
  | { readonly state: 'idle' }
  | { readonly state: 'connecting'; readonly attempt: number }
  | {
      readonly state: 'connected';
      readonly peerId: string;
      readonly sessionId: string;
      readonly resumed: boolean;
    }
  | {
      readonly state: 'reconnecting';
      readonly attempt: number;
      readonly delayMs: number;
      readonly lastError: SwitchboardError | undefined;
    }
  | { readonly state: 'closed'; readonly reason: SwitchboardError | undefined };

/** What `join()` resolves with: the room as this peer sees it right after joining. */
export interface RoomSnapshot {
  readonly room: string;
  readonly self: { readonly peerId: string; readonly metadata: PeerMetadata };
  readonly peers: readonly PeerInfo[];
  /** The room's cap (its own, or the server's limit), when this join added the peer to the room. */
  readonly maxPeers?: number;
}

/** Options of `SignalingClient.join()`. */
export interface JoinOptions {
  /**
   * The room cap to ask for, at most the server's `limits.maxPeersPerRoom`. If this join creates the room it
   * becomes the room's cap for as long as the room has members; the join fails with `ROOM_FULL` when the room
   * already holds this many peers, or its own cap. @default no cap of its own (the server's limit)
   */
  readonly maxPeers?: number;
}

/** Every event of `SignalingClient`: name -> listener signature. `on()` returns an unsubscribe function. */
export interface SignalingClientEvents {
  /** The connection state changed. */
  state: (state: ConnectionState) => void;
  /** A session was established or resumed (every welcome). */
  welcome: (welcome: WelcomeMessage) => void;
  /**
   * A resume failed (`resumed: false`): the server forgot the session. The client got a new peer id and has
   * rejoined its rooms fresh; signals queued for the old session were not delivered.
   */
  'session-lost': (info: { readonly previousPeerId: string; readonly peerId: string }) => void;
  /** A full roster for a room (after join or rejoin). */
  roster: (snapshot: RoomSnapshot) => void;
  'peer-joined': (room: string, peer: PeerInfo) => void;
  'peer-updated': (room: string, peer: PeerInfo) => void;
  'peer-left': (room: string, peerId: string, reason: LeftReason) => void;
  /** This client was removed from a room (after `leave()`, or kicked). */
  left: (room: string, reason: LeftReason) => void;
  /**
   * A relayed signal; `from` is stamped by the server. Signals that arrive while there is no listener wait
   * (see `maxEarlySignals`) and go to the first listener, in order.
   */
  signal: (from: string, data: unknown) => void;
  /** A signal that waited for a `signal` listener was given up (too many waiting, or too old). */
  'signal-dropped': (dropped: DroppedClientSignal) => void;
  /** Fresh ICE servers (TURN credentials refreshed). */
  'ice-servers': (iceServers: readonly IceServer[]) => void;
  /** The server is draining; the client will resume (possibly on another node) by itself. */
  'server-going-away': (info: {
    readonly reason: 'drain' | 'shutdown';
    readonly reconnectInMs: number;
  }) => void;
  /** An error not tied to a pending request (e.g. a close with a code). */
  error: (error: SwitchboardError) => void;
}
