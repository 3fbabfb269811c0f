/**
 * PeerServer (npm `peer` 1.0.2), the broker behind PeerJS, started through its public `PeerServer()` entry
 * with library defaults, except `concurrent_limit`: its default of 5,000 clients would refuse the capacity
 * workload's 19,000 before measuring anything, so it is raised (an operator would do the same).
 *
 * Client protocol: `/peerjs?key=peerjs&id=<id>&token=<token>` → `{"type":"OPEN"}`; then
 * `{"type":"OFFER"|"ANSWER"|"CANDIDATE","dst":…,"payload":…}` relayed as `{type, src, dst, payload}`
 * (shared/reference/peers.md §3.1).
 */
import type { AddressInfo } from 'node:net';
import { PeerServer } from 'peer';
import { announceListening, readListenArgs } from './listen-args.js';

const { port, host } = readListenArgs();

PeerServer({ port, host, concurrent_limit: 25_000 }, (server) => {
  announceListening((server.address() as AddressInfo).port);
});
process.on('SIGTERM', () => process.exit(0));
