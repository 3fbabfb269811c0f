/**
 * What each part of the ClusterBus contract suite (cluster-bus-contract.ts) gets to build its cases with:
 * the cluster under test, started nodes, and sessions created on them.
 */
import type { ClusterBus, ClusterBusLimits, SessionRecord } from '@switchboard/server';
import type { RecordingListener } from './recording-listener.js';

/** A fresh, empty cluster that the suite can add nodes to. */
export interface ContractCluster {
  /** A new node of this cluster, not started yet. */
  createNode(): ClusterBus;
  /** Stop `bus` as if its process died (no clean close). Without it, the node-failure tests are skipped. */
  crash?(bus: ClusterBus): Promise<void>;
  /** Tear the cluster down (after every node was closed). */
  close(): Promise<void>;
}

/** Limits every node of the suite starts with, unless a case asks for others. */
export const CONTRACT_LIMITS: ClusterBusLimits = { maxOutbox: 5, maxPeersPerRoom: 3, graceMs: 60_000 };

/** A started node and the listener recording its callbacks. */
export interface ContractNode {
  readonly bus: ClusterBus;
  readonly listener: RecordingListener;
}

/** Handed to each group of cases; valid inside a test only (the cluster is fresh per test). */
export interface ContractContext {
  /** The cluster of the running test. */
  cluster(): ContractCluster;
  /** Start a new node of the cluster (closed after the test). */
  node(limits?: ClusterBusLimits): Promise<ContractNode>;
  /** Create a session held by `bus`. */
  session(bus: ClusterBus, overrides?: Partial<SessionRecord>): Promise<SessionRecord>;
  /** Forget `node`: the test crashed it, so it is not closed afterwards. */
  forget(node: ContractNode): void;
}
