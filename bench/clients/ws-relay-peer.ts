/** Client of the minimal ws relay (contenders/ws-relay.ts): `/?id=` then `{"to","data"}` both ways. */
import type { ConnectPeer, SignalingPeer } from './signaling-peer.js';
import { openSocket } from './open-socket.js';

export const connectWsRelayPeer: ConnectPeer = async ({ port, name, localAddress }) => {
  const socket = await openSocket(`ws://127.0.0.1:${port}/?id=${encodeURIComponent(name)}`, localAddress);
  const peer: SignalingPeer = {
    address: name,
    errors: 0,
    onData: () => undefined,
    send(to, _n, payloadJson) {
      socket.send(`{"to":"${to}","data":${payloadJson}}`);
    },
    close() {
      socket.terminate();
    },
  };
  socket.onFrame = (text) => peer.onData((JSON.parse(text) as { data: unknown }).data);
  return peer;
};
