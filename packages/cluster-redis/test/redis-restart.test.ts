/**
 * Restart Redis (a fresh, empty process: no persistence) under 3 real server processes while signals
 * flow. The nodes report not-ready, write back the sessions they hold, and are ready again within 5 s, with
 * no process restart; every signal sent after that arrives.
 */
import { describe, expect, it } from 'vitest';
import { useRedisCluster } from './redis-cluster-suite.js';
import { isReady, waitReadiness } from './readiness.js';

interface Mark {
  readonly phase: 'before' | 'after';
  readonly from: number;
  readonly n: number;
}

describe('a Redis restart under a 3-node cluster', () => {
  // A request caught in flight when Redis dies gets no answer from the server; don't wait 30 s on it.
  const suite = useRedisCluster({
    args: ['--rate', '1000', '--burst', '1000'],
    lobbyClients: 6,
    requestTimeoutMs: 8000,
  });
  const { clients } = suite;

  it('recovers within 5 s without restarting a node, and delivers every signal sent after that', async () => {
    await waitReadiness(suite.nodes, true, 5000);
    // Traffic before and during the outage: each client sends to its neighbour on the next node.
    const background = clients.map(async (c, i) => {
      const to = clients[(i + 1) % clients.length]!.client.peerId!;
      for (let n = 1; n <= 20; n += 1)
        await c.client.signal(to, { phase: 'before', n }).catch(() => undefined);
    });
    await suite.redis.restart();
    const restartedAt = Date.now();
    await waitReadiness(suite.nodes, true, 5000);
    expect(Date.now() - restartedAt).toBeLessThanOrEqual(5000);
    await Promise.all(background);

    // After recovery: the same peer ids still route, across nodes, every signal exactly once.
    const PER = 20;
    await Promise.all(
      clients.map(async (c, i) => {
        const to = clients[(i + 1) % clients.length]!.client.peerId!;
        for (let n = 1; n <= PER; n += 1)
          await c.client.signal(to, { phase: 'after', from: i, n } satisfies Mark);
      }),
    );
    for (const [j, c] of clients.entries()) {
      const from = (j + clients.length - 1) % clients.length;
      const got = (): number[] =>
        c.signals
          .map((s) => s.data as Mark)
          .filter((d) => d.phase === 'after' && d.from === from)
          .map((d) => d.n);
      await c.until(() => got().length >= PER, 10_000, `signals to peer${j}`);
      expect(got()).toEqual(Array.from({ length: PER }, (_, k) => k + 1));
    }
    for (const node of suite.nodes) expect(node.pid).toBeGreaterThan(0);
    expect(await Promise.all(suite.nodes.map(isReady))).toEqual([true, true, true]);
  }, 60_000);
});
