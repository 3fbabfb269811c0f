/**
 * The ClusterBus contract: one Vitest suite that every implementation passes (the socket.io adapter
 * `testSuites(init)` pattern). It checks the invariants written in packages/server/src/bus/cluster-bus.ts:
 * durable, gap-free seqs; wake-ups of the node that holds the socket; atomic room rules and caps across
 * nodes; takeover; detach, claim-once expiry; and, when the implementation can simulate one, node failure.
 * The cases live in one module per area (contract-*-cases.ts).
 *
 * @example
 * clusterBusContract('RedisClusterBus', async () => {
 *   const redis = await startRedis();
 *   return { createNode: () => new RedisClusterBus({ url: redis.url }), close: () => redis.stop() };
 * });
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterBus, SessionRecord } from '@switchboard/server';
import { roomMember, sessionRecord } from './bus-fixtures.js';
import {
  CONTRACT_LIMITS,
  type ContractCluster,
  type ContractContext,
  type ContractNode,
} from './contract-context.js';
import { deliveryCases } from './contract-delivery-cases.js';
import { roomCases } from './contract-room-cases.js';
import { sessionCases } from './contract-session-cases.js';
import { RecordingListener } from './recording-listener.js';

export { CONTRACT_LIMITS };
export type { ContractCluster };

/** Register the contract suite for one ClusterBus implementation. */
export function clusterBusContract(name: string, makeCluster: () => Promise<ContractCluster>): void {
  describe(`ClusterBus contract: ${name}`, () => {
    let cluster: ContractCluster | undefined;
    let nodes: ContractNode[] = [];

    const context: ContractContext = {
      cluster() {
        if (cluster === undefined) throw new Error('the contract cluster exists inside a test only');
        return cluster;
      },
      async node(limits = CONTRACT_LIMITS) {
        const bus = context.cluster().createNode();
        const listener = new RecordingListener();
        await bus.start(listener, limits);
        const started = { bus, listener };
        nodes.push(started);
        return started;
      },
      async session(bus: ClusterBus, overrides: Partial<SessionRecord> = {}) {
        const created = sessionRecord(bus.nodeId, overrides);
        await bus.createSession(created);
        return created;
      },
      forget(node) {
        nodes = nodes.filter((n) => n !== node);
      },
    };

    beforeEach(async () => {
      cluster = await makeCluster();
      nodes = [];
    });
    afterEach(async () => {
      for (const { bus } of nodes) await bus.close();
      await cluster?.close();
      cluster = undefined;
    });

    describe('sessions', () => sessionCases(context));
    describe('delivery', () => deliveryCases(context));
    describe('rooms', () => roomCases(context));

    describe('node failure', () => {
      it('detaches the sessions of a crashed node and tells exactly one surviving node', async (test) => {
        const cluster = context.cluster();
        if (cluster.crash === undefined) return test.skip();
        const doomed = await context.node();
        const survivors = [await context.node(), await context.node()] as const;
        const held = await context.session(doomed.bus, { rooms: ['r'] });
        await doomed.bus.joinRoom('r', roomMember(held, 'Ada'));
        await cluster.crash(doomed.bus);
        context.forget(doomed);
        const failure = await Promise.race(
          survivors.map((s) =>
            s.listener.next((e) => e.kind === 'node-failure' && e.nodeId === doomed.bus.nodeId),
          ),
        );
        expect(failure).toMatchObject({ sessionIds: [held.sessionId] });
        const told = survivors.filter((s) => s.listener.events.some((e) => e.kind === 'node-failure'));
        expect(told).toHaveLength(1);
        const after = await survivors[0].bus.getSession(held.sessionId);
        expect(after).toMatchObject({ nodeId: undefined });
        expect(after?.expiresAt).toBeGreaterThan(Date.now());
        expect(await survivors[0].bus.roomMembers('r')).toMatchObject([{ state: 'reconnecting' }]);
      });
    });
  });
}
