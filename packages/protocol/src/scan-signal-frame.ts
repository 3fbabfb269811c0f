/**
 * The decoder's fast path for the one frame that is most of the traffic: `signal`. It reads the small
 * envelope (`type`, `id`, `to`, `ack`) straight from the text and checks `data` for JSON grammar without
 * building it, so a relayed signal costs no `JSON.parse` of its payload (a minimal relay pays one).
 *
 * It answers only when it is sure: a frame it returns is one that `JSON.parse` plus the `signal` schema
 * accept, with the same field values. Anything unusual (another type, escaped or repeated keys, an `id`
 * written as `1.0`, a bad field, deep nesting, malformed JSON) gives `undefined`, and the caller takes the
 * general path, which produces the exact error code and message for it.
 */
import { skipJsonSpace, skipJsonString, skipJsonValue } from './skip-json-value.js';
import { QUOTE, OPEN_BRACE, CLOSE_BRACE, COMMA, COLON, SPACE } from './json-char-codes.js';

/** A signal frame's envelope, and where the text of its `data` is. */
export interface SignalFrameScan {
  readonly id: number;
  readonly to: string;
  readonly ack: number | undefined;
  /** Index of the first character of `data`'s value. */
  readonly dataStart: number;
  /** Index just past its last character. */
  readonly dataEnd: number;
}

/** The `PeerId` schema's bounds (schemas.ts). */
const MAX_PEER_ID = 64;

const SEEN_TYPE = 1;
const SEEN_ID = 2;
const SEEN_TO = 4;
const SEEN_DATA = 8;
const SEEN_ACK = 16;
const REQUIRED = SEEN_TYPE | SEEN_ID | SEEN_TO | SEEN_DATA;

/** The run of digits `text[start..end)` (from `digitsEnd`) as a non-negative safe integer, or -1. */
function readCount(text: string, start: number, end: number): number {
  // Over 16 digits may exceed MAX_SAFE_INTEGER; a leading zero is JSON only as `0` itself.
  if (end - start > 16 || end === start || (text.charCodeAt(start) === 0x30 && end - start > 1)) return -1;
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + (text.charCodeAt(i) - 0x30);
  return n <= Number.MAX_SAFE_INTEGER ? n : -1;
}

/** The end of the run of digits at `start` (`start` itself when there is none). */
function digitsEnd(text: string, start: number): number {
  let i = start;
  for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i));
  return i;
}

/**
 * The index just past a `"…"` string of 1 to 64 characters from [A-Za-z0-9_-] at `start` (a `PeerId`), or -1.
 * Anything else, an escape included, is -1: the general path decides.
 */
function peerIdEnd(text: string, start: number): number {
  if (text.charCodeAt(start) !== QUOTE) return -1;
  let i = start + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    const isWord =
      (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
    if (!isWord && c !== 0x2d) break;
    i++;
  }
  const length = i - start - 1;
  return text.charCodeAt(i) === QUOTE && length >= 1 && length <= MAX_PEER_ID ? i + 1 : -1;
}

/** Which envelope key the (unescaped) key at `text[i..end)`, quotes included, is: its bit, or 0. */
function keyBit(text: string, i: number, end: number): number {
  switch (end - i) {
    case 4:
      return text.startsWith('"id"', i) ? SEEN_ID : text.startsWith('"to"', i) ? SEEN_TO : 0;
    case 5:
      return text.startsWith('"ack"', i) ? SEEN_ACK : 0;
    case 6:
      return text.startsWith('"type"', i) ? SEEN_TYPE : text.startsWith('"data"', i) ? SEEN_DATA : 0;
    default:
      return 0;
  }
}

/**
 * Read `text` as a `signal` frame whose `data` nests at most `maxDepth` levels counting the frame itself, or
 * return `undefined` when the general path must decide.
 *
 * @example
 * scanSignalFrame('{"type":"signal","id":1,"to":"p","data":{"a":1}}', 64)
 * // { id: 1, to: 'p', ack: undefined, dataStart: 38, dataEnd: 45 }
 */
export function scanSignalFrame(text: string, maxDepth: number): SignalFrameScan | undefined {
  let i = text.charCodeAt(0) > SPACE ? 0 : skipJsonSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  let seen = 0;
  let id = 0;
  let to = '';
  let ack: number | undefined;
  let dataStart = 0;
  let dataEnd = 0;
  i = text.charCodeAt(i + 1) > SPACE ? i + 1 : skipJsonSpace(text, i + 1);
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = skipJsonString(text, i);
    if (keyEnd < 0) return undefined;
    // Escaped keys (`"d\u0061ta"`) and unknown ones are left to the general path.
    const bit = keyBit(text, i, keyEnd);
    if (bit === 0 || (seen & bit) !== 0) return undefined; // a repeated key: JSON.parse keeps the last
    const colon = text.charCodeAt(keyEnd) > SPACE ? keyEnd : skipJsonSpace(text, keyEnd);
    if (text.charCodeAt(colon) !== COLON) return undefined;
    const start = text.charCodeAt(colon + 1) > SPACE ? colon + 1 : skipJsonSpace(text, colon + 1);
    // The envelope's values are read by their own shapes, without the general scan: a value that does not
    // have its shape (`1.0`, `"sign\u0061l"`) is refused here or by the `,`/`}` test below, as before.
    let end: number;
    if (bit === SEEN_TYPE) {
      if (!text.startsWith('"signal"', start)) return undefined;
      end = start + 8;
    } else if (bit === SEEN_ID) {
      end = digitsEnd(text, start);
      id = readCount(text, start, end);
      if (id < 1) return undefined;
    } else if (bit === SEEN_TO) {
      end = peerIdEnd(text, start);
      if (end < 0) return undefined;
      to = text.slice(start + 1, end - 1);
    } else if (bit === SEEN_ACK) {
      end = digitsEnd(text, start);
      ack = readCount(text, start, end);
      if (ack < 0) return undefined;
    } else {
      // The frame is level 1, so `data` may open at most `maxDepth - 1` more levels.
      end = skipJsonValue(text, start, maxDepth - 1);
      if (end < 0) return undefined;
      dataStart = start;
      dataEnd = end;
    }
    seen |= bit;
    i = text.charCodeAt(end) > SPACE ? end : skipJsonSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i = text.charCodeAt(i + 1) > SPACE ? i + 1 : skipJsonSpace(text, i + 1);
      continue;
    }
    if (c !== CLOSE_BRACE) return undefined;
    break;
  }
  const after = text.charCodeAt(i + 1) > SPACE ? i + 1 : skipJsonSpace(text, i + 1);
  if (after !== text.length || (seen & REQUIRED) !== REQUIRED) return undefined;
  return { id, to, ack, dataStart, dataEnd };
}
