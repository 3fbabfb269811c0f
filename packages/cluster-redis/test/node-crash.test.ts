/**
 * `kill -9` one of 3 real server processes while signals flow both ways. Its clients resume on the other
 * nodes (real SDK clients; the test plays the load balancer by re-routing their reconnects), and every signal
 * is counted: none lost, none duplicated. Peers that resumed are never announced as left; a peer that never
 * comes back is announced as left with reason node-failure within 7 s of the crash.
 */
import type { ClusterNode } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { connectClient, type RecordingClient } from './cluster-client.js';
import { useRedisCluster } from './redis-cluster-suite.js';

const PER_STREAM = 60;
const GRACE_MS = 1500;

interface Mark {
  readonly stream: string;
  readonly n: number;
}

describe('a node crash in a 3-node cluster', () => {
  const suite = useRedisCluster({
    args: ['--grace-ms', String(GRACE_MS), '--rate', '1000', '--burst', '1000'],
  });
  const { clients } = suite;

  it('loses and duplicates no signal, and announces only the peer that never returns', async () => {
    const [a, b, victim] = suite.nodes as [ClusterNode, ClusterNode, ClusterNode];
    // Two peers on each survivor, two on the victim that will resume elsewhere, one on the victim that will not.
    const survivors = [
      await connectClient(a.url),
      await connectClient(b.url),
      await connectClient(a.url),
      await connectClient(b.url),
    ];
    const movers = [await connectClient(victim.url), await connectClient(victim.url)];
    const ghost = await connectClient(victim.url);
    clients.push(...survivors, ...movers, ghost);
    const everyone = [...survivors, ...movers, ghost];
    for (const [i, c] of everyone.entries()) await c.client.join('lobby', { nickname: `peer${i}` });
    const ids = new Map(everyone.map((c) => [c, c.client.peerId!]));

    // Streams both ways between each survivor and each mover.
    const pairs = survivors.flatMap((s) => movers.flatMap((m) => [[s, m] as const, [m, s] as const]));
    const sent = new Map<string, number>();
    const pump = async (from: RecordingClient, to: RecordingClient): Promise<void> => {
      const stream = `${ids.get(from)!}>${ids.get(to)!}`;
      for (let n = 1; n <= PER_STREAM; n += 1) {
        await from.client.signal(ids.get(to)!, { stream, n } satisfies Mark);
        sent.set(stream, n);
      }
    };
    const streams = pairs.map(([from, to]) => pump(from, to));

    // Crash the victim once traffic is flowing; its movers' reconnects go to the survivors from now on.
    await survivors[0]!.until(() => survivors[0]!.signals.length >= 10, 15_000, 'traffic to flow');
    movers[0]!.route.url = a.url;
    movers[1]!.route.url = b.url;
    ghost.route.url = 'ws://127.0.0.1:1/ws';
    const crashedAt = Date.now();
    await victim.kill('SIGKILL');

    await Promise.all(streams);
    for (const [from, to] of pairs) {
      const stream = `${ids.get(from)!}>${ids.get(to)!}`;
      const got = (): number[] =>
        to.signals.filter((s) => (s.data as Mark).stream === stream).map((s) => (s.data as Mark).n);
      await to.until(() => got().length >= PER_STREAM, 20_000, `stream ${stream}`);
      expect(got()).toEqual(Array.from({ length: PER_STREAM }, (_, i) => i + 1));
    }

    const ghostId = ids.get(ghost)!;
    for (const s of survivors) {
      await s.until(() => s.left.some((l) => l.peerId === ghostId), 15_000, 'the ghost to be announced');
      const entry = s.left.find((l) => l.peerId === ghostId)!;
      expect(entry.reason).toBe('node-failure');
      expect(entry.at - crashedAt).toBeLessThanOrEqual(7000);
      const moverIds = movers.map((m) => ids.get(m));
      expect(s.left.filter((l) => moverIds.includes(l.peerId))).toEqual([]);
    }
    for (const m of movers) expect(m.client.state).toMatchObject({ state: 'connected', resumed: true });
  }, 90_000);
});
