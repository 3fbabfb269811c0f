/**
 * Call control on top of a PeerManager: invite -> ringing -> accept | decline | busy | cancel | no answer,
 * and hangup, all carried in signals (`{ sb: 1, k: 'call', op, id }`). A peer with a call in progress
 * answers new invites with `busy` and publishes `status: 'busy'` in its presence (through
 * `publishStatus`, normally `client.updateMetadata`). The invite tells the callee whether the caller will
 * offer its media on accept (`o: 1`), so that the callee's media follows that offer (call.ts).
 */
import type { PeerStatus } from '@switchboard/protocol';
import { SwitchboardError } from '@switchboard/protocol';
import type { PeerManager } from '../peer/peer-manager.js';
import type { CallSignal } from '../peer/peer-manager-events.js';
import type { PeerLink } from '../peer/peer-link.js';
import type { CallOp } from '../peer/peer-signal.js';
import { randomId } from '../peer/random-id.js';
import { TypedEmitter, type Subscribable } from '../peer/typed-emitter.js';
import { Call } from './call.js';

/** Options of a `CallController`. */
export interface CallControllerOptions {
  /** The peer manager whose links carry the calls' media. */
  readonly peers: PeerManager;
  /**
   * An outgoing call not answered within this long ends as `no-answer` on both sides.
   * @default 30000
   */
  readonly ringTimeoutMs?: number;
  /**
   * Publishes this peer's presence status: `'busy'` while a call is in progress, `'available'` after.
   * Pass `(status) => client.updateMetadata({ status })`.
   * @default undefined (presence is not updated)
   */
  readonly publishStatus?: (status: PeerStatus) => Promise<void>;
}

/** Events of a `CallController`. */
export interface CallControllerEvents {
  /** Someone is calling; `accept()` or `decline()` the call. */
  incoming: (call: Call) => void;
  /** Publishing the busy status failed, or a call signal could not be sent. */
  error: (error: SwitchboardError) => void;
}

/** Places and receives calls. */
export class CallController implements Subscribable<CallControllerEvents> {
  readonly #peers: PeerManager;
  readonly #ringTimeoutMs: number;
  readonly #publishStatus: ((status: PeerStatus) => Promise<void>) | undefined;
  readonly #calls = new Map<string, Call>();
  readonly #events = new TypedEmitter<CallControllerEvents>();
  readonly #off: () => void;
  #publishedStatus: PeerStatus = 'available';

  constructor(options: CallControllerOptions) {
    this.#peers = options.peers;
    this.#ringTimeoutMs = options.ringTimeoutMs ?? 30_000;
    this.#publishStatus = options.publishStatus;
    if (!Number.isFinite(this.#ringTimeoutMs) || this.#ringTimeoutMs <= 0) {
      throw new SwitchboardError(
        'INVALID_OPTIONS',
        'Option "ringTimeoutMs" must be a positive number of milliseconds.',
      );
    }
    const offSignal = this.#peers.on('call-signal', (from, signal) => this.#onSignal(from, signal));
    // A link that failed or was closed by the other side takes its calls with it.
    const offLink = this.#peers.on('link', (link) =>
      link.on('close', (reason) => {
        if (reason === 'local') return;
        for (const call of [...this.#calls.values()]) if (call.peerId === link.peerId) call.fail();
      }),
    );
    this.#off = () => {
      offSignal();
      offLink();
    };
  }

  /** Calls in progress (ringing or active). */
  get calls(): Call[] {
    return [...this.#calls.values()];
  }

  on<K extends keyof CallControllerEvents>(event: K, listener: CallControllerEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof CallControllerEvents>(event: K, listener: CallControllerEvents[K]): () => void {
    return this.#events.once(event, listener);
  }

  /**
   * Calls `peerId`, sending `stream` once the call is accepted. This side then offers first: a callee that
   * accepts with a stream of its own sends it after this side's media has arrived (call.ts).
   *
   * @example
   * const call = calls.call(peerId, { video: true }, await navigator.mediaDevices.getUserMedia({ video: true, audio: true }));
   * call.on('stream', (remote) => (video.srcObject = remote));
   * await call.whenActive(); // rejects with CALL_DECLINED, CALL_BUSY, CALL_NO_ANSWER
   */
  call(peerId: string, metadata: Readonly<Record<string, unknown>> = {}, stream?: MediaStream): Call {
    const call = this.#createCall(randomId(), peerId, 'outgoing', metadata, stream, false);
    const offersOnAccept = hasUnsentTrack(stream, this.#peers.link(peerId));
    this.#send(peerId, 'invite', call.id, offersOnAccept ? { m: metadata, o: 1 } : { m: metadata });
    return call;
  }

  /** Hangs up every call and stops listening. */
  close(): void {
    for (const call of [...this.#calls.values()]) call.hangup();
    this.#off();
  }

  #createCall(
    id: string,
    peerId: string,
    direction: 'outgoing' | 'incoming',
    metadata: Readonly<Record<string, unknown>>,
    stream: MediaStream | undefined,
    isCallerSendingMedia: boolean,
  ): Call {
    const call = new Call({
      id,
      peerId,
      direction,
      metadata,
      localStream: stream,
      isCallerSendingMedia,
      ringTimeoutMs: this.#ringTimeoutMs,
      host: {
        link: () => this.#peers.connect(peerId),
        send: (op) => this.#send(peerId, op, id),
        onEnded: () => {
          this.#calls.delete(id);
          this.#updateStatus();
        },
      },
    });
    this.#calls.set(id, call);
    this.#updateStatus();
    return call;
  }

  #onSignal(from: string, signal: CallSignal): void {
    const existing = this.#calls.get(signal.id);
    if (existing !== undefined) {
      if (existing.peerId === from) existing.handleRemote(signal.op);
      return;
    }
    if (signal.op !== 'invite') return;
    if (this.#calls.size > 0) {
      this.#send(from, 'busy', signal.id);
      return;
    }
    const call = this.#createCall(signal.id, from, 'incoming', signal.m ?? {}, undefined, signal.o === 1);
    this.#send(from, 'ringing', signal.id);
    if (this.#events.hasListeners('incoming')) this.#events.emit('incoming', call);
    else call.decline();
  }

  #send(to: string, op: CallOp, id: string, invite: Pick<CallSignal, 'm' | 'o'> = {}): void {
    const signal: CallSignal = { sb: 1, k: 'call', op, id, ...invite };
    this.#peers.sendPeerSignal(to, signal).catch((error: unknown) => {
      this.#events.emit(
        'error',
        error instanceof SwitchboardError
          ? error
          : new SwitchboardError('CONNECTION_CLOSED', 'A call signal could not be sent.', { cause: error }),
      );
    });
  }

  #updateStatus(): void {
    const status: PeerStatus = this.#calls.size > 0 ? 'busy' : 'available';
    if (status === this.#publishedStatus || this.#publishStatus === undefined) return;
    this.#publishedStatus = status;
    this.#publishStatus(status).catch((error: unknown) => {
      this.#events.emit(
        'error',
        error instanceof SwitchboardError
          ? error
          : new SwitchboardError('CONNECTION_CLOSED', 'Publishing the call status failed.', { cause: error }),
      );
    });
  }
}

/**
 * Whether adding `stream` to `link` will make the caller offer: some track of it is not sent yet. Tracks
 * the app already sends on the link renegotiate nothing, and a callee told to wait for them would wait in
 * vain (until its bound).
 */
function hasUnsentTrack(stream: MediaStream | undefined, link: PeerLink | undefined): boolean {
  const sent = new Set(link?.pc.getSenders().map((sender) => sender.track));
  return stream?.getTracks().some((track) => !sent.has(track)) ?? false;
}
