/**
 * The events of `PeerManager`, in their own module so that the call layer and apps can type against them.
 */
import type { SwitchboardError } from '@switchboard/protocol';
import type { EarlyDropReason } from '../connection/early-signal-buffer.js';
import type { PeerLink } from './peer-link.js';
import type { PeerSignal } from './peer-signal.js';

/** Call-control envelopes, for the call layer. */
export type CallSignal = Extract<PeerSignal, { k: 'call' }>;

/** A signal the manager gave up, and why. */
export interface DroppedSignal {
  /** The sender. */
  readonly from: string;
  /** `app` for app signals, `call` for call control, else the peer-layer envelope kind. */
  readonly kind: 'app' | 'call' | 'sdp' | 'ice' | 'bye';
  /**
   * `overflow`/`expired`: it waited for a listener or link that did not come in time. `stale`: it belongs
   * to a link to that peer that has closed. `refused`: `acceptLink` refused the link it would start.
   */
  readonly reason: EarlyDropReason | 'stale' | 'refused';
}

/** Every event of a `PeerManager`. */
export interface PeerManagerEvents {
  /** A link was created (by `connect()` or by a remote offer). */
  link: (link: PeerLink) => void;
  /** A signal that is not the peer layer's, for the app. */
  signal: (from: string, data: unknown) => void;
  /** A call-control signal (used by `CallController`). */
  'call-signal': (from: string, signal: CallSignal) => void;
  /** A link failed; the same error is also emitted on the link. */
  error: (error: SwitchboardError, peerId: string) => void;
  /** The signaling carrier was closed because every link was up (`leaveBrokerWhenConnected`). */
  'left-broker': () => void;
  /** A signal was not delivered (see `DroppedSignal.reason`); nothing is dropped without this event. */
  'signal-dropped': (dropped: DroppedSignal) => void;
}
