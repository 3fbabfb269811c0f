/**
 * @switchboard/cluster-redis: run several Switchboard nodes as one cluster on Redis.
 * The only package that imports a Redis client (ioredis).
 */
export { RedisClusterBus } from './redis-cluster-bus.js';
export { REDIS_CLUSTER_BUS_DEFAULTS } from './redis-cluster-bus-options.js';
export type { RedisClusterBusOptions, BusLogger } from './redis-cluster-bus-options.js';
