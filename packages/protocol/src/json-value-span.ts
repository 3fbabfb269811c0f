/**
 * Finds where a top-level value sits in the text of a JSON object, so the relay can forward a signal's
 * opaque `data` as the exact text the sender wrote instead of serialising the parsed value again (the
 * relay's largest avoidable cost: a 3 KB SDP parsed, then stringified once per delivery).
 *
 * It runs only on text that `JSON.parse` has already accepted, so it skips values by structure (strings
 * by their closing quote, containers by bracket depth) without re-validating the grammar. It does not
 * depend on key order: it walks every top-level member, and when a key repeats it keeps the last one,
 * as `JSON.parse` does. On the way it measures the nesting depth, which replaces a separate walk.
 */

import {
  QUOTE,
  BACKSLASH,
  OPEN_BRACE,
  CLOSE_BRACE,
  OPEN_BRACKET,
  CLOSE_BRACKET,
  COMMA,
} from './json-char-codes.js';

/** Where the value of one top-level member is, and how deeply the whole object nests. */
export interface JsonValueSpan {
  /** Index of the value's first character, or -1 when the key is absent. */
  readonly start: number;
  /** Index just past the value's last character. */
  readonly end: number;
  /** Deepest nesting of objects and arrays; the outer object is level 1. */
  readonly depth: number;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, i: number): number {
  while (isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** `text[i]` is an opening quote: the index after the closing one. indexOf keeps long strings native-fast. */
function skipString(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length; // unreachable for text JSON.parse accepted
    let backslashes = 0;
    for (let k = quote - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/**
 * Locate the value of top-level key `key` in `text`, a JSON object that `JSON.parse` accepted.
 *
 * @example
 * const span = findJsonValueSpan('{"to":"p","data":{"a":1}}', 'data');
 * // text.slice(span.start, span.end) === '{"a":1}', span.depth === 2
 */
export function findJsonValueSpan(text: string, key: string): JsonValueSpan {
  let start = -1;
  let end = -1;
  let maxDepth = 1;
  let i = skipSpace(text, 0) + 1; // past the outer `{`
  for (;;) {
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== QUOTE) break; // `}`: the object is empty or done
    const keyEnd = skipString(text, i);
    const raw = text.slice(i + 1, keyEnd - 1);
    // An escaped key (`"d\u0061ta"`) means the same as the plain one: decode it, rarely.
    const isKey = raw.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) === key : raw === key;
    i = skipSpace(text, skipSpace(text, keyEnd) + 1); // past the `:`
    const valueStart = i;
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(text, i);
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      let depth = 2;
      if (depth > maxDepth) maxDepth = depth;
      i++;
      while (depth > 1) {
        const d = text.charCodeAt(i);
        if (d === QUOTE) {
          i = skipString(text, i);
          continue;
        }
        if (d === OPEN_BRACE || d === OPEN_BRACKET) {
          depth++;
          if (depth > maxDepth) maxDepth = depth;
        } else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
          depth--;
        }
        i++;
      }
    } else {
      // A number, true, false or null: runs up to the next separator.
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === COMMA || d === CLOSE_BRACE || isSpace(d)) break;
        i++;
      }
    }
    if (isKey) {
      start = valueStart;
      end = i;
    }
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== COMMA) break;
    i++;
  }
  return { start, end, depth: maxDepth };
}
