/**
 * Connect P pairs of clients, a bounded number at a time: the server should see a brisk but orderly ramp,
 * not 2,000 simultaneous handshakes that measure its accept queue instead of its relay.
 */
import type { ConnectPeer, SignalingPeer } from '../clients/signaling-peer.js';

/** Run `task(i)` for i in [0, count) with at most `concurrency` in flight; results in index order. */
export async function mapBounded<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Two clients sharing a room (Switchboard's default policy only lets room-mates signal). */
export type Pair = readonly [SignalingPeer, SignalingPeer];

/** Connect `pairs` pairs on `port`; client names are unique within the run. */
export async function connectPairs(connect: ConnectPeer, port: number, pairs: number): Promise<Pair[]> {
  return mapBounded(pairs, 50, async (i) => {
    const room = `p${i}`;
    const a = await connect({ port, name: `a${i}`, room });
    const b = await connect({ port, name: `b${i}`, room });
    return [a, b] as const;
  });
}

/** Resolve once `isDone()` holds, or after `timeoutMs`, polling every 10 ms. */
export async function waitUntil(isDone: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!isDone() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
