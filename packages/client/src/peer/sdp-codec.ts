/**
 * Packs session descriptions and candidate batches for the trip through the broker: DEFLATE with a preset
 * dictionary of what every session shares (sdp-dictionary.ts), as base64url text that a JSON string carries
 * without escapes. The broker never reads it (PROTOCOL.md); two SDKs use it only after both have said they
 * read `SDP_CODEC`.
 *
 * One SDP-aware step runs before DEFLATE: each `a=fingerprint:sha-256` value (95 characters of hex pairs) is
 * replaced by a 0xFF byte and its 32 raw bytes. The fingerprint is random, so DEFLATE can only spend about
 * a byte per hex character on it; raw it costs a third of that, and a packed data-channel offer shrinks by
 * a fifth. 0xFF never occurs in UTF-8 (RFC 3629 §1), so the marker cannot be confused with text, and only
 * uppercase pairs (what browsers write) are replaced, so expanding gives back the input byte for byte.
 *
 * Unpacking takes text from a remote peer, so it never throws and never inflates more than `MAX_SDP_BYTES`.
 * DEFLATE carries no checksum, and none is added: the broker's WebSocket (TCP, usually TLS) already delivers
 * bytes intact, and a remote peer that wants to send a wrong description can pack one just as well. What is
 * left is a broken sender, and its garbage still has to be a valid DEFLATE stream, whose output is valid
 * UTF-8 with every marker in place; the description is then handed to `setRemoteDescription`, which rejects
 * what does not parse as SDP.
 */
import { Inflate, deflateSync } from 'fflate';
import { fromBase64Url, toBase64Url } from '../base64-url.js';
import { isCandidateTuple, type CandidateTuple } from './candidate-tuple.js';
import { SDP_DICTIONARY } from './sdp-dictionary.js';

/**
 * The feature token two SDKs exchange: this exact format and dictionary. A new dictionary, or any change to
 * the format, gets a new token.
 */
export const SDP_CODEC = 'z1';

/**
 * The largest description (UTF-8 bytes) that packs and unpacks. A Chromium audio+video offer is about 6 KB
 * and each further video track adds about 4.5 KB, so this leaves room for dozens of tracks; it is also the
 * bound that stops a small packing from inflating into a huge one (a "zip bomb").
 */
export const MAX_SDP_BYTES = 256 * 1024;

const ENCODER = new TextEncoder();
// `decode` without `stream` keeps no state between calls, so one decoder serves every unpacking.
// ignoreBOM keeps a leading U+FEFF in the text instead of eating it, so even that round-trips.
const DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const DICTIONARY = ENCODER.encode(SDP_DICTIONARY);
/**
 * What a description without audio or video packs against: the dictionary's last two descriptions (a
 * data-channel answer and offer, ~0.9 KB) instead of all 8.5 KB. DEFLATE's distances count back from the
 * end of the dictionary, so a packing that only refers into this tail inflates with the whole dictionary:
 * the format, and `SDP_CODEC`, stay as they are. Why: the packer hashes every dictionary byte before the
 * first byte of input, so the whole dictionary was 12 times the work of a data-channel offer, and that work
 * sat on the critical path of a call while the page was young and the codec not yet compiled (ADR 0023).
 * Chromium's data-channel descriptions pack within −2 % to +3 % of what the whole dictionary gives (the
 * dictionary is ordered rarest first, so the tail already holds their lines); @roamhq/wrtc's, whose
 * candidate lines are in the dictionary's head, come out 7–16 % longer.
 */
const DATA_DICTIONARY = DICTIONARY.subarray(
  ENCODER.encode(
    SDP_DICTIONARY.slice(0, SDP_DICTIONARY.lastIndexOf('v=0', SDP_DICTIONARY.lastIndexOf('v=0') - 1)),
  ).length,
);
/**
 * What needs the whole dictionary: an audio or video m-section (codec lists, in the dictionary's middle) or
 * a relay candidate (in its head; a call through TURN waits a TURN round trip anyway).
 */
const NEEDS_WHOLE_DICTIONARY = /^m=(?:audio|video) | typ relay /m;
const FINGERPRINT_PREFIX = 'a=fingerprint:sha-256 ';
const FINGERPRINT = /a=fingerprint:sha-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/g;
const FINGERPRINT_BYTES = 32;
/** 32 pairs and 31 colons become one marker byte and 32 raw bytes. */
const FINGERPRINT_SAVING = 3 * FINGERPRINT_BYTES - 1 - (1 + FINGERPRINT_BYTES);
const MARKER = 0xff;
/**
 * DEFLATE expands at most 1032 times, so inflating the input this many bytes at a time overshoots the bound
 * by at most about 1 MiB before the check stops it, in a few milliseconds, however long the input is.
 */
const INFLATE_SLICE_BYTES = 1024;

/**
 * Packs a session description: raw DEFLATE (level 9, with the preset dictionary) as unpadded base64url.
 * Throws a `RangeError` when the description is over `MAX_SDP_BYTES`, since the remote SDK would refuse it.
 *
 * @example const packed = packSdp(pc.localDescription.sdp); // a data-channel offer: ~190 characters
 */
export function packSdp(sdp: string): string {
  return packText(sdp, NEEDS_WHOLE_DICTIONARY.test(sdp) ? DICTIONARY : DATA_DICTIONARY);
}

/**
 * The description back, or `undefined` when `packed` is not a valid packing: bad base64url, a bad or
 * truncated DEFLATE stream, output over `MAX_SDP_BYTES`, invalid UTF-8 or a misplaced fingerprint marker.
 * Never throws: the input comes from a remote peer.
 */
export function unpackSdp(packed: string): string | undefined {
  return unpackText(packed);
}

/**
 * Packs a batch of trickled candidates (`JSON.stringify` of the tuples) with the same dictionary, which
 * holds candidate lines: a single candidate shrinks to about a third. Throws a `RangeError` over
 * `MAX_SDP_BYTES`.
 */
export function packCandidates(tuples: readonly CandidateTuple[]): string {
  return packText(JSON.stringify(tuples), DICTIONARY);
}

/**
 * The batch back, or `undefined` when `packed` is not a valid packing or does not hold an array of
 * `[candidate, sdpMid, sdpMLineIndex, usernameFragment]` tuples. Never throws.
 */
export function unpackCandidates(packed: string): CandidateTuple[] | undefined {
  const text = unpackText(packed);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return Array.isArray(value) && value.every(isCandidateTuple) ? value : undefined;
}

function packText(text: string, dictionary: Uint8Array): string {
  const bytes = ENCODER.encode(text);
  if (bytes.length > MAX_SDP_BYTES)
    throw new RangeError(`Cannot pack ${String(bytes.length)} bytes: the limit is ${String(MAX_SDP_BYTES)}.`);
  return toBase64Url(deflateSync(squeezeFingerprints(text, bytes), { level: 9, dictionary }));
}

function unpackText(packed: string): string | undefined {
  // Every way untrusted text can be wrong surfaces as a throw from atob, fflate or the fatal TextDecoder.
  try {
    const deflated = fromBase64Url(packed);
    // An empty DEFLATE stream is not one packText writes (it always writes a final block).
    if (deflated.length === 0) return undefined;
    const squeezed = inflateBounded(deflated);
    return squeezed === undefined ? undefined : expandFingerprints(squeezed);
  } catch {
    return undefined;
  }
}

/** Inflates at most `MAX_SDP_BYTES`, stopping early instead of finishing a bomb. */
function inflateBounded(deflated: Uint8Array): Uint8Array | undefined {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const inflater = new Inflate({ dictionary: DICTIONARY }, (chunk) => {
    chunks.push(chunk);
    length += chunk.length;
  });
  for (let at = 0; at < deflated.length; at += INFLATE_SLICE_BYTES) {
    const end = at + INFLATE_SLICE_BYTES;
    // The last push is final, so a stream cut short throws instead of waiting for more input.
    inflater.push(deflated.subarray(at, end), end >= deflated.length);
    if (length > MAX_SDP_BYTES) return undefined;
  }
  return concat(chunks, length);
}

function squeezeFingerprints(text: string, bytes: Uint8Array): Uint8Array {
  const matches = [...text.matchAll(FINGERPRINT)];
  if (matches.length === 0) return bytes;
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const match of matches) {
    const hexAt = match.index + FINGERPRINT_PREFIX.length;
    const hex = match[1] ?? '';
    parts.push(ENCODER.encode(text.slice(from, hexAt)));
    const raw = new Uint8Array(1 + FINGERPRINT_BYTES);
    raw[0] = MARKER;
    for (let i = 0; i < FINGERPRINT_BYTES; i++) raw[1 + i] = parseInt(hex.slice(3 * i, 3 * i + 2), 16);
    parts.push(raw);
    from = hexAt + hex.length;
  }
  parts.push(ENCODER.encode(text.slice(from)));
  return concat(parts, bytes.length - matches.length * FINGERPRINT_SAVING);
}

/** Undoes `squeezeFingerprints`; throws when the bytes are not something it produced. */
function expandFingerprints(squeezed: Uint8Array): string | undefined {
  let text = '';
  let from = 0;
  let markers = 0;
  for (let at = squeezed.indexOf(MARKER); at >= 0; at = squeezed.indexOf(MARKER, from)) {
    text += DECODER.decode(squeezed.subarray(from, at));
    const raw = squeezed.subarray(at + 1, at + 1 + FINGERPRINT_BYTES);
    if (raw.length < FINGERPRINT_BYTES || !text.endsWith(FINGERPRINT_PREFIX)) return undefined;
    text += Array.from(raw, (byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(':');
    from = at + 1 + FINGERPRINT_BYTES;
    markers++;
  }
  text += DECODER.decode(squeezed.subarray(from));
  return squeezed.length + markers * FINGERPRINT_SAVING > MAX_SDP_BYTES ? undefined : text;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0]?.length === length) return parts[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
