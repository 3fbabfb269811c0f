/**
 * Workload 3, capacity: N idle clients, each connected and registered (Switchboard: hello → welcome; PeerServer:
 * OPEN; socket.io: namespace connect; ws relay: the bare upgrade). Reports the server's RSS growth per
 * connection and its CPU per connect. Connects per second is not reported: the generator saturates before
 * the server does, so it would measure the generator (issue 7).
 */
import { connectPeerFor } from '../clients/connect-peer-for.js';
import type { SignalingPeer } from '../clients/signaling-peer.js';
import { processTree, readTreeCpuMicros, readTreeRssBytes } from '../harness/proc-stats.js';
import { mapBounded } from './connect-pairs.js';
import type { CapacityJob, CapacityResult } from './load-job.js';

/**
 * Clients per source address. Linux picks ephemeral ports from ip_local_port_range (28k here) per
 * destination; past that many clients they are spread over 127.0.0.x source addresses.
 */
const CLIENTS_PER_SOURCE_ADDRESS = 25_000;

export async function runCapacity(job: CapacityJob): Promise<CapacityResult> {
  const connect = connectPeerFor(job.protocol);
  const tree = processTree(job.serverPid);
  const rssBeforeBytes = readTreeRssBytes(tree);
  const cpuBefore = readTreeCpuMicros(tree);
  const spread = job.clients > CLIENTS_PER_SOURCE_ADDRESS;
  let failed = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const peers = await mapBounded(job.clients, job.concurrency, async (i) => {
    const localAddress = spread ? `127.0.0.${1 + Math.floor(i / CLIENTS_PER_SOURCE_ADDRESS)}` : undefined;
    try {
      return await connect({ port: job.port, name: `c${i}`, ...(localAddress ? { localAddress } : {}) });
    } catch (error) {
      failed++;
      firstFailure ??= error instanceof Error ? error.message : String(error);
      return undefined;
    }
  });
  const connectSeconds = (performance.now() - started) / 1000;
  const cpuAfter = readTreeCpuMicros(tree);
  // RSS is read after a settle period so that buffers the connect burst freed can return to the allocator.
  await new Promise((r) => setTimeout(r, job.settleMs));
  const rssAfterBytes = readTreeRssBytes(tree);
  const connected = peers.filter((p): p is SignalingPeer => p !== undefined);
  for (const peer of connected) peer.close();
  return {
    workload: 'capacity',
    clients: connected.length,
    failed,
    ...(firstFailure === undefined ? {} : { firstFailure }),
    rssBeforeBytes,
    rssAfterBytes,
    rssPerConnectionBytes: (rssAfterBytes - rssBeforeBytes) / Math.max(1, connected.length),
    serverCpuUsPerConnect: (cpuAfter - cpuBefore) / Math.max(1, connected.length),
    connectSeconds,
  };
}
