/**
 * The messages between the orchestrator (run.ts) and the load generator process (loadgen.ts): one job in,
 * one result out, over the Node IPC channel. Plain JSON data only.
 */
import type { ProtocolName } from '../clients/connect-peer-for.js';
import type { LatencySummary } from '../harness/latency-recorder.js';

/** Fields every job has: which protocol to speak, where the server is, which pid to account CPU to. */
interface JobBase {
  protocol: ProtocolName;
  port: number;
  serverPid: number;
}

/** Workload 1: P pairs, one message in flight per pair, each reply sent on receipt. */
export interface RelayClosedJob extends JobBase {
  workload: 'relay-closed';
  pairs: number;
  warmupMs: number;
  durationMs: number;
}

/** Workload 2: a fixed total send rate over P pairs, latency measured from each message's intended send time. */
export interface RelayOpenJob extends JobBase {
  workload: 'relay-open';
  pairs: number;
  ratePerSecond: number;
  warmupMs: number;
  durationMs: number;
}

/** Workload 3: N idle clients, each connected and registered (welcomed) by the server. */
export interface CapacityJob extends JobBase {
  workload: 'capacity';
  clients: number;
  concurrency: number;
  settleMs: number;
}

export type LoadJob = RelayClosedJob | RelayOpenJob | CapacityJob;

/** Result of a relay workload (closed or open loop). */
export interface RelayResult {
  workload: 'relay-closed' | 'relay-open';
  /** Messages delivered within the measurement window, per second of that window. */
  deliveredPerSecond: number;
  /** Server CPU time (user+system, whole process tree) per message delivered in the window. */
  serverCpuUsPerMessage: number;
  /** Server CPU use during the window, in % of one core. */
  serverCpuPercent: number;
  latency: LatencySummary;
  sent: number;
  delivered: number;
  /** sent − delivered after draining: must be 0. */
  lost: number;
  /** Error frames servers sent back to clients. */
  errors: number;
  /** The load generator's own CPU during the window, in % of one core: near 100 means it, not the server, limits. */
  generatorCpuPercent: number;
  /** Open loop only: the worst lag between a message's intended and actual send time, in ms. */
  maxSendLagMs?: number;
}

/** Result of the capacity workload. */
export interface CapacityResult {
  workload: 'capacity';
  clients: number;
  failed: number;
  firstFailure?: string;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  rssPerConnectionBytes: number;
  serverCpuUsPerConnect: number;
  connectSeconds: number;
}

export type LoadResult = RelayResult | CapacityResult | { workload: 'failed'; error: string };
