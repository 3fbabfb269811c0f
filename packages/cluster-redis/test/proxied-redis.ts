/**
 * In-process `RedisClusterBus` nodes on one real redis-server, some of them behind a `RedisFaultProxy`, for
 * faults only those nodes see. Hooks start Redis and the proxy once per file, and close every node (with
 * the proxy healed) after each test.
 */
import type { SequencedServerMessage } from '@switchboard/protocol';
import { RecordingListener, startRedis, type RedisHandle } from '@switchboard/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { RedisClusterBus } from '../src/index.js';
import { startRedisFaultProxy, type RedisFaultProxy } from './redis-fault-proxy.js';

const LIMITS = { maxOutbox: 100, maxPeersPerRoom: 10, graceMs: 60_000 };
/** Fast heartbeats, but a failure timeout far longer than any fault: no node is declared failed. */
const TIMING = { heartbeatIntervalMs: 200, nodeFailureTimeoutMs: 30_000, outageWaitMs: 5000 };

/** A started node and its recorded callbacks. */
export interface BusNode {
  readonly bus: RedisClusterBus;
  readonly listener: RecordingListener;
}

/** Redis, the proxy in front of it, and a way to start nodes. */
export interface ProxiedRedis {
  readonly proxy: RedisFaultProxy;
  /** Start node `nodeId` of cluster `keyPrefix`, reaching Redis through the proxy or directly. */
  startNode(keyPrefix: string, nodeId: string, via: 'proxy' | 'direct'): Promise<BusNode>;
}

/** The `data` of each relayed signal among `frames`. */
export function dataOf(frames: readonly SequencedServerMessage[]): unknown[] {
  return frames.map((f) => (f as { data?: unknown }).data);
}

/** Register the hooks; use the result inside tests only. */
export function useProxiedRedis(): ProxiedRedis {
  let redis: RedisHandle | undefined;
  let proxy: RedisFaultProxy | undefined;
  let buses: RedisClusterBus[] = [];
  const started = (): { redis: RedisHandle; proxy: RedisFaultProxy } => {
    if (redis === undefined || proxy === undefined) throw new Error('Redis starts in beforeAll');
    return { redis, proxy };
  };

  beforeAll(async () => {
    redis = await startRedis();
    proxy = await startRedisFaultProxy(redis.port);
  });
  afterEach(async () => {
    proxy?.heal();
    await Promise.all(buses.map((bus) => bus.close()));
    buses = [];
  });
  afterAll(async () => {
    await proxy?.close();
    await redis?.stop();
  });

  return {
    get proxy(): RedisFaultProxy {
      return started().proxy;
    },
    async startNode(keyPrefix, nodeId, via) {
      const url = via === 'proxy' ? started().proxy.url : started().redis.url;
      const bus = new RedisClusterBus({ url, keyPrefix, nodeId, ...TIMING });
      const listener = new RecordingListener();
      buses.push(bus);
      await bus.start(listener, LIMITS);
      return { bus, listener };
    },
  };
}
