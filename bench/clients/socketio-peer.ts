/**
 * Client of the socket.io relay speaking Engine.IO v4 / Socket.IO v5 directly over `ws`, so the load
 * generator pays the same per-frame cost for every contender (socket.io-client would add its own
 * overhead to the generator's core, not to the server's). Frames: `0{…}` open, `40{auth}` connect, `40{sid}`
 * connected, `42["signal",{…}]` events, `2`/`3` ping/pong.
 */
import type { ConnectPeer, SignalingPeer } from './signaling-peer.js';
import { openSocket } from './open-socket.js';

export const connectSocketIoPeer: ConnectPeer = async ({ port, name, localAddress }) => {
  const socket = await openSocket(
    `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`,
    localAddress,
  );
  const opened = socket.next((text) => (text.startsWith('0') ? text : undefined), 'engine.io open');
  await opened;
  socket.send(`40${JSON.stringify({ id: name })}`);
  const connected = await socket.next(
    (text) => (text.startsWith('40') || text.startsWith('44') ? text : undefined),
    'socket.io connect',
  );
  if (connected.startsWith('44')) {
    socket.terminate();
    throw new Error(`socket.io refused the connection: ${connected}`);
  }
  const peer: SignalingPeer = {
    address: name,
    errors: 0,
    onData: () => undefined,
    send(to, _n, payloadJson) {
      socket.send(`42["signal",{"to":"${to}","data":${payloadJson}}]`);
    },
    close() {
      socket.terminate();
    },
  };
  socket.onFrame = (text) => {
    if (text === '2') {
      socket.send('3'); // engine.io heartbeat: the server pings, the client answers
    } else if (text.startsWith('42')) {
      const [, message] = JSON.parse(text.slice(2)) as [string, { data: unknown }];
      peer.onData(message.data);
    }
  };
  return peer;
};
