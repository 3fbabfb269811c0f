/** Rising request ids for fuzzed frames, changing nothing else in them. */
import type { FuzzFrame } from './client-frame-arbitraries.js';

/** A top-level request id right after a string `type`, as `JSON.stringify` writes generated frames. */
const LEADING_ID = /^(\{"type":"[^"\\]*","id":)\d+(?=[,}])/;

/**
 * Give `frame` the request id `next()` if it carries a usable one (a positive safe integer); other frames
 * are returned as they are. The server dedupes a request whose id is not above the last one it processed,
 * silently, as a resend, so every fuzzed request needs a rising id to be judged at all.
 */
export function withFreshId(frame: FuzzFrame, next: () => number): FuzzFrame {
  if (frame.isBinary || typeof frame.data !== 'string' || frame.data.length > 100_000) return frame;
  try {
    const value: unknown = JSON.parse(frame.data);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return frame;
    const record = value as Record<string, unknown>;
    if (typeof record['id'] !== 'number' || !Number.isSafeInteger(record['id']) || record['id'] <= 0)
      return frame;
    const id = next();
    // Where generators put it (right after `type`), the id is patched in the text, so the rest of the frame
    // keeps its exact spelling (`"maxPeers":6.0`, `1e400`), which serializing again would normalize.
    if (LEADING_ID.test(frame.data))
      return { ...frame, data: frame.data.replace(LEADING_ID, (_, head: string) => `${head}${id}`) };
    try {
      record['id'] = id;
      return { ...frame, data: JSON.stringify(record) };
    } catch {
      // Too deep to serialize again: patch the text. Generated frames put the top-level `id` first.
      return { ...frame, data: frame.data.replace(/"id":\d+/, `"id":${id}`) };
    }
  } catch {
    return frame;
  }
}
