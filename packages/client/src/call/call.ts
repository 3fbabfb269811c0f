/**
 * One call with one remote peer: its phase (call-state.ts), its local media on the peer's link, and the
 * remote streams it receives. Created by `CallController`.
 */
import { SwitchboardError, type ErrorCode } from '@switchboard/protocol';
import type { PeerLink } from '../peer/peer-link.js';
import type { CallOp } from '../peer/peer-signal.js';
import { TypedEmitter, type Subscribable } from '../peer/typed-emitter.js';
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

  constructor(init: {
    readonly id: string;
    readonly peerId: string;
    readonly direction: CallDirection;
    readonly metadata: Readonly<Record<string, unknown>>;
    readonly localStream: MediaStream | undefined;
    readonly ringTimeoutMs: number;
    readonly host: CallHost;
  }) {
    this.id = init.id;
    this.peerId = init.peerId;
    this.direction = init.direction;
    this.metadata = init.metadata;
    this.#localStream = init.localStream;
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

  /** Answers an incoming call, sending `stream` (if any) to the caller. */
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
    if (this.#localStream !== undefined) link.addStream(this.#localStream);
  }

  #end(reason: CallEndReason): void {
    clearTimeout(this.#ringTimer);
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
