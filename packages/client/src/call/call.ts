/**
 * One call with one remote peer: its phase (call-state.ts), its local media on the peer's link, and the
 * remote streams it receives. Created by `CallController`.
 *
 * Who offers first: the caller. Both sides' media used to be added the moment the call became active, so
 * both sides offered at once on every call with media both ways. Perfect negotiation settles that when the
 * two offers have the same m-section layout, at the cost of a rollback, but not in Chromium 156 when the
 * polite side's rolled-back offer introduced the connection's data section and the other offer has media at
 * that mid: data is then never negotiated on that connection again (ADR 0008 addendum). So:
 * - The caller adds its stream when the call becomes active, as before, and says so in the invite (`o: 1`)
 *   when that will make it offer: it has a stream with a track its link does not send yet.
 * - A callee invited with `o: 1` adds its stream on the first remote track after its accept, i.e. once the
 *   caller's media offer has been applied. Its tracks then ride in the answer, or in one offer after it
 *   when the caller is already stable; either way nothing crosses. Waiting for the caller's media rather
 *   than any remote description also covers a caller whose link already carries a channel (a second call
 *   on a live link, or a channel opened before the accept): that link's earlier offers are not the one to
 *   follow. The accept reaches the caller only after the callee is listening, so the track cannot be missed.
 * - The wait cannot deadlock: it ends at `CALLER_MEDIA_WAIT_MS` even if no caller media ever arrives (the
 *   caller's tracks were removed, or its offer failed), and with the call. Without `o: 1` (a caller with
 *   nothing to send, or an older SDK) the callee adds its stream at once, as before.
 */
import { SwitchboardError, type ErrorCode } from '@switchboard/protocol';
import type { PeerLink } from '../peer/peer-link.js';
import type { CallOp } from '../peer/peer-signal.js';
import { TypedEmitter, type Subscribable } from '../peer/typed-emitter.js';
import { afterRemoteTrack } from './after-remote-track.js';
import {
  nextCallState,
  type CallDirection,
  type CallEndReason,
  type CallEvent,
  type CallPhase,
} from './call-state.js';

/** Events of a `Call`. */
export interface CallEvents {
  /** The phase changed. */
  phase: (phase: CallPhase) => void;
  /** The call ended; `error` is set for the caller's refusals (`CALL_DECLINED`, `CALL_BUSY`, ...). */
  ended: (reason: CallEndReason, error: SwitchboardError | undefined) => void;
  /** A remote media stream of this call (once per stream). */
  stream: (stream: MediaStream) => void;
}

/** What a call needs from its controller. */
export interface CallHost {
  readonly link: () => PeerLink;
  readonly send: (op: CallOp) => void;
  readonly onEnded: () => void;
}

/**
 * How long a callee invited with `o: 1` waits for the caller's media before it sends its own anyway. The
 * caller's offer normally lands within a round trip; the bound covers a description that waits for
 * complete gathering (`gatheringTimeoutMs`, 5 s) plus retried signals, and only matters when a caller's
 * promised offer never carries media.
 */
const CALLER_MEDIA_WAIT_MS = 10_000;

const END_ERRORS: Partial<Record<CallEndReason, ErrorCode>> = {
  declined: 'CALL_DECLINED',
  busy: 'CALL_BUSY',
  'no-answer': 'CALL_NO_ANSWER',
  cancelled: 'CALL_CANCELLED',
};

/** A call. Outgoing: `cancel()` or `hangup()`. Incoming: `accept(stream)` or `decline()`. */
export class Call implements Subscribable<CallEvents> {
  /** Call id, shared by both sides. */
  readonly id: string;
  /** The other side's peer id. */
  readonly peerId: string;
  readonly direction: CallDirection;
  /** The invite's metadata (e.g. `{ video: true }`, the caller's nickname). */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly #host: CallHost;
  readonly #events = new TypedEmitter<CallEvents>();
  #phase: CallPhase;
  #endReason: CallEndReason | undefined;
  #localStream: MediaStream | undefined;
  #ringTimer: ReturnType<typeof setTimeout> | undefined;
  #offLinkStream: (() => void) | undefined;
  /** Incoming only: the invite said the caller sends media on accept (`o: 1`), so its offer comes first. */
  readonly #isCallerSendingMedia: boolean;
  #cancelMediaWait: (() => void) | undefined;

  constructor(init: {
    readonly id: string;
    readonly peerId: string;
    readonly direction: CallDirection;
    readonly metadata: Readonly<Record<string, unknown>>;
    readonly localStream: MediaStream | undefined;
    /** Incoming calls: the invite carried `o: 1`. */
    readonly isCallerSendingMedia?: boolean;
    readonly ringTimeoutMs: number;
    readonly host: CallHost;
  }) {
    this.id = init.id;
    this.peerId = init.peerId;
    this.direction = init.direction;
    this.metadata = init.metadata;
    this.#localStream = init.localStream;
    this.#isCallerSendingMedia = init.direction === 'incoming' && init.isCallerSendingMedia === true;
    this.#host = init.host;
    this.#phase = init.direction === 'outgoing' ? 'calling' : 'incoming';
    if (init.direction === 'outgoing') {
      this.#ringTimer = setTimeout(() => this.#apply({ source: 'timer' }), init.ringTimeoutMs);
    }
  }

  /** Where the call is now. */
  get phase(): CallPhase {
    return this.#phase;
  }

  /** Why it ended, once it has. */
  get endReason(): CallEndReason | undefined {
    return this.#endReason;
  }

  /** The link to the other peer (media and channels of this call travel on it). */
  get link(): PeerLink {
    return this.#host.link();
  }

  on<K extends keyof CallEvents>(event: K, listener: CallEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof CallEvents>(event: K, listener: CallEvents[K]): () => void {
    return this.#events.once(event, listener);
  }

  /** Resolves when the call is active; rejects with the end's error (e.g. `CALL_DECLINED`). */
  whenActive(): Promise<void> {
    if (this.#phase === 'active') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const offPhase = this.on('phase', (phase) => {
        if (phase !== 'active') return;
        offPhase();
        offEnded();
        resolve();
      });
      const offEnded = this.on('ended', (reason, error) => {
        offPhase();
        offEnded();
        reject(error ?? new SwitchboardError('CONNECTION_CLOSED', `The call ended (${reason}).`));
      });
      if (this.#phase === 'ended') {
        offPhase();
        offEnded();
        reject(this.#endError() ?? new SwitchboardError('CONNECTION_CLOSED', 'The call has ended.'));
      }
    });
  }

  /**
   * Answers an incoming call, sending `stream` (if any) to the caller: at once, or, when the caller sends
   * media too, once the caller's media has arrived (so that only the caller offers first; see the top of
   * call.ts).
   */
  accept(stream?: MediaStream): void {
    if (stream !== undefined) this.#localStream = stream;
    this.#apply({ source: 'local', op: 'accept' });
  }

  /** Refuses an incoming call; the caller gets `CALL_DECLINED`. */
  decline(): void {
    this.#apply({ source: 'local', op: 'decline' });
  }

  /** Withdraws an outgoing call before it is answered; the callee sees `cancelled`. */
  cancel(): void {
    this.#apply({ source: 'local', op: 'cancel' });
  }

  /** Ends the call from any phase; the other side is told at once. */
  hangup(): void {
    this.#apply({ source: 'local', op: 'hangup' });
  }

  /** Feeds a remote op (called by the controller). */
  handleRemote(op: CallOp): void {
    this.#apply({ source: 'remote', op });
  }

  /** Ends the call because its link failed (called by the controller). */
  fail(): void {
    this.#apply({ source: 'failure' });
  }

  #apply(event: CallEvent): void {
    const transition = nextCallState(this.#phase, this.direction, event);
    if (transition === undefined) return;
    if (transition.send !== undefined) this.#host.send(transition.send);
    this.#phase = transition.phase;
    if (transition.phase === 'active') this.#startMedia();
    if (transition.endReason !== undefined) this.#end(transition.endReason);
    this.#events.emit('phase', transition.phase);
    if (transition.endReason !== undefined)
      this.#events.emit('ended', transition.endReason, this.#endError());
  }

  #startMedia(): void {
    clearTimeout(this.#ringTimer);
    const link = this.#host.link();
    this.#offLinkStream = link.on('stream', (stream) => this.#events.emit('stream', stream));
    for (const stream of link.remoteStreams) queueMicrotask(() => this.#events.emit('stream', stream));
    const local = this.#localStream;
    if (local === undefined) return;
    if (this.#isCallerSendingMedia) {
      this.#cancelMediaWait = afterRemoteTrack(link.pc, CALLER_MEDIA_WAIT_MS, () => this.#sendLate(local));
    } else {
      link.addStream(local);
    }
  }

  /** The callee's stream, after the caller's media (or the wait's bound). */
  #sendLate(stream: MediaStream): void {
    this.#cancelMediaWait = undefined;
    if (this.#phase !== 'active') return;
    const link = this.#host.link();
    if (!link.isClosed) link.addStream(stream);
  }

  #end(reason: CallEndReason): void {
    clearTimeout(this.#ringTimer);
    this.#cancelMediaWait?.();
    this.#endReason = reason;
    this.#offLinkStream?.();
    const stream = this.#localStream;
    if (stream !== undefined) {
      const link = this.#host.link();
      // Stop sending this call's media but keep the link: chat and transfers on it go on.
      if (!link.isClosed) for (const track of stream.getTracks()) link.removeTrack(track);
    }
    this.#host.onEnded();
  }

  #endError(): SwitchboardError | undefined {
    const reason = this.#endReason;
    if (reason === undefined || this.direction !== 'outgoing') return undefined;
    const code = END_ERRORS[reason];
    return code === undefined
      ? undefined
      : new SwitchboardError(code, `The call to ${this.peerId} ended: ${reason}.`);
  }
}
