/**
 * The set-up every multi-process cluster suite shares: one real redis-server and three real server
 * processes on it, optionally with recording clients already in the `lobby`, all torn down after the suite
 * (clients first, then the nodes by SIGKILL, then Redis).
 */
import { startClusterNodes, startRedis, type ClusterNode, type RedisHandle } from '@switchboard/testing';
import { afterAll, beforeAll } from 'vitest';
import { connectClient, type RecordingClient } from './cluster-client.js';

/** Options of `useRedisCluster`. */
export interface RedisClusterSuiteOptions {
  /** Extra `switchboard serve` flags for every node. @default none */
  readonly args?: readonly string[];
  /** Recording clients to connect, round robin over the nodes, and join to `lobby` as `peer<i>`. @default 0 */
  readonly lobbyClients?: number;
  /** The SDK request timeout of those clients, in ms. @default 30000 */
  readonly requestTimeoutMs?: number;
}

/** The running cluster of a suite; its fields are set once `beforeAll` has run. */
export interface RedisClusterSuite {
  readonly redis: RedisHandle;
  readonly nodes: readonly ClusterNode[];
  /** Clients closed at teardown: the lobby clients, and any a test adds. */
  readonly clients: RecordingClient[];
  /** Run `close` at teardown, before the nodes are killed (for clients of other kinds). */
  onTeardown(close: () => Promise<unknown>): void;
}

/** Register `beforeAll`/`afterAll` hooks that start and stop a 3-node cluster on Redis. */
export function useRedisCluster(options: RedisClusterSuiteOptions = {}): RedisClusterSuite {
  let redis: RedisHandle | undefined;
  let nodes: ClusterNode[] = [];
  const clients: RecordingClient[] = [];
  const teardowns: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    nodes = await startClusterNodes({ redisUrl: redis.url, args: options.args ?? [] });
    for (let i = 0; i < (options.lobbyClients ?? 0); i += 1) {
      const node = nodes[i % nodes.length];
      if (node !== undefined) clients.push(await connectClient(node.url, options.requestTimeoutMs));
    }
    // One after another, so every roster is deterministic.
    for (const [i, c] of clients.entries()) await c.client.join('lobby', { nickname: `peer${i}` });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([...clients.map((c) => c.client.close()), ...teardowns.map((close) => close())]);
    await Promise.all(nodes.map((node) => node.kill('SIGKILL')));
    await redis?.stop();
  });

  return {
    get redis(): RedisHandle {
      if (redis === undefined) throw new Error('the cluster starts in beforeAll');
      return redis;
    },
    get nodes(): readonly ClusterNode[] {
      return nodes;
    },
    clients,
    onTeardown(close) {
      teardowns.push(close);
    },
  };
}
