/**
 * A trickled ICE candidate as the peer layer sends it: a tuple, not an object, because candidate batches
 * are a good part of a setup's broker bytes. Its own module so that the envelope parser and the codec that
 * packs batches (sdp-codec.ts) check it the same way without importing each other.
 */

/** `[candidate, sdpMid, sdpMLineIndex, usernameFragment]`. */
export type CandidateTuple = readonly [string, string | null, number | null, string | null];

/** Whether untrusted `value` (from a remote peer) is a well-formed candidate tuple. */
export function isCandidateTuple(value: unknown): value is CandidateTuple {
  if (!Array.isArray(value) || value.length !== 4) return false;
  const [candidate, mid, index, ufrag] = value as unknown[];
  return (
    typeof candidate === 'string' &&
    (mid === null || typeof mid === 'string') &&
    (index === null || (typeof index === 'number' && Number.isInteger(index) && index >= 0)) &&
    (ufrag === null || typeof ufrag === 'string')
  );
}
