/**
 * A WebSocket client written on a bare TCP socket, for the fault tests that need to misbehave below the
 * WebSocket library: never answer pings (a half-open peer), stop reading (a slow consumer), or reset the
 * connection (RST) instead of closing it. It speaks just enough RFC 6455: the upgrade, masked text frames
 * out, and unmasked frames in.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** One frame from the server. */
export interface ServerFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

export class RawTcpWebSocket {
  readonly socket: Socket;
  readonly frames: ServerFrame[] = [];
  /** Resolves when the TCP connection ends, whoever ends it. */
  readonly ended: Promise<void>;
  #buffer = Buffer.alloc(0);
  #listeners = new Set<() => void>();

  private constructor(socket: Socket) {
    this.socket = socket;
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  /** Connect and complete the upgrade; resolves once the 101 response has been read. */
  static async open(port: number, path = '/'): Promise<RawTcpWebSocket> {
    const socket = connect({ host: '127.0.0.1', port });
    const client = new RawTcpWebSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => {
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        socket.off('data', onData);
        const status = head.subarray(0, head.indexOf('\r\n')).toString();
        if (!status.includes(' 101 ')) {
          reject(new Error(`upgrade refused: ${status}`));
          return;
        }
        socket.on('data', (data: Buffer) => client.#onData(data));
        if (head.length > end + 4) client.#onData(head.subarray(end + 4));
        resolve();
      };
      socket.on('data', onData);
      socket.once('error', reject);
    });
    return client;
  }

  /** Send one masked text frame (clients must mask, RFC 6455 §5.3). */
  sendText(text: string): void {
    const payload = Buffer.from(text);
    const mask = randomBytes(4);
    let header: Buffer;
    if (payload.length < 126) header = Buffer.from([0x81, 0x80 | payload.length]);
    else if (payload.length < 65_536) {
      header = Buffer.alloc(4);
      header.writeUInt8(0x81, 0);
      header.writeUInt8(0x80 | 126, 1);
      header.writeUInt16BE(payload.length, 2);
    } else {
      header = Buffer.alloc(10);
      header.writeUInt8(0x81, 0);
      header.writeUInt8(0x80 | 127, 1);
      header.writeBigUInt64BE(BigInt(payload.length), 2);
    }
    const masked = Buffer.alloc(payload.length);
    for (let i = 0; i < payload.length; i += 1) masked[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  /** The JSON text frames received so far. */
  get messages(): Record<string, unknown>[] {
    return this.frames
      .filter((f) => f.opcode === 1)
      .map((f) => JSON.parse(f.payload.toString()) as Record<string, unknown>);
  }

  /** Resolve when a received text frame matches; rejects after `timeoutMs`. */
  async waitFor(
    predicate: (message: Record<string, unknown>) => boolean,
    timeoutMs = 5000,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.messages.find(predicate);
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** The close frame's code, if the server sent one. */
  get closeCode(): number | undefined {
    const close = this.frames.find((f) => f.opcode === 8);
    return close === undefined || close.payload.length < 2 ? undefined : close.payload.readUInt16BE(0);
  }

  #onData(data: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, data]);
    for (;;) {
      const frame = this.#parseOne();
      if (frame === undefined) break;
      this.frames.push(frame);
    }
    for (const listener of [...this.#listeners]) listener();
  }

  /** Server frames are unmasked; fragmented messages are not used by the server. */
  #parseOne(): ServerFrame | undefined {
    const buffer = this.#buffer;
    if (buffer.length < 2) return undefined;
    const opcode = buffer.readUInt8(0) & 0x0f;
    let length = buffer.readUInt8(1) & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buffer.length < 4) return undefined;
      length = buffer.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buffer.length < 10) return undefined;
      length = Number(buffer.readBigUInt64BE(2));
      offset = 10;
    }
    if (buffer.length < offset + length) return undefined;
    const payload = buffer.subarray(offset, offset + length);
    this.#buffer = buffer.subarray(offset + length);
    return { opcode, payload };
  }
}
