/**
 * Waiting for a request ack in tests. The server acknowledges requests with a standalone `ack {id}` or, when a
 * frame goes to the client anyway, with that frame's `ack` field (PROTOCOL.md); a test must accept both.
 */

/** A server frame as a test client holds it. */
type AnyFrame = { readonly type: string } & object;

/** The part of a test client (`RawClient` of @switchboard/testing, or security-client's) these helpers use. */
interface FrameSource<F extends AnyFrame> {
  next(predicate: (frame: F) => boolean, timeoutMs?: number): Promise<F>;
}

/** Whether `frame` acknowledges every request up to `id`, standalone or piggybacked. */
export function acksUpTo(frame: AnyFrame, id: number): boolean {
  const field = frame.type === 'ack' ? (frame as { id?: unknown }).id : (frame as { ack?: unknown }).ack;
  return typeof field === 'number' && field >= id;
}

/**
 * Resolves once `client` has an ack covering request `id`: already received (`seen`, every frame so far),
 * or arriving within `timeoutMs`.
 */
export async function acked<F extends AnyFrame>(
  client: FrameSource<F> & ({ readonly received: readonly F[] } | { readonly frames: readonly F[] }),
  id: number,
  timeoutMs?: number,
): Promise<void> {
  const seen = 'received' in client ? client.received : client.frames;
  if (seen.some((frame) => acksUpTo(frame, id))) return;
  await client.next((frame) => acksUpTo(frame, id), timeoutMs);
}
