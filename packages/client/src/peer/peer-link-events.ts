/**
 * The state and event map of a `PeerLink`.
 */
import type { SwitchboardError } from '@switchboard/protocol';
import type { IncomingFileTransfer } from '../data/incoming-file-transfer.js';
import type { PeerChannel } from '../data/peer-channel.js';
import type { IceRestartReason } from './ice-restart-policy.js';

/** The four state machines of the underlying RTCPeerConnection, as one snapshot. */
export interface PeerLinkState {
  readonly signalingState: RTCSignalingState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly iceGatheringState: RTCIceGatheringState;
  readonly connectionState: RTCPeerConnectionState;
}

/** Why a link closed: `local` = `close()`, `remote` = the other side closed it, `failed` = ICE gave up. */
export type LinkCloseReason = 'local' | 'remote' | 'failed';

/** Every event of a `PeerLink`. `on()` returns an unsubscribe function. */
export interface PeerLinkEvents {
  /** Any of the four states changed. */
  state: (state: PeerLinkState) => void;
  /** The connection is up (first time, and again after each recovery). */
  connected: () => void;
  /** The remote peer opened a named channel this side did not have yet. */
  channel: (channel: PeerChannel) => void;
  /** A remote media stream appeared (once per stream, not per track). */
  stream: (stream: MediaStream) => void;
  /** A remote stream lost its last track. */
  'stream-removed': (stream: MediaStream) => void;
  /** The remote peer offers a file; call `accept()` or `decline()` (declined if nobody listens). */
  file: (transfer: IncomingFileTransfer) => void;
  /** An ICE restart was scheduled. */
  'ice-restart': (info: {
    readonly attempt: number;
    readonly reason: IceRestartReason;
    readonly delayMs: number;
  }) => void;
  /** ICE reconnected after `attempts` restarts. */
  'ice-recovered': (info: { readonly attempts: number }) => void;
  /** Something failed that the app should know about (`NEGOTIATION_FAILED`, `ICE_FAILED`, ...). */
  error: (error: SwitchboardError) => void;
  /** The link closed and is unusable. */
  close: (reason: LinkCloseReason) => void;
}
