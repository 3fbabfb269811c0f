/**
 * How a transfer that ends early (a cancel, or an error from the receiver) closes its channel: only once
 * nothing is in flight in either direction (ADR 0014).
 *
 * Closing a data channel resets its SCTP stream. When the closing side still has messages in flight, the
 * peer has to defer that reset until they arrive (RFC 6525 §5.2.2). Under load, libwebrtc's dcsctp then
 * left the stream id broken for the next channel: libwebrtc gives a new channel the lowest free id, the
 * next transfer reused it, delivered a few messages and then none, and the receiver aborted the whole
 * association ("Reassembly Queue is exhausted"). Every channel of the link closed, with no error event
 * (file-transfer.webrtc.test.ts, about 1 run in 15 under CPU load). So:
 *
 * - the side that stops first stops writing, sends its final control message, and waits;
 * - the other side stops writing too, answers with `cancel`, and leaves the close to the first side;
 * - the first side closes when the answer arrives: it has then read everything the other side sent, and
 *   the other side has read its final message.
 *
 * Both sides still close after `timeoutMs` when no answer or close comes (a peer on an older SDK, which
 * does not answer), by when whatever was in flight has long arrived.
 */
import type { FlowControlledDataChannel } from './flow-controlled-data-channel.js';
import { encodeTransferControl, type TransferControl } from './transfer-protocol.js';

/** Which side ended the transfer early. */
export type TransferEndingRole = 'initiator' | 'responder';

/** A final control message that ends a transfer early. */
export type StopMessage = Extract<TransferControl, { t: 'cancel' } | { t: 'error' }>;

/** The early end of one transfer, on one side. */
export class TransferEnding {
  readonly #flow: FlowControlledDataChannel;
  readonly #timeoutMs: number;
  #role: TransferEndingRole | undefined;

  /** @param timeoutMs how long to wait for the peer's answer or close before closing anyway. */
  constructor(flow: FlowControlledDataChannel, timeoutMs = 5000) {
    this.#flow = flow;
    this.#timeoutMs = timeoutMs;
  }

  /** `undefined` while the transfer has not ended early. */
  get role(): TransferEndingRole | undefined {
    return this.#role;
  }

  /**
   * Ends the transfer from this side: nothing more is written, `message` goes out last, and the channel
   * closes when the peer answers (`onPeerStop`) or after the timeout. Does nothing once an ending is under
   * way.
   */
  stop(message: StopMessage): void {
    if (this.#role !== undefined) return;
    this.#role = 'initiator';
    this.#flow.stopWriting();
    this.#flow.sendNow(encodeTransferControl(message));
    this.#flow.closeAfterRemote(this.#timeoutMs);
  }

  /**
   * The peer's `cancel` or `error` arrived. After our own `stop()` it is the answer, and the channel closes
   * now. Otherwise this side stops writing and answers; it closes at once only when `isQuiet` (it never
   * sent anything the peer may still be reading, e.g. a sender declined before its first byte), and else
   * leaves the close to the peer.
   */
  onPeerStop(isQuiet: boolean): void {
    if (this.#role === 'initiator') {
      this.#flow.close();
      return;
    }
    if (this.#role === 'responder') return;
    this.#role = 'responder';
    this.#flow.stopWriting();
    this.#flow.sendNow(encodeTransferControl({ t: 'cancel' }));
    if (isQuiet) this.#flow.closeWhenDrained();
    else this.#flow.closeAfterRemote(this.#timeoutMs);
  }
}
