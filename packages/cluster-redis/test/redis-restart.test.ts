/**
 * Restart Redis (a fresh, empty process: no persistence) under 3 real server processes while signals
 * flow. The nodes report not-ready, write back the sessions they hold, and are ready again within 5 s, with
 * no process restart; every signal sent after that arrives.
 */
import { startClusterNodes, startRedis, type ClusterNode, type RedisHandle } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type RecordingClient } from './cluster-client.js';
import { isReady, waitReadiness } from './readiness.js';

interface Mark {
  readonly phase: 'before' | 'after';
  readonly from: number;
  readonly n: number;
}

describe('a Redis restart under a 3-node cluster', () => {
  let redis: RedisHandle;
  let nodes: ClusterNode[] = [];
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    nodes = await startClusterNodes({ redisUrl: redis.url, args: ['--rate', '1000', '--burst', '1000'] });
    // A request caught in flight when Redis dies gets no answer from the server; don't wait 30 s on it.
    for (let i = 0; i < 6; i += 1) clients.push(await connectClient(nodes[i % 3]!.url, 8000));
    for (const [i, c] of clients.entries()) await c.client.join('lobby', { nickname: `peer${i}` });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.client.close()));
    await Promise.all(nodes.map((node) => node.kill('SIGKILL')));
    await redis.stop();
  });

  it('recovers within 5 s without restarting a node, and delivers every signal sent after that', async () => {
    await waitReadiness(nodes, true, 5000);
    // Traffic before and during the outage: each client sends to its neighbour on the next node.
    const background = clients.map(async (c, i) => {
      const to = clients[(i + 1) % clients.length]!.client.peerId!;
      for (let n = 1; n <= 20; n += 1)
        await c.client.signal(to, { phase: 'before', n }).catch(() => undefined);
    });
    await redis.restart();
    const restartedAt = Date.now();
    await waitReadiness(nodes, true, 5000);
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
    for (const node of nodes) expect(node.pid).toBeGreaterThan(0);
    expect(await Promise.all(nodes.map(isReady))).toEqual([true, true, true]);
  }, 60_000);
});
