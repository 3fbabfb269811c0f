/**
 * Clients spread over 3 real server processes sharing one real Redis: relay both ways across nodes,
 * presence the same on every node, nicknames unique across the cluster, and one PUBLISH per cross-node
 * frame, to the target's node only.
 */
import { SwitchboardError } from '@switchboard/client';
import type { ClusterNode } from '@switchboard/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { connectClient } from './cluster-client.js';
import { useRedisCluster } from './redis-cluster-suite.js';

describe('a 3-node cluster on Redis', () => {
  const suite = useRedisCluster({ lobbyClients: 6 });
  const { clients } = suite;
  /** Which node each client is on, by index. */
  const nodeOf = (i: number): ClusterNode => suite.nodes[i % 3]!;

  it('shows every peer the same roster, whichever node it is on', async () => {
    for (const [i, c] of clients.entries()) {
      await c.until(() => c.client.peers('lobby').length === 5, 10_000, `peer${i} to see 5 peers`);
      const seen = c.client
        .peers('lobby')
        .map((p) => p.peerId)
        .sort();
      const expected = clients
        .filter((other) => other !== c)
        .map((other) => other.client.peerId!)
        .sort();
      expect(seen).toEqual(expected);
    }
    await clients[1]!.client.updateMetadata({ status: 'busy' }, 'lobby');
    const busyId = clients[1]!.client.peerId!;
    for (const c of clients.filter((_, i) => i !== 1)) {
      await c.until(
        () => c.client.peers('lobby').find((p) => p.peerId === busyId)?.metadata.status === 'busy',
      );
    }
  });

  it('relays signals both ways between every pair of nodes, each exactly once, with one PUBLISH to the target node', async () => {
    const watcher = new Redis(suite.redis.url);
    const published = new Map<string, string[]>();
    watcher.on('pmessage', (_pattern: string, channel: string, message: string) => {
      if (message.includes('"relay-test"'))
        published.set(channel, [...(published.get(channel) ?? []), message]);
    });
    await watcher.psubscribe('sb:node:*');
    const sends: Promise<void>[] = [];
    for (const [i, sender] of clients.entries()) {
      for (const [j, target] of clients.entries()) {
        if (i !== j)
          sends.push(sender.client.signal(target.client.peerId!, { kind: 'relay-test', from: i, to: j }));
      }
    }
    await Promise.all(sends);
    for (const [j, c] of clients.entries()) {
      const mine = (): unknown[] =>
        c.signals.filter((s) => (s.data as { kind?: string }).kind === 'relay-test').map((s) => s.data);
      await c.until(() => mine().length >= 5, 10_000, `peer${j} to receive 5 signals`);
      const fromIds = c.signals
        .filter((s) => (s.data as { kind?: string }).kind === 'relay-test')
        .map((s) => s.from);
      expect(fromIds.sort()).toEqual(
        clients
          .filter((o) => o !== c)
          .map((o) => o.client.peerId!)
          .sort(),
      );
    }
    // Every cross-node signal was published exactly once, on its target's node channel; same-node ones never.
    const crossNode = clients
      .flatMap((_, i) => clients.map((__, j) => [i, j] as const))
      .filter(([i, j]) => i !== j && i % 3 !== j % 3);
    for (const [n, node] of suite.nodes.entries()) {
      const expected = crossNode.filter(([, j]) => j % 3 === n).length;
      expect(published.get(`sb:node:${node.nodeId}`) ?? []).toHaveLength(expected);
    }
    watcher.disconnect();
  });

  it('keeps a nickname unique across the cluster, even under a simultaneous race', async () => {
    const late = await connectClient(nodeOf(2).url);
    clients.push(late);
    await expect(late.client.join('lobby', { nickname: 'PEER0' })).rejects.toMatchObject({
      code: 'NICKNAME_TAKEN',
    });
    const racers = await Promise.all([
      connectClient(nodeOf(0).url),
      connectClient(nodeOf(1).url),
      connectClient(nodeOf(2).url),
    ]);
    clients.push(...racers);
    const outcomes = await Promise.allSettled(
      racers.map((r) => r.client.join('race', { nickname: 'Grace' })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect((o.reason as SwitchboardError).code).toBe('NICKNAME_TAKEN');
    }
  });

  it('admits exactly 6 of 9 SDK clients racing on three nodes into a room capped at 6 (ADR 0006)', async () => {
    const racers = await Promise.all(Array.from({ length: 9 }, (_, i) => connectClient(nodeOf(i).url)));
    clients.push(...racers);
    const outcomes = await Promise.allSettled(
      racers.map((r, i) => r.client.join('group', { nickname: `racer${i}` }, { maxPeers: 6 })),
    );
    const admitted = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(admitted).toHaveLength(6);
    expect(admitted.every((snapshot) => snapshot.maxPeers === 6)).toBe(true);
    expect(
      outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as SwitchboardError).code] : [])),
    ).toEqual(['ROOM_FULL', 'ROOM_FULL', 'ROOM_FULL']);
    for (const r of racers) await r.client.close();
  });

  it('tells every node when a peer leaves', async () => {
    const leaver = clients[5]!;
    const leaverId = leaver.client.peerId!;
    await leaver.client.close();
    for (const c of clients.slice(0, 5)) {
      await c.until(() => c.left.some((l) => l.peerId === leaverId), 10_000, 'peer-left');
      expect(c.left.find((l) => l.peerId === leaverId)?.reason).toBe('left');
    }
  });
});
