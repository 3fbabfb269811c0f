/**
 * A server-to-client WebSocket text frame (RFC 6455 §5.2) as one Latin-1 string: the two- or four-byte
 * header as characters, then the payload. It exists for the relay's hot path. `ws` writes a string frame
 * as a header `Buffer` it allocates plus the string, two chunks through the stream; writing one string
 * instead saves the allocation, the second chunk and `ws`'s option handling, about 1 µs of the 5–8 µs a
 * frame costs the server (BENCHMARKS.md, "Sixth pass").
 *
 * Only frames whose payload is ASCII qualify: for those, Latin-1 and UTF-8 are the same bytes, and the
 * string's length is the payload's byte length. Anything else (a nickname with accents, a huge frame) goes
 * through `ws` as before.
 */

/** The most a 16-bit extended payload length can say; longer frames go through `ws`. */
const MAX_SHORT_FRAME = 0xffff;
/** FIN and opcode 1 (text), no RSV bits: every frame the server sends is one unfragmented text frame. */
const FIN_TEXT = 0x81;
/** Headers of payloads of 0–125 bytes, built once (server frames are unmasked: the length is the byte). */
const SMALL_HEADERS: readonly string[] = Array.from({ length: 126 }, (_, length) =>
  String.fromCharCode(FIN_TEXT, length),
);

/**
 * The whole frame for `payload` as a Latin-1 string, or `undefined` when it does not qualify (non-ASCII or
 * longer than 65,535 bytes). `isKnownAscii`: the caller vouches that `payload` is ASCII, so it is not
 * measured (the measure flattens a concatenated string: a copy of the frame, and a pass over it).
 */
export function asciiTextFrame(payload: string, isKnownAscii = false): string | undefined {
  const length = payload.length;
  if (length > MAX_SHORT_FRAME) return undefined;
  // Equal only when every character is ASCII (each other character needs 2–3 UTF-8 bytes). Node computes
  // this natively, in a single pass over the string.
  if (!isKnownAscii && Buffer.byteLength(payload, 'utf8') !== length) return undefined;
  const header =
    (length < 126 ? SMALL_HEADERS[length] : undefined) ??
    String.fromCharCode(FIN_TEXT, 126, length >> 8, length & 0xff);
  return header + payload;
}
