/**
 * Workload 2, relay in an open loop: messages are due at a fixed total rate, independent of replies, round
 * robin over the clients of P pairs. Each message carries its INTENDED send time and latency is measured from
 * it, so a stall in the generator or the server counts against every message it delayed instead of hiding
 * them (coordinated omission, Gil Tene).
 */
import { connectPeerFor } from '../clients/connect-peer-for.js';
import { openCpuWindow, type CpuWindowResult } from '../harness/cpu-window.js';
import { LatencyRecorder } from '../harness/latency-recorder.js';
import { payloadJson, readStamp } from '../harness/signal-payloads.js';
import { connectPairs, waitUntil } from './connect-pairs.js';
import type { RelayOpenJob, RelayResult } from './load-job.js';

const DRAIN_TIMEOUT_MS = 5_000;

export async function runRelayOpenLoop(job: RelayOpenJob): Promise<RelayResult> {
  const pairs = await connectPairs(connectPeerFor(job.protocol), job.port, job.pairs);
  const senders = pairs.flatMap(([a, b]) => [
    { from: a, to: b },
    { from: b, to: a },
  ]);
  const latency = new LatencyRecorder();
  const msPerMessage = 1000 / job.ratePerSecond;
  const total = Math.round(((job.warmupMs + job.durationMs) * job.ratePerSecond) / 1000);
  const warmupCount = Math.round((job.warmupMs * job.ratePerSecond) / 1000);
  let delivered = 0;
  let deliveredInWindow = 0;
  let maxSendLagMs = 0;
  const start = performance.now() + 50;
  const windowStart = start + job.warmupMs;
  for (const [a, b] of pairs) {
    for (const peer of [a, b]) {
      peer.onData = (data) => {
        delivered++;
        const stamp = readStamp(data);
        if (stamp && stamp.t >= windowStart) {
          deliveredInWindow++;
          latency.record(performance.now() - stamp.t);
        }
      };
    }
  }

  let window: { close(): CpuWindowResult } | undefined;
  let k = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      if (window === undefined && now >= windowStart) window = openCpuWindow(job.serverPid);
      const due = Math.min(total, Math.floor((now - start) / msPerMessage) + 1);
      for (; k < due; k++) {
        const intended = start + k * msPerMessage;
        maxSendLagMs = Math.max(maxSendLagMs, now - intended);
        const sender = senders[k % senders.length]!;
        const n = Math.floor(k / senders.length);
        sender.from.send(sender.to.address, n, payloadJson(n, intended));
      }
      if (k < total) setTimeout(tick, Math.max(0, start + k * msPerMessage - performance.now()));
      else resolve();
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  // The window closes once the last message has arrived, so the server's work on it is inside the window.
  await waitUntil(() => delivered >= total, DRAIN_TIMEOUT_MS);
  const measured = window?.close();

  const errors = pairs.reduce((sum, [a, b]) => sum + a.errors + b.errors, 0);
  for (const [a, b] of pairs) {
    a.close();
    b.close();
  }
  const windowMessages = total - warmupCount;
  const wallMs = measured?.wallMs ?? Number.NaN;
  return {
    workload: 'relay-open',
    deliveredPerSecond: (deliveredInWindow * 1000) / (job.durationMs || 1),
    serverCpuUsPerMessage: (measured?.serverCpuMicros ?? Number.NaN) / windowMessages,
    serverCpuPercent: (measured?.serverCpuMicros ?? Number.NaN) / 10 / wallMs,
    latency: latency.summarize(),
    sent: total,
    delivered,
    lost: total - delivered,
    errors,
    generatorCpuPercent: (measured?.generatorCpuMicros ?? Number.NaN) / 10 / wallMs,
    maxSendLagMs,
  };
}
