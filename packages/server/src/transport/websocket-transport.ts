/**
 * The only module that imports the WebSocket library (`ws`). It accepts upgrades on the HTTP server,
 * refuses what must be refused before a socket exists (draining, too many connections from one IP), caps
 * frame size inside ws itself (so oversize frames are never buffered whole), and keeps sockets honest with
 * ping/pong: a socket that has not answered the previous ping when the next one is due is terminated, so a
 * dead client is noticed within two `pingIntervalMs` (10 s by default).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { ErrorCode } from '@switchboard/protocol';
import type { AuthRequest } from '../auth/authenticator.js';
import { OriginAllowList } from '../auth/origin-allow-list.js';
import { readUpgradeToken } from '../auth/upgrade-token.js';
import { resolveClientAddress, type TrustProxy } from '../edge/client-address.js';
import type { PeerSocket, PeerSocketHandler } from './peer-socket.js';

/** Options of the transport (a subset of the server options). */
export interface WebSocketTransportOptions {
  readonly maxFrameBytes: number;
  readonly maxConnectionsPerIp: number;
  /** Proxy hops whose `X-Forwarded-For` entries are believed (edge/client-address.ts). @default false */
  readonly trustProxy?: TrustProxy;
  /** Origins allowed to upgrade; undefined allows any. @default undefined */
  readonly allowedOrigins?: readonly string[] | undefined;
  readonly pingIntervalMs: number;
}

/** What the transport needs from the server. */
export interface WebSocketTransportHost {
  /** New connections are refused while draining. */
  readonly isDraining: boolean;
  /** A socket is open: return who handles its frames. */
  accept(socket: PeerSocket, auth: AuthRequest): PeerSocketHandler;
  /** A refusal or limit hit happened at the transport level. */
  countError(code: ErrorCode): void;
}

/**
 * Frames above `maxFrameBytes` but below this multiple of it are read and answered with FRAME_TOO_LARGE
 * (the socket survives); above it ws closes the socket (1009) without buffering the frame.
 */
const HARD_FRAME_FACTOR = 2;
/** How long a closing socket may take to finish the close handshake before it is destroyed. */
const CLOSE_TIMEOUT_MS = 2_000;

class WsPeerSocket implements PeerSocket {
  readonly remoteAddress: string;
  /** Whether a pong (or any frame) arrived since the last ping. */
  isAlive = true;
  readonly #ws: WebSocket;
  /** The TCP (or TLS) stream under `#ws`, corked while frames of one tick are sent. */
  readonly #stream: Duplex;
  #isCorked = false;
  /** Bound once: every tick that sends schedules it, and it must not cost a closure each time. */
  readonly #uncork = (): void => {
    this.#isCorked = false;
    this.#stream.uncork();
  };

  constructor(ws: WebSocket, stream: Duplex, remoteAddress: string) {
    this.#ws = ws;
    this.#stream = stream;
    this.remoteAddress = remoteAddress;
  }

  get bufferedBytes(): number {
    return this.#ws.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  send(text: string): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    // The frames sent in one tick (a burst of relayed signals, a replay) leave in one write, not one
    // syscall each: writes were the largest cost of the relay path. Uncorked before any I/O callback runs.
    if (!this.#isCorked) {
      this.#isCorked = true;
      this.#stream.cork();
      process.nextTick(this.#uncork);
    }
    this.#ws.send(text);
  }

  close(code: number, reason: string): void {
    if (this.#ws.readyState !== WebSocket.OPEN && this.#ws.readyState !== WebSocket.CONNECTING) return;
    this.#ws.close(code, reason);
    setTimeout(() => this.#ws.terminate(), CLOSE_TIMEOUT_MS).unref();
  }

  terminate(): void {
    this.#ws.terminate();
  }

  ping(): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.ping();
  }
}

export class WebSocketTransport {
  readonly #wss: WebSocketServer;
  readonly #origins: OriginAllowList | undefined;
  readonly #options: WebSocketTransportOptions;
  readonly #host: WebSocketTransportHost;
  readonly #sockets = new Set<WsPeerSocket>();
  readonly #perIp = new Map<string, number>();
  readonly #pingTimer: NodeJS.Timeout;
  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void =>
    this.#upgrade(request, socket, head);
  readonly #server: Server;

  constructor(server: Server, options: WebSocketTransportOptions, host: WebSocketTransportHost) {
    this.#server = server;
    this.#options = options;
    this.#origins =
      options.allowedOrigins === undefined ? undefined : new OriginAllowList(options.allowedOrigins);
    this.#host = host;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameBytes * HARD_FRAME_FACTOR,
      perMessageDeflate: false,
      clientTracking: false,
    });
    server.on('upgrade', this.#onUpgrade);
    this.#pingTimer = setInterval(() => this.#heartbeat(), options.pingIntervalMs);
    this.#pingTimer.unref();
  }

  /** Open sockets. */
  get size(): number {
    return this.#sockets.size;
  }

  /** Stop accepting upgrades and pinging; destroy any socket still open. */
  close(): void {
    this.#server.off('upgrade', this.#onUpgrade);
    clearInterval(this.#pingTimer);
    for (const socket of this.#sockets) socket.terminate();
    this.#wss.close();
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const remoteAddress = resolveClientAddress(
      request.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      this.#options.trustProxy ?? false,
    );
    if (this.#origins !== undefined && !this.#origins.isAllowed(request.headers.origin)) {
      refuse(socket, 403, 'ORIGIN_FORBIDDEN');
      this.#host.countError('ORIGIN_FORBIDDEN');
      return;
    }
    if (this.#host.isDraining) {
      refuse(socket, 503, 'SERVER_DRAINING');
      this.#host.countError('SERVER_DRAINING');
      return;
    }
    const held = this.#perIp.get(remoteAddress) ?? 0;
    if (held >= this.#options.maxConnectionsPerIp) {
      refuse(socket, 429, 'TOO_MANY_CONNECTIONS');
      this.#host.countError('TOO_MANY_CONNECTIONS');
      return;
    }
    this.#perIp.set(remoteAddress, held + 1);
    const auth: AuthRequest = {
      token: readUpgradeToken(request.headers.authorization, request.url),
      remoteAddress,
      origin: request.headers.origin,
    };
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#open(ws, socket, auth));
  }

  #open(ws: WebSocket, stream: Duplex, auth: AuthRequest): void {
    const socket = new WsPeerSocket(ws, stream, auth.remoteAddress);
    this.#sockets.add(socket);
    const handler = this.#host.accept(socket, auth);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      socket.isAlive = true;
      handler.onFrame(data, isBinary);
    });
    ws.on('pong', () => {
      socket.isAlive = true;
    });
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes the socket itself after a protocol error; an oversize frame is the one we count.
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.#host.countError('FRAME_TOO_LARGE');
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.#sockets.delete(socket);
      const left = (this.#perIp.get(auth.remoteAddress) ?? 1) - 1;
      if (left <= 0) this.#perIp.delete(auth.remoteAddress);
      else this.#perIp.set(auth.remoteAddress, left);
      handler.onClose(code, reason.toString());
    });
  }

  #heartbeat(): void {
    for (const socket of this.#sockets) {
      if (!socket.isAlive) {
        socket.terminate();
        continue;
      }
      socket.isAlive = false;
      socket.ping();
    }
  }
}

/** Answer an upgrade with a plain HTTP refusal; the body and a header carry the error code. */
function refuse(socket: Duplex, status: number, code: ErrorCode): void {
  const reason = status === 429 ? 'Too Many Requests' : status === 403 ? 'Forbidden' : 'Service Unavailable';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nX-Switchboard-Error: ${code}\r\nContent-Length: ${code.length}\r\n\r\n${code}`,
  );
}
