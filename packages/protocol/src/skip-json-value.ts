/**
 * Checks one JSON value in place, without building it: the decoder's fast path uses it to accept a signal's
 * opaque `data` (often a 3 KB SDP) without `JSON.parse` allocating the objects and strings that the relay
 * would never read.
 *
 * It follows RFC 8259 exactly and is never more permissive than `JSON.parse`: whatever it accepts, `JSON.parse`
 * accepts too. It may refuse more (nesting deeper than asked), and then the caller falls back to
 * `JSON.parse`, which gives the frame's real error. No recursion: containers are tracked on a small stack.
 */

import {
  QUOTE,
  BACKSLASH,
  OPEN_BRACE,
  CLOSE_BRACE,
  OPEN_BRACKET,
  CLOSE_BRACKET,
  COMMA,
  COLON,
  SPACE,
} from './json-char-codes.js';

/** A JSON number, anchored at `lastIndex`. */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/**
 * The inside of a JSON string, anchored at `lastIndex`: runs of characters other than `"`, `\` and the
 * controls U+0000..U+001F, separated by valid escapes. Written "unrolled" (`a*(?:b a*)*`) so that the regex
 * engine never backtracks, and one native call covers a whole SDP with its hundred `\r\n` escapes.
 */
// The control range is the point: JSON forbids those characters raw inside a string.
// eslint-disable-next-line no-control-regex
const STRING_BODY = /[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})[^"\\\u0000-\u001f]*)*/y;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * The index of the first non-whitespace character at or after `i`. Callers on the hot path test
 * `text.charCodeAt(i) > SPACE` first and call this only when that fails: frames are nearly always compact
 * JSON, and V8 did not inline this call: testing first made decoding the bench's signals 16–20 % faster.
 */
export function skipJsonSpace(text: string, i: number): number {
  while (isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Open containers, innermost last (true for an object), of the running `skipJsonValue` call: one array for
 * all calls, which cannot interleave (they are synchronous and never recurse), and are read only below the
 * running call's own depth. A fresh array per call was 10 % of what relaying a signal allocated.
 */
const openIsObject: boolean[] = [];

/** Strings up to this long are checked in a JS loop: cheaper than a regex call for keys and short values. */
const SHORT_STRING = 48;

/** `text[i]` is `"`: the index just past the string's closing quote, or -1 when the string is invalid. */
export function skipJsonString(text: string, i: number): number {
  const start = i + 1;
  const quote = text.indexOf('"', start);
  if (quote < 0) return -1;
  if (quote - start <= SHORT_STRING) {
    let j = start;
    for (; j < quote; j++) {
      const c = text.charCodeAt(j);
      if (c < 0x20) return -1;
      if (c === BACKSLASH) break; // an escape: the regex below handles it (and a `\"` before `quote`)
    }
    if (j === quote) return quote + 1;
  }
  STRING_BODY.lastIndex = start;
  STRING_BODY.test(text); // always matches, possibly empty
  const end = STRING_BODY.lastIndex;
  // Anything but the closing quote here is a raw control character, a bad escape, or the end of the text.
  return text.charCodeAt(end) === QUOTE ? end + 1 : -1;
}

/** The end of the scalar (string, number, literal) at `i`, or -1 when there is none. */
function skipScalar(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipJsonString(text, i);
  if (c === 0x74) return text.startsWith('true', i) ? i + 4 : -1;
  if (c === 0x66) return text.startsWith('false', i) ? i + 5 : -1;
  if (c === 0x6e) return text.startsWith('null', i) ? i + 4 : -1;
  NUMBER.lastIndex = i;
  return NUMBER.test(text) ? NUMBER.lastIndex : -1;
}

/**
 * Check the JSON value that starts at `start` (after any whitespace) and return the index just past it, or -1
 * when it is not valid JSON or nests more than `maxDepth` objects and arrays.
 *
 * @example
 * skipJsonValue('{"a":[1,"x"]} ', 0, 64) // 13
 * skipJsonValue('{"a":01}', 0, 64) // -1
 */
export function skipJsonValue(text: string, start: number, maxDepth: number): number {
  const isObject = openIsObject;
  /** How many containers are open: `isObject[0..depth)` are this call's. */
  let depth = 0;
  let i = text.charCodeAt(start) > SPACE ? start : skipJsonSpace(text, start);
  for (;;) {
    // Here a value is expected at `i`.
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth >= maxDepth) return -1;
      const closer = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      i = text.charCodeAt(i + 1) > SPACE ? i + 1 : skipJsonSpace(text, i + 1);
      if (text.charCodeAt(i) === closer) {
        i++;
      } else {
        isObject[depth++] = c === OPEN_BRACE;
        if (c === OPEN_BRACE) {
          i = skipMemberName(text, i);
          if (i < 0) return -1;
        }
        continue;
      }
    } else {
      i = skipScalar(text, i);
      if (i < 0) return -1;
    }
    // A value ended at `i`: close every container it completes, then find the next value.
    for (;;) {
      if (depth === 0) return i;
      i = text.charCodeAt(i) > SPACE ? i : skipJsonSpace(text, i);
      const d = text.charCodeAt(i);
      const inObject = isObject[depth - 1] === true;
      if (d === COMMA) {
        i = text.charCodeAt(i + 1) > SPACE ? i + 1 : skipJsonSpace(text, i + 1);
        if (inObject) {
          i = skipMemberName(text, i);
          if (i < 0) return -1;
        }
        break;
      }
      if (d !== (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) return -1;
      depth--;
      i++;
    }
  }
}

/** `"name"` then `:` at `i` (after whitespace): the index of the value that follows, or -1. */
function skipMemberName(text: string, i: number): number {
  if (text.charCodeAt(i) !== QUOTE) return -1;
  const end = skipJsonString(text, i);
  if (end < 0) return -1;
  const colon = text.charCodeAt(end) > SPACE ? end : skipJsonSpace(text, end);
  if (text.charCodeAt(colon) !== COLON) return -1;
  return text.charCodeAt(colon + 1) > SPACE ? colon + 1 : skipJsonSpace(text, colon + 1);
}
