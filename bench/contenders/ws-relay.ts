/**
 * The minimal `ws` relay: the practical floor for a Node signaling server (issue 7). A Map from id to socket;
 * each frame is parsed once to read `to` and the ORIGINAL bytes are forwarded, with no validation, no
 * sender stamp, no acknowledgement and no buffering for absent peers. Anything a real server adds is
 * measured as a ratio against this.
 *
 * Client protocol: connect to `/?id=<id>`, send `{"to":"<id>","data":…}`, receive the same frame.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { announceListening, readListenArgs } from './listen-args.js';

const { port, host } = readListenArgs();
const peers = new Map<string, WebSocket>();
const wss = new WebSocketServer({ port, host });

wss.on('connection', (socket, request) => {
  const id = new URL(request.url ?? '/', 'http://relay').searchParams.get('id');
  if (id === null) {
    socket.close(1008, 'id required');
    return;
  }
  peers.set(id, socket);
  socket.on('message', (raw, isBinary) => {
    if (isBinary) return;
    let to: unknown;
    try {
      to = (JSON.parse((raw as Buffer).toString()) as { to?: unknown }).to;
    } catch {
      return; // a floor relay drops what it cannot read
    }
    if (typeof to === 'string') peers.get(to)?.send(raw, { binary: false });
  });
  socket.on('close', () => {
    if (peers.get(id) === socket) peers.delete(id);
  });
});

wss.on('listening', () => {
  const address = wss.address();
  announceListening(typeof address === 'object' && address !== null ? address.port : port);
});
process.on('SIGTERM', () => process.exit(0));
