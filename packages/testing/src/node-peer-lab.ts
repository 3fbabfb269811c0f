/**
 * The per-test set-up of Node-peer suites: a real server on port 0 and Node peers (createNodePeer) joined
 * to one room, all closed after each test, peers first.
 *
 * @example
 * const lab = nodePeerLab();
 * afterEach(() => lab.close());
 * const [a, b] = await lab.pair();
 */
import type { ServerOptions } from '@switchboard/server';
import { createNodePeer, type NodePeer, type NodePeerOptions } from './node-peer.js';
import { startServer, type StartedServer } from './start-server.js';

/** Options of a lab peer: everything but where it connects. */
export type LabPeerOptions = Partial<Omit<NodePeerOptions, 'url'>>;

/** Servers and peers of the current test. */
export interface NodePeerLab {
  /** Starts a server for this test; closed by `close()` (closing it earlier is fine). */
  startServer(options?: Partial<ServerOptions>): Promise<StartedServer>;
  /** A peer on the server started last, in room `lab` unless `options.room` says otherwise. */
  peer(nickname: string, options?: LabPeerOptions): Promise<NodePeer>;
  /** A server and two peers on it, `ada` and `bob`, with the same options. */
  pair(options?: LabPeerOptions): Promise<[NodePeer, NodePeer, StartedServer]>;
  /** Closes every peer, then every server. */
  close(): Promise<void>;
}

/** A lab for one test file; call `close()` in `afterEach`. */
export function nodePeerLab(): NodePeerLab {
  const peers: NodePeer[] = [];
  const servers: StartedServer[] = [];
  const lab: NodePeerLab = {
    async startServer(options = {}) {
      const started = await startServer(options);
      let closing: Promise<void> | undefined;
      const once = { ...started, close: () => (closing ??= started.close()) };
      servers.push(once);
      return once;
    },
    async peer(nickname, options = {}) {
      const server = servers.at(-1);
      if (server === undefined) throw new Error('nodePeerLab: start a server first');
      const created = await createNodePeer({ room: 'lab', nickname, ...options, url: server.url });
      peers.push(created);
      return created;
    },
    async pair(options = {}) {
      const server = await lab.startServer();
      const a = await lab.peer('ada', options);
      const b = await lab.peer('bob', options);
      return [a, b, server];
    },
    async close() {
      for (const peer of peers.splice(0)) await peer.close();
      for (const server of servers.splice(0)) await server.close();
    },
  };
  return lab;
}
