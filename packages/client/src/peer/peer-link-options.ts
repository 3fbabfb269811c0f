/**
 * Options of a link (each can differ per remote peer) and their defaults, in one object; and what a link
 * is built from (`PeerLinkInit`).
 */
import { SwitchboardError } from '@switchboard/protocol';
import type { FlowControlOptions } from '../data/flow-controlled-data-channel.js';
import { BackoffIceRestartPolicy, type IceRestartPolicy } from './ice-restart-policy.js';
import type { PeerSignal } from './peer-signal.js';

/** Per-link behaviour. Every field is optional; `PEER_LINK_DEFAULTS` fills the rest. */
export interface PeerLinkOptions {
  /**
   * `'trickle'` sends the description at once and candidates as they are found; `'complete'` waits for
   * gathering to finish and sends one description with every candidate inside (non-trickle, as manual
   * copy/paste mode needs).
   * @default 'trickle'
   */
  readonly iceMode?: 'trickle' | 'complete';
  /**
   * In `'complete'` mode, send what was gathered after this long even if gathering has not finished.
   * @default 5000
   */
  readonly gatheringTimeoutMs?: number;
  /**
   * Trickled candidates found within this window travel in one signal.
   * @default 10
   */
  readonly candidateBatchMs?: number;
  /**
   * `'relay'` allows only TURN candidates (hides the peers' addresses from each other).
   * @default 'all'
   */
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  /**
   * When to restart ICE after the path broke and when to give up.
   * @default new BackoffIceRestartPolicy() (200 ms base, 5 s cap, 5 attempts)
   */
  readonly iceRestartPolicy?: IceRestartPolicy;
  /**
   * How long ICE may stay `disconnected` before a restart begins.
   * @default 3000
   */
  readonly disconnectedTimeoutMs?: number;
  /**
   * A restart that has not reconnected within this long counts as failed.
   * @default 10000
   */
  readonly iceRestartTimeoutMs?: number;
  /**
   * Watchdog: once the offer and answer are exchanged, ICE that is still `new` or `checking` after this
   * long is restarted (reason `stuck`, through `iceRestartPolicy`). 0 turns the watchdog off; a carrier
   * that cannot renegotiate (manual copy/paste) turns it off by itself.
   * @default 15000
   */
  readonly iceConnectTimeoutMs?: number;
  /**
   * Watermarks of every channel of the link. A file transfer's channel starts from
   * `TRANSFER_FLOW_CONTROL_DEFAULTS` (4 MiB high, 1 MiB low; ADR 0018) instead, under what is set here.
   * @default FLOW_CONTROL_DEFAULTS (1 MiB high, 256 KiB low)
   */
  readonly flowControl?: FlowControlOptions;
  /**
   * Refuse incoming channel messages larger than this (after reassembly).
   * @default 67108864 (64 MiB)
   */
  readonly maxMessageBytes?: number;
  /**
   * A file sender keeps at most this many bytes unacknowledged by the receiver.
   * @default 16777216 (16 MiB)
   */
  readonly transferWindowBytes?: number;
  /**
   * A file receiver acknowledges after writing this many bytes.
   * @default 1048576 (1 MiB)
   */
  readonly transferAckEveryBytes?: number;
}

/** The defaults of `PeerLinkOptions`. */
export const PEER_LINK_DEFAULTS = {
  iceMode: 'trickle',
  gatheringTimeoutMs: 5000,
  candidateBatchMs: 10,
  iceTransportPolicy: 'all',
  disconnectedTimeoutMs: 3000,
  iceRestartTimeoutMs: 10_000,
  iceConnectTimeoutMs: 15_000,
  flowControl: {},
  maxMessageBytes: 64 * 1024 * 1024,
  transferWindowBytes: 16 * 1024 * 1024,
  transferAckEveryBytes: 1024 * 1024,
} as const satisfies Omit<Required<PeerLinkOptions>, 'iceRestartPolicy'>;

/** Options with every default filled in. */
export type ResolvedPeerLinkOptions = Required<PeerLinkOptions>;

/** Fills defaults, validates once, freezes. Throws `INVALID_OPTIONS` naming the bad option. */
export function resolvePeerLinkOptions(options: PeerLinkOptions): ResolvedPeerLinkOptions {
  const resolved: ResolvedPeerLinkOptions = {
    ...PEER_LINK_DEFAULTS,
    iceRestartPolicy: options.iceRestartPolicy ?? new BackoffIceRestartPolicy(),
    ...options,
  };
  const check = (ok: boolean, sentence: string): void => {
    if (!ok) throw new SwitchboardError('INVALID_OPTIONS', sentence);
  };
  // Read as plain strings: JavaScript callers are not held to the union types.
  const iceMode: string = resolved.iceMode;
  const iceTransportPolicy: string = resolved.iceTransportPolicy;
  check(iceMode === 'trickle' || iceMode === 'complete', 'Option "iceMode" must be "trickle" or "complete".');
  check(
    iceTransportPolicy === 'all' || iceTransportPolicy === 'relay',
    'Option "iceTransportPolicy" must be "all" or "relay".',
  );
  for (const name of [
    'gatheringTimeoutMs',
    'candidateBatchMs',
    'disconnectedTimeoutMs',
    'iceRestartTimeoutMs',
    'iceConnectTimeoutMs',
    'maxMessageBytes',
    'transferWindowBytes',
    'transferAckEveryBytes',
  ] as const) {
    const value = resolved[name];
    check(
      typeof value === 'number' && Number.isFinite(value) && value >= 0,
      `Option "${name}" must be a finite number >= 0.`,
    );
  }
  return Object.freeze(resolved);
}

/** What a link needs from its manager. */
export interface PeerLinkInit {
  readonly peerId: string;
  readonly isPolite: boolean;
  readonly pc: RTCPeerConnection;
  readonly options: ResolvedPeerLinkOptions;
  /** Sends an envelope to the remote peer (in call order). */
  readonly send: (signal: PeerSignal) => Promise<void>;
}
