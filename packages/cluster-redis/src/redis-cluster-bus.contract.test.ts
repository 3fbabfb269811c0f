/**
 * RedisClusterBus against the shared ClusterBus contract, on one real redis-server for the file. Each test
 * gets its own key prefix, so every test runs on a fresh, empty cluster.
 */
import { randomUUID } from 'node:crypto';
import { clusterBusContract, startRedis, type RedisHandle } from '@switchboard/testing';
import { afterAll } from 'vitest';
import { RedisClusterBus } from './index.js';

let redis: Promise<RedisHandle> | undefined;

afterAll(async () => {
  if (redis !== undefined) await (await redis).stop();
});

clusterBusContract('RedisClusterBus', async () => {
  redis ??= startRedis();
  const { url } = await redis;
  const keyPrefix = `contract-${randomUUID().slice(0, 8)}:`;
  return {
    // Fast liveness, so node-failure detection fits the suite's wait.
    createNode: () =>
      new RedisClusterBus({ url, keyPrefix, heartbeatIntervalMs: 200, nodeFailureTimeoutMs: 600 }),
    crash: (bus) => {
      if (!(bus instanceof RedisClusterBus))
        throw new TypeError('the contract crashed a bus it did not create');
      bus.abandon();
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
});
