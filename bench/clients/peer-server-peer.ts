/**
 * Client of PeerServer speaking the PeerJS wire protocol as peerjs 1.5.5 does (shared/reference/peers.md
 * §3.1): register with key/id/token in the URL, wait for OPEN, send OFFER for SDP and CANDIDATE for
 * candidates with `dst`, and a HEARTBEAT every 5 s like the PeerJS client's default `pingInterval`.
 */
import { randomBytes } from 'node:crypto';
import type { ConnectPeer, SignalingPeer } from './signaling-peer.js';
import { openSocket } from './open-socket.js';
import { payloadKind } from '../harness/signal-payloads.js';

const HEARTBEAT_INTERVAL_MS = 5_000;

export const connectPeerServerPeer: ConnectPeer = async ({ port, name, localAddress }) => {
  const token = randomBytes(6).toString('hex');
  const url = `ws://127.0.0.1:${port}/peerjs?key=peerjs&id=${encodeURIComponent(name)}&token=${token}&version=1.5.5`;
  const socket = await openSocket(url, localAddress);
  const type = await socket.next((text) => (JSON.parse(text) as { type: string }).type, 'OPEN');
  if (type !== 'OPEN') {
    socket.terminate();
    throw new Error(`PeerServer answered ${type} instead of OPEN`);
  }
  const heartbeat = setInterval(() => socket.send('{"type":"HEARTBEAT"}'), HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();
  let errors = 0;
  const peer: SignalingPeer = {
    address: name,
    get errors() {
      return errors;
    },
    onData: () => undefined,
    send(to, n, payloadJson) {
      const kind = payloadKind(n) === 'sdp' ? 'OFFER' : 'CANDIDATE';
      socket.send(`{"type":"${kind}","dst":"${to}","payload":${payloadJson}}`);
    },
    close() {
      clearInterval(heartbeat);
      socket.terminate();
    },
  };
  socket.onFrame = (text) => {
    const message = JSON.parse(text) as { type: string; payload?: unknown };
    if (message.type === 'OFFER' || message.type === 'CANDIDATE' || message.type === 'ANSWER') {
      peer.onData(message.payload);
    } else if (message.type === 'ERROR' || message.type === 'EXPIRE' || message.type === 'LEAVE') {
      errors++;
    }
  };
  return peer;
};
