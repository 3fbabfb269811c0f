/** The protocol adapter for each contender, by the contender's protocol name. */
import type { ConnectPeer } from './signaling-peer.js';
import { connectPeerServerPeer } from './peer-server-peer.js';
import { connectSocketIoPeer } from './socketio-peer.js';
import { connectSwitchboardPeer } from './switchboard-peer.js';
import { connectWsRelayPeer } from './ws-relay-peer.js';

/** The wire protocols the load generator speaks. */
export type ProtocolName = 'switchboard' | 'peerjs' | 'socketio' | 'ws-relay';

const ADAPTERS: Record<ProtocolName, ConnectPeer> = {
  switchboard: connectSwitchboardPeer,
  peerjs: connectPeerServerPeer,
  socketio: connectSocketIoPeer,
  'ws-relay': connectWsRelayPeer,
};

/** The adapter that speaks `protocol`. */
export function connectPeerFor(protocol: ProtocolName): ConnectPeer {
  return ADAPTERS[protocol];
}
