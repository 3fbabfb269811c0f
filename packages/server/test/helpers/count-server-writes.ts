import type { Socket } from 'node:net';
import type { StartedServer } from '@switchboard/testing';

/** Count the writes the server makes to the next TCP connection it accepts (each is one syscall or more). */
export function countServerWrites(started: StartedServer): { count: number } {
  const counter = { count: 0 };
  started.server.httpServer.once('connection', (socket: Socket) => {
    const write = socket._write.bind(socket);
    socket._write = (chunk: unknown, encoding: BufferEncoding, callback) => {
      counter.count += 1;
      write(chunk, encoding, callback);
    };
    const writev = socket._writev?.bind(socket);
    if (writev === undefined) return;
    socket._writev = (chunks, callback) => {
      counter.count += 1;
      writev(chunks, callback);
    };
  });
  return counter;
}
