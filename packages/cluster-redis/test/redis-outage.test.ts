/**
 * Stop Redis under 3 real server processes while two peers on one node exchange signals both ways.
 *
 * Issue 6: "Nodes keep serving peers on the same node and report not-ready. When Redis returns they
 * recover by themselves." Before this, a signal between two peers on one node waited 5 s for Redis and
 * failed. Now: every signal sent during the outage arrives, in order, once; /readyz answers 503; a peer on
 * another node is refused at once with CLUSTER_UNAVAILABLE (not PEER_NOT_FOUND: it exists). When Redis
 * returns (a fresh, empty process) the node writes the frames it sequenced back, cross-node relay works
 * again, and a resume on another node replays the outage-time frames at the seqs the client saw.
 */
import type { ServerMessage } from '@switchboard/protocol';
import type { ClusterNode } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { RawPeer, type SeenSignal } from './raw-peer.js';
import { isReady, waitReadiness } from './readiness.js';
import { useRedisCluster } from './redis-cluster-suite.js';

/** A numbered signal of one stream. */
interface Mark {
  readonly stream: string;
  readonly n: number;
}

/** At most this many signals per stream, so the loop is bounded even if the outage never starts. */
const MAX_PER_STREAM = 400;
/** Signals each way that must cross while Redis is down. */
const DURING_OUTAGE = 15;

function marks(signals: readonly SeenSignal[], stream: string): number[] {
  return signals
    .map((s) => s.data as Mark)
    .filter((d) => d.stream === stream)
    .map((d) => d.n);
}

describe('a Redis outage under a 3-node cluster', () => {
  const suite = useRedisCluster({ args: ['--rate', '1000', '--burst', '1000'] });
  const peers: RawPeer[] = [];
  suite.onTeardown(() => Promise.all(peers.map((p) => p.client.destroy())));

  it('keeps two peers on one node talking through the outage, and hands their frames back to Redis', async () => {
    const { nodes, redis } = suite;
    const [home, other] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const alice = await RawPeer.hello(home.url);
    const bob = await RawPeer.hello(home.url);
    const carol = await RawPeer.hello(other.url);
    const dave = await RawPeer.hello(home.url);
    peers.push(alice, bob, carol, dave);
    for (const [i, p] of [alice, bob, carol, dave].entries()) await p.join('lobby', `peer${i}`);
    await waitReadiness(nodes, true, 10_000);

    let isOutageOver = false;
    const sent = new Map<string, number>();
    const failedInFlight: string[] = [];
    /**
     * Signals `from` -> `to` until the outage is over. The one request in flight when Redis dies waits up
     * to `outageWaitMs` for Redis to run it again (ADR 0009); past that it is answered INTERNAL_ERROR and,
     * like an app, the pump sends it again, once per stream. Unanswered requests are sent again with their
     * id (deduped).
     */
    const pump = async (from: RawPeer, to: RawPeer, stream: string): Promise<void> => {
      for (let n = 1; n <= MAX_PER_STREAM && !isOutageOver; n += 1) {
        const data = { stream, n } satisfies Mark;
        let id = from.client.id();
        let end = await from.signal(id, to.peerId, data, 3000);
        for (let attempt = 0; end !== 'ok' && attempt < 3; attempt += 1) {
          if (end !== 'unanswered') {
            failedInFlight.push(`${stream} #${n}: ${end.error}`);
            id = from.client.id();
          }
          end = await from.signal(id, to.peerId, data, 3000);
        }
        expect(end, `${stream} #${n}`).toBe('ok');
        sent.set(stream, n);
      }
    };
    const streams = [pump(alice, bob, 'a>b'), pump(bob, alice, 'b>a')];

    // Bob has acknowledged everything up to here: what follows must be replayable from Redis later.
    await bob.until(() => marks(bob.signals, 'a>b').length >= 5, 10_000, 'traffic before the outage');
    const bobAckedBefore = bob.signals.at(-1)!.seq;
    bob.ack(bobAckedBefore);

    await redis.stop();
    await waitReadiness(nodes, false, 5000);
    const startedAt = { ab: sent.get('a>b') ?? 0, ba: sent.get('b>a') ?? 0 };
    await bob.until(
      () => (sent.get('a>b') ?? 0) >= startedAt.ab + DURING_OUTAGE,
      20_000,
      'signals during the outage',
    );
    await alice.until(() => (sent.get('b>a') ?? 0) >= startedAt.ba + DURING_OUTAGE, 20_000, 'signals back');
    // Still not ready: the signals flowed while the node said so.
    expect(await isReady(home)).toBe(false);

    // A peer on another node is refused at once, truthfully.
    expect(await dave.signal(dave.client.id(), carol.peerId, { stream: 'd>c', n: 1 }, 3000)).toEqual({
      error: 'CLUSTER_UNAVAILABLE',
    });

    await redis.restart();
    await waitReadiness(nodes, true, 10_000);
    isOutageOver = true;
    await Promise.all(streams);
    expect(failedInFlight.length, failedInFlight.join('; ')).toBeLessThanOrEqual(2);

    // Every signal sent arrived, in order, once, across the outage.
    for (const [receiver, stream] of [
      [bob, 'a>b'],
      [alice, 'b>a'],
    ] as const) {
      const total = sent.get(stream)!;
      await receiver.until(() => marks(receiver.signals, stream).length >= total, 10_000, stream);
      expect(marks(receiver.signals, stream)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      const seqs = receiver.signals.map((s) => s.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }

    // Cross-node relay works again, both ways, at seqs that continue the outage-time ones.
    expect(await carol.signal(carol.client.id(), bob.peerId, { stream: 'c>b', n: 1 }, 5000)).toBe('ok');
    expect(await bob.signal(bob.client.id(), carol.peerId, { stream: 'b>c', n: 1 }, 5000)).toBe('ok');
    await bob.until(() => marks(bob.signals, 'c>b').length === 1, 10_000, 'carol -> bob');
    await carol.until(() => marks(carol.signals, 'b>c').length === 1, 10_000, 'bob -> carol');
    const seqs = bob.signals.map((s) => s.seq);
    expect(new Set(seqs).size).toBe(seqs.length);

    // A resume on another node replays, from Redis, exactly what Bob saw after his ack before the outage.
    const isSequenced = (f: ServerMessage): boolean => f.type !== 'welcome' && 'seq' in f;
    const seen = bob.client.received.filter(
      (f) => isSequenced(f) && (f as { seq: number }).seq > bobAckedBefore,
    );
    const resumed = await RawPeer.resume(other.url, bob.welcome, bobAckedBefore);
    peers.push(resumed);
    expect(resumed.welcome.resumed).toBe(true);
    const lastSeen = seen.at(-1) as { seq: number };
    await resumed.client.next((f) => isSequenced(f) && (f as { seq: number }).seq === lastSeen.seq, 10_000);
    const replayed = resumed.client.received.filter(isSequenced);
    // `ack` may ride on any pushed frame (a piggybacked request ack): it belongs to the socket, not the outbox.
    const withoutAck = (f: ServerMessage): object => {
      const { ack: _ack, ...rest } = f as ServerMessage & { ack?: number };
      return rest;
    };
    expect(replayed.map(withoutAck)).toEqual(seen.map(withoutAck));
    expect(marks(resumed.signals, 'a>b').length).toBeGreaterThanOrEqual(DURING_OUTAGE);
  }, 120_000);
});
