/**
 * A named channel on a link: text, JSON and binary messages of any size, with backpressure.
 *
 * One name maps to one PeerChannel, but possibly to two RTCDataChannels: when both sides open "chat" at
 * the same moment (glare at first contact), each side creates one. Rather than closing one (and losing
 * whatever was already sent on it), the PeerChannel receives on both and sends on one: the channel it first
 * sent on, or else the impolite side's. Each direction thus keeps one SCTP stream and its order.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { TypedEmitter, type Subscribable } from '../peer/typed-emitter.js';
import { FlowControlledDataChannel, type FlowControlOptions } from './flow-controlled-data-channel.js';
import { encodeMessage, MessageReassembler, type ChannelMessage } from './message-framing.js';

/** Events of a `PeerChannel`. */
export interface PeerChannelEvents {
  /** The channel can carry messages. */
  open: () => void;
  /** A complete message arrived (reassembled if it was chunked). */
  message: (message: ChannelMessage) => void;
  /** Every underlying channel closed. */
  close: () => void;
  /** A malformed message arrived (`CHANNEL_MESSAGE_INVALID`); the channel stays usable. */
  error: (error: SwitchboardError) => void;
}

/** Settings a PeerChannel takes from its link. */
export interface PeerChannelSettings extends FlowControlOptions {
  /** The largest frame the link can send (from `pc.sctp.maxMessageSize`), read when sending. */
  readonly maxFrameBytes: () => number;
  /** Refuse incoming messages larger than this. */
  readonly maxMessageBytes: number;
}

interface Attached {
  readonly flow: FlowControlledDataChannel;
  readonly isLocal: boolean;
}

/** A named, flow-controlled, chunking message channel between two peers. */
export class PeerChannel implements Subscribable<PeerChannelEvents> {
  /** The channel's name (the RTCDataChannel label). */
  readonly name: string;
  readonly #settings: PeerChannelSettings;
  readonly #isPolite: boolean;
  readonly #events = new TypedEmitter<PeerChannelEvents>();
  readonly #attached: Attached[] = [];
  #sender: Attached | undefined;
  #hasSent = false;
  #isClosed = false;
  #sendChain: Promise<void> = Promise.resolve();

  constructor(name: string, isPolite: boolean, settings: PeerChannelSettings) {
    this.name = name;
    this.#isPolite = isPolite;
    this.#settings = settings;
  }

  /** Whether a message sent now goes out at once (otherwise it waits for the channel to open). */
  get isOpen(): boolean {
    return this.#sender?.flow.isOpen ?? false;
  }

  /** Bytes waiting to be sent on this channel. */
  get bufferedAmount(): number {
    return this.#sender?.flow.bufferedAmount ?? 0;
  }

  on<K extends keyof PeerChannelEvents>(event: K, listener: PeerChannelEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof PeerChannelEvents>(event: K, listener: PeerChannelEvents[K]): () => void {
    return this.#events.once(event, listener);
  }

  /** Sends a string. Resolves when it has been handed to the transport (use it for backpressure). */
  send(text: string): Promise<void> {
    return this.#send({ kind: 'text', text });
  }

  /** Sends a JSON-serialisable value. */
  sendJson(value: unknown): Promise<void> {
    return this.#send({ kind: 'json', value });
  }

  /** Sends bytes. */
  sendBinary(data: Uint8Array | ArrayBuffer): Promise<void> {
    return this.#send({ kind: 'binary', data: data instanceof Uint8Array ? data : new Uint8Array(data) });
  }

  /** Resolves once the channel is open. */
  async whenOpen(): Promise<void> {
    if (this.isOpen) return;
    await new Promise<void>((resolve, reject) => {
      const offOpen = this.once('open', () => {
        offClose();
        resolve();
      });
      const offClose = this.once('close', () => {
        offOpen();
        reject(new SwitchboardError('CHANNEL_CLOSED', `Channel "${this.name}" closed before opening.`));
      });
    });
  }

  /** Closes the channel on both sides. */
  close(): void {
    for (const { flow } of [...this.#attached]) flow.close();
  }

  /**
   * Attaches an RTCDataChannel with this name (used by PeerLink). `isLocal` says whether this side
   * created it.
   */
  attach(channel: RTCDataChannel, isLocal: boolean): void {
    const flow = new FlowControlledDataChannel(channel, this.#settings);
    const attached: Attached = { flow, isLocal };
    this.#attached.push(attached);
    // Before anything was sent, prefer the impolite side's channel, so both sides converge on one stream.
    const preferThis = this.#sender === undefined || (!this.#hasSent && isLocal !== this.#isPolite);
    if (preferThis) this.#sender = attached;
    const reassembler = new MessageReassembler(this.#settings.maxMessageBytes);
    flow.on('message', (data) => {
      if (typeof data === 'string') {
        this.#events.emit('message', { kind: 'text', text: data });
        return;
      }
      try {
        const message = reassembler.push(data);
        if (message !== undefined) this.#events.emit('message', message);
      } catch (error) {
        this.#events.emit('error', error as SwitchboardError);
      }
    });
    flow.on('open', () => {
      if (this.#sender === attached) this.#events.emit('open');
    });
    flow.on('close', () => this.#detach(attached));
    if (flow.isOpen && preferThis) queueMicrotask(() => this.#events.emit('open'));
  }

  #detach(attached: Attached): void {
    const index = this.#attached.indexOf(attached);
    if (index >= 0) this.#attached.splice(index, 1);
    if (this.#sender === attached) this.#sender = this.#attached[0];
    if (this.#attached.length === 0 && !this.#isClosed) {
      this.#isClosed = true;
      this.#events.emit('close');
    }
  }

  #send(message: ChannelMessage): Promise<void> {
    if (this.#isClosed || this.#sender === undefined) {
      return Promise.reject(new SwitchboardError('CHANNEL_CLOSED', `Channel "${this.name}" is closed.`));
    }
    // Chain whole messages so that the frames of two messages never interleave on the wire.
    const run = async (): Promise<void> => {
      const sender = this.#sender;
      if (sender === undefined)
        throw new SwitchboardError('CHANNEL_CLOSED', `Channel "${this.name}" is closed.`);
      await sender.flow.whenOpen();
      this.#hasSent = true;
      const frames = encodeMessage(message, this.#settings.maxFrameBytes());
      const writes = frames.map((frame) => sender.flow.write(frame));
      await Promise.all(writes);
    };
    const result = this.#sendChain.then(run);
    this.#sendChain = result.catch(() => undefined);
    return result;
  }
}
