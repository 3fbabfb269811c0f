/**
 * A minimal socket.io relay, written the way its tutorials do it: the client names itself in the handshake
 * `auth`, and a `signal` event `{to, data}` is emitted to the target socket. socket.io decodes and re-encodes
 * every packet; that is part of what choosing socket.io costs, so nothing here avoids it.
 */
import { createServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { announceListening, readListenArgs } from './listen-args.js';

const { port, host } = readListenArgs();
const httpServer = createServer();
// No CORS or polling tweaks beyond defaults: the load generator opens `transport=websocket` directly, which a
// default server accepts, so this is the out-of-the-box configuration.
const io = new Server(httpServer);
const peers = new Map<string, Socket>();

io.on('connection', (socket) => {
  const id = (socket.handshake.auth as { id?: unknown }).id;
  if (typeof id !== 'string') {
    socket.disconnect(true);
    return;
  }
  peers.set(id, socket);
  socket.on('signal', (message: { to?: unknown }) => {
    if (typeof message.to === 'string') peers.get(message.to)?.emit('signal', message);
  });
  socket.on('disconnect', () => {
    if (peers.get(id) === socket) peers.delete(id);
  });
});

httpServer.listen(port, host, () => {
  const address = httpServer.address();
  announceListening(typeof address === 'object' && address !== null ? address.port : port);
});
process.on('SIGTERM', () => process.exit(0));
