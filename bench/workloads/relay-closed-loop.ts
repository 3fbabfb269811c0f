/**
 * Workload 1, relay in a closed loop: P pairs each keep exactly one message in flight; a client that
 * receives a message answers its partner at once. Throughput is whatever the server (or the generator)
 * sustains; the figure that compares contenders is the server's CPU per delivered message.
 */
import { connectPeerFor } from '../clients/connect-peer-for.js';
import type { SignalingPeer } from '../clients/signaling-peer.js';
import { openCpuWindow } from '../harness/cpu-window.js';
import { LatencyRecorder } from '../harness/latency-recorder.js';
import { payloadJson, readStamp } from '../harness/signal-payloads.js';
import { connectPairs, waitUntil } from './connect-pairs.js';
import type { RelayClosedJob, RelayResult } from './load-job.js';

/** How long in-flight messages may take to arrive after sending stops before they count as lost. */
const DRAIN_TIMEOUT_MS = 5_000;

export async function runRelayClosedLoop(job: RelayClosedJob): Promise<RelayResult> {
  const pairs = await connectPairs(connectPeerFor(job.protocol), job.port, job.pairs);
  const latency = new LatencyRecorder();
  let sent = 0;
  let delivered = 0;
  let isRecording = false;
  let isStopping = false;
  const counters = new Map<SignalingPeer, number>();
  const sendFrom = (from: SignalingPeer, to: SignalingPeer): void => {
    const n = counters.get(from) ?? 0;
    counters.set(from, n + 1);
    sent++;
    from.send(to.address, n, payloadJson(n, performance.now()));
  };
  for (const [a, b] of pairs) {
    const receive = (self: SignalingPeer, partner: SignalingPeer) => (data: unknown) => {
      delivered++;
      const stamp = readStamp(data);
      if (isRecording && stamp) latency.record(performance.now() - stamp.t);
      if (!isStopping) sendFrom(self, partner);
    };
    a.onData = receive(a, b);
    b.onData = receive(b, a);
  }
  for (const [a, b] of pairs) sendFrom(a, b);

  await new Promise((r) => setTimeout(r, job.warmupMs));
  const deliveredBefore = delivered;
  isRecording = true;
  const window = openCpuWindow(job.serverPid);
  await new Promise((r) => setTimeout(r, job.durationMs));
  const measured = window.close();
  const deliveredInWindow = delivered - deliveredBefore;
  isRecording = false;
  isStopping = true;
  await waitUntil(() => delivered >= sent, DRAIN_TIMEOUT_MS);

  const errors = pairs.reduce((sum, [a, b]) => sum + a.errors + b.errors, 0);
  for (const [a, b] of pairs) {
    a.close();
    b.close();
  }
  return {
    workload: 'relay-closed',
    deliveredPerSecond: (deliveredInWindow * 1000) / measured.wallMs,
    serverCpuUsPerMessage: measured.serverCpuMicros / deliveredInWindow,
    serverCpuPercent: measured.serverCpuMicros / 10 / measured.wallMs,
    latency: latency.summarize(),
    sent,
    delivered,
    lost: sent - delivered,
    errors,
    generatorCpuPercent: measured.generatorCpuMicros / 10 / measured.wallMs,
  };
}
