/**
 * Options of `PeerManager`: the signaling carrier, the RTCPeerConnection implementation, and the defaults
 * every link starts from.
 */
import type { PeerLinkOptions } from './peer-link-options.js';
import type { SignalChannel } from './signal-channel.js';

/** A constructor of RTCPeerConnection: the browser's, `@roamhq/wrtc`'s, or a test double. */
export type RTCPeerConnectionConstructor = new (configuration?: RTCConfiguration) => RTCPeerConnection;

/** Options of a `PeerManager`. The link options are the defaults for every link. */
export interface PeerManagerOptions extends PeerLinkOptions {
  /** Carries the signals (`signalChannelFromClient(client)`, or a manual channel). */
  readonly signals: SignalChannel;
  /**
   * The RTCPeerConnection implementation. In Node pass `RTCPeerConnection` from `@roamhq/wrtc`.
   * @default globalThis.RTCPeerConnection
   */
  readonly RTCPeerConnection?: RTCPeerConnectionConstructor;
  /**
   * Extra configuration for every connection (e.g. `bundlePolicy`, `certificates`). `iceServers` comes
   * from the signaling carrier and `iceTransportPolicy` from the link options.
   * @default {}
   */
  readonly rtcConfiguration?: RTCConfiguration;
  /**
   * Close the signaling carrier (leave the broker) as soon as every link is connected. Links keep working;
   * renegotiation and ICE restarts need signaling, so they are no longer possible after that.
   * @default false
   */
  readonly leaveBrokerWhenConnected?: boolean;
  /**
   * Whether to accept a link that a remote peer starts (its first offer).
   * @default () => true
   */
  readonly acceptLink?: (peerId: string) => boolean;
  /**
   * Signals nobody can take yet (no `signal`/`call-signal` listener, candidates before their link) wait
   * for at most this many...
   * @default 64
   */
  readonly maxEarlySignals?: number;
  /**
   * ...and at most this long; then they are reported through `signal-dropped`.
   * @default 10000
   */
  readonly maxEarlySignalAgeMs?: number;
  /**
   * Send session descriptions and candidate batches packed (`SDP_CODEC`: DEFLATE with an SDP dictionary; a
   * data-channel offer shrinks to about a quarter, an audio+video one to a tenth) to peers whose SDK reads
   * them: those that advertised it in a shared room, or sent a packed one first. Other peers always get
   * plain SDP. `false` sends everything plain (to read the broker's traffic while debugging, say); packed
   * envelopes are still read.
   * @default true
   */
  readonly packSignals?: boolean;
}
