/**
 * Framing for named channels: every message travels as one or more binary frames, so that text, JSON and
 * binary can share a channel and a message larger than the SCTP maximum message size (often 256 KiB;
 * Chrome used to kill the channel beyond it, peerjs #241, #291) is split and put back together.
 *
 * Frame layout: one header byte, then payload bytes.
 *   bit 7      1 = more frames of this message follow, 0 = last frame
 *   bits 0..1  kind of the whole message: 0 text (UTF-8), 1 binary, 2 JSON (UTF-8)
 * Frames of one message are contiguous on an ordered channel, so the receiver needs no message ids.
 */
import { SwitchboardError } from '@switchboard/protocol';

/** A message as the app sees it. */
export type ChannelMessage =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'binary'; readonly data: Uint8Array };

const KIND_CODES = { text: 0, binary: 1, json: 2 } as const;
const MORE = 0x80;

const encoder = new TextEncoder();

/** Splits one message into frames of at most `maxFrameBytes` bytes (header included). */
export function encodeMessage(message: ChannelMessage, maxFrameBytes: number): Uint8Array[] {
  if (maxFrameBytes < 2) throw new RangeError('maxFrameBytes must leave room for at least one payload byte.');
  const payload =
    message.kind === 'binary'
      ? message.data
      : encoder.encode(message.kind === 'text' ? message.text : JSON.stringify(message.value));
  const code = KIND_CODES[message.kind];
  const step = maxFrameBytes - 1;
  const frames: Uint8Array[] = [];
  let offset = 0;
  do {
    const end = Math.min(offset + step, payload.byteLength);
    const frame = new Uint8Array(1 + end - offset);
    frame[0] = code | (end < payload.byteLength ? MORE : 0);
    frame.set(payload.subarray(offset, end), 1);
    frames.push(frame);
    offset = end;
  } while (offset < payload.byteLength);
  return frames;
}

/** Puts frames back together into messages; one instance per underlying channel. */
export class MessageReassembler {
  readonly #maxMessageBytes: number;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  #parts: Uint8Array[] = [];
  #size = 0;

  /** @param maxMessageBytes a message larger than this is refused (memory guard against a hostile peer). */
  constructor(maxMessageBytes: number) {
    this.#maxMessageBytes = maxMessageBytes;
  }

  /**
   * Adds one frame. Returns the message when this frame completes one, otherwise `undefined`.
   * Throws `SwitchboardError('CHANNEL_MESSAGE_INVALID')` for a malformed frame or an oversized message.
   */
  push(frame: Uint8Array): ChannelMessage | undefined {
    const header = frame[0];
    if (header === undefined || (header & 0x7c) !== 0 || (header & 0x03) === 3) {
      this.#reset();
      throw new SwitchboardError('CHANNEL_MESSAGE_INVALID', 'A data channel frame has an unknown header.');
    }
    this.#size += frame.byteLength - 1;
    if (this.#size > this.#maxMessageBytes) {
      this.#reset();
      throw new SwitchboardError(
        'CHANNEL_MESSAGE_INVALID',
        `A data channel message exceeds ${this.#maxMessageBytes} bytes.`,
      );
    }
    this.#parts.push(frame.subarray(1));
    if ((header & MORE) !== 0) return undefined;
    const payload = this.#concat();
    this.#reset();
    switch (header & 0x03) {
      case KIND_CODES.binary:
        return { kind: 'binary', data: payload };
      case KIND_CODES.text:
        return { kind: 'text', text: this.#decode(payload) };
      default:
        try {
          return { kind: 'json', value: JSON.parse(this.#decode(payload)) as unknown };
        } catch (error) {
          throw new SwitchboardError(
            'CHANNEL_MESSAGE_INVALID',
            'A JSON data channel message does not parse.',
            { cause: error },
          );
        }
    }
  }

  #decode(payload: Uint8Array): string {
    try {
      return this.#decoder.decode(payload);
    } catch (error) {
      throw new SwitchboardError(
        'CHANNEL_MESSAGE_INVALID',
        'A text data channel message is not valid UTF-8.',
        { cause: error },
      );
    }
  }

  #concat(): Uint8Array {
    if (this.#parts.length === 1 && this.#parts[0] !== undefined) return this.#parts[0].slice();
    const out = new Uint8Array(this.#size);
    let offset = 0;
    for (const part of this.#parts) {
      out.set(part, offset);
      offset += part.byteLength;
    }
    return out;
  }

  #reset(): void {
    this.#parts = [];
    this.#size = 0;
  }
}
