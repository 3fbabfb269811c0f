/**
 * A fault-injection seam for server tests: a ClusterBus that forwards every call to a real
 * `InMemoryClusterBus`, but can first wait (a network round trip of variable length, as Redis adds) or
 * throw (the bus is down). The server under test is unchanged and talks to it like to any bus.
 */
import type { ClusterBus } from '../../src/bus/cluster-bus.js';
import { InMemoryClusterBus } from '../../src/bus/in-memory-cluster-bus.js';

/** The bus operations a test can slow down or fail. */
export type BusOperation = Exclude<keyof ClusterBus, 'nodeId' | 'isReady' | 'start' | 'close' | 'inline'>;

/** What to do before one forwarded call. */
export interface FaultPlan {
  /** Event-loop turns to wait before the call is forwarded (0: none). */
  delayTurns?(operation: BusOperation, args: readonly unknown[]): number;
  /** Act as a bus written before `hasDeliverPreconditions` (the server must not rely on it). */
  readonly isWithoutPreconditions?: boolean;
  /** The error this call throws instead of being forwarded, or `undefined` to forward it. */
  failWith?(operation: BusOperation, args: readonly unknown[]): Error | undefined;
}

const PASS_THROUGH = new Set<PropertyKey>(['nodeId', 'isReady', 'start', 'close']);

/** Wrap a fresh in-memory bus (or `inner`) so that `plan` decides each call's latency and failure. */
export function faultyClusterBus(plan: FaultPlan, inner: ClusterBus = new InMemoryClusterBus()): ClusterBus {
  return new Proxy(inner, {
    get(target, property) {
      // Read and call on the target itself: the bus keeps its state in #private fields, which a Proxy lacks.
      if (property === 'hasDeliverPreconditions' && plan.isWithoutPreconditions === true) return undefined;
      // No synchronous shortcut past the faults: every operation must go through the plan below.
      if (property === 'inline') return undefined;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (PASS_THROUGH.has(property)) return (value as (...a: unknown[]) => unknown).bind(target);
      const operation = property as BusOperation;
      return async (...args: unknown[]): Promise<unknown> => {
        for (let turns = plan.delayTurns?.(operation, args) ?? 0; turns > 0; turns -= 1)
          await new Promise((resolve) => setImmediate(resolve));
        const error = plan.failWith?.(operation, args);
        if (error !== undefined) throw error;
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

/** A small seeded PRNG (mulberry32), so a randomised schedule is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
