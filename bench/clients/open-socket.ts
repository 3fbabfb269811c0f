/**
 * Opening a `ws` client socket the same way for every contender: no permessage-deflate (no contender
 * server enables it, and offering it would cost the load generator for nothing), and bounded waits.
 *
 * Frames are captured from the moment the socket exists: a server that writes its first frame together
 * with the 101 response (PeerServer's OPEN, Engine.IO's open packet) has it delivered on a nextTick that runs
 * BEFORE the promise continuation of `open`, so a listener attached after `await open` would miss it.
 */
import WebSocket from 'ws';

/** How long any handshake step may take before the client counts as failed. */
export const HANDSHAKE_TIMEOUT_MS = 15_000;

/** A client socket whose text frames go to `onFrame`, or queue until someone listens. */
export class FrameSocket {
  readonly socket: WebSocket;
  #queue: string[] = [];
  #onFrame: ((text: string) => void) | undefined;

  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (raw: Buffer) => {
      const text = raw.toString();
      if (this.#onFrame) this.#onFrame(text);
      else this.#queue.push(text);
    });
  }

  /** Steady-state listener: receives queued frames first, then every new one. */
  set onFrame(listener: ((text: string) => void) | undefined) {
    this.#onFrame = listener;
    if (!listener) return;
    while (this.#queue.length > 0 && this.#onFrame === listener) listener(this.#queue.shift()!);
  }

  send(text: string): void {
    this.socket.send(text);
  }

  terminate(): void {
    this.socket.terminate();
  }

  /**
   * Resolve with the first frame `pick` maps to a value; frames it maps to `undefined` are dropped. For
   * handshakes only.
   */
  next<T>(pick: (text: string) => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`timed out waiting for ${what}`)),
        HANDSHAKE_TIMEOUT_MS,
      );
      const onClose = (code: number, reason: Buffer): void =>
        finish(new Error(`closed (${code} ${reason.toString()}) while waiting for ${what}`));
      const finish = (error: Error | undefined, value?: T): void => {
        clearTimeout(timer);
        this.socket.off('close', onClose);
        this.onFrame = undefined;
        if (error) reject(error);
        else resolve(value as T);
      };
      this.socket.on('close', onClose);
      this.onFrame = (text) => {
        const value = pick(text);
        if (value !== undefined) finish(undefined, value);
      };
    });
  }
}

/** Open a socket to `url` and resolve once it is open. */
export function openSocket(url: string, localAddress?: string): Promise<FrameSocket> {
  const socket = new WebSocket(url, {
    perMessageDeflate: false,
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    ...(localAddress === undefined ? {} : { localAddress }),
  });
  const frames = new FrameSocket(socket);
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined); // late errors surface as 'close'; an unhandled 'error' would crash
      resolve(frames);
    });
    socket.once('error', reject);
  });
}
