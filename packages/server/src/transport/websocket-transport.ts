/**
 * The only module that imports the WebSocket library (`ws`). It accepts upgrades on the HTTP server,
 * refuses what must be refused before a socket exists (draining, too many connections from one IP), caps
 * frame size inside ws itself (so oversize frames are never buffered whole), and keeps sockets honest with
 * ping/pong: a socket that leaves a ping unanswered for `pongTimeoutMs` is terminated, so a dead client is
 * noticed within `pingIntervalMs + pongTimeoutMs` (14 s by default; ping-wheel.ts).
 *
 * The token of the upgrade (`Authorization: Bearer` or `?access_token=`) is verified here, before any
 * session state exists. A refused token is answered by completing the upgrade and closing at once with an
 * `error` frame and the close code of its error (docs/adr/0007-authenticate-at-upgrade.md): a browser
 * cannot read the HTTP status of a refused upgrade, so that is the one way every client learns the code.
 * An Origin that is not on the allow-list is refused the same way (ORIGIN_FORBIDDEN, close 4003), without
 * running the authenticator.
 *
 * A client may say hello in the upgrade's URL (`?v=1`, docs/adr/0015-hello-in-the-upgrade-url.md). Then the
 * session is started as the upgrade completes, and the socket stays corked from the 101 response until the
 * turn's flush writes the welcome, so both leave in one write: no hello frame to read and decode, one
 * syscall fewer, and half a round trip less for the client.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { CLOSE_CODES, PROTOCOL_VERSION, type ErrorCode, type HelloMessage } from '@switchboard/protocol';
import { authCloseCode } from '../auth/auth-close-code.js';
import type { SafeAuthResult } from '../auth/authenticate-safely.js';
import type { AuthRequest, Principal } from '../auth/authenticator.js';
import { OriginAllowList } from '../auth/origin-allow-list.js';
import { readUpgradeQuery, upgradeToken } from '../auth/upgrade-token.js';
import { resolveClientAddress, type TrustProxy } from '../edge/client-address.js';
import { asciiTextFrame } from './ascii-text-frame.js';
import { flushAtTurnEnd, type TurnEndFlushable } from './flush-at-turn-end.js';
import type { PeerSocket, PeerSocketHandler } from './peer-socket.js';
import { PingWheel, type Pingable } from './ping-wheel.js';

/** Options of the transport (a subset of the server options). */
export interface WebSocketTransportOptions {
  readonly maxFrameBytes: number;
  readonly maxConnectionsPerIp: number;
  /** Proxy hops whose `X-Forwarded-For` entries are believed (edge/client-address.ts). @default false */
  readonly trustProxy?: TrustProxy;
  /** Origins allowed to upgrade; undefined allows any. @default undefined */
  readonly allowedOrigins?: readonly string[] | undefined;
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
}

/** What the transport needs from the server. */
export interface WebSocketTransportHost {
  /** New connections are refused while draining. */
  readonly isDraining: boolean;
  /** Verify the credentials of an upgrade (never rejects: a faulty authenticator gives INTERNAL_ERROR). */
  authenticate(auth: AuthRequest): Promise<SafeAuthResult>;
  /**
   * The same answer without a promise, when the authenticator can give it now (the anonymous one);
   * `undefined` to go through `authenticate`. Never throws.
   */
  authenticateNow?(auth: AuthRequest): SafeAuthResult | undefined;
  /**
   * A socket is open: return who handles its frames. `principal` is what the upgrade's credentials were
   * admitted as, so `hello` need not verify them again; `urlHello` is the hello of the upgrade's URL, if any.
   */
  accept(
    socket: PeerSocket,
    auth: AuthRequest,
    principal: Principal,
    urlHello: HelloMessage | undefined,
  ): PeerSocketHandler;
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
/** The URL hello of this protocol version, shared by every connection that says it. */
const URL_HELLO: HelloMessage = Object.freeze({ type: 'hello', v: PROTOCOL_VERSION });
/** A `v` the server can read as a version at all; others are refused before a connection exists. */
const VERSION_DIGITS = /^[0-9]{1,6}$/;

/** An upgrade completed only to be closed at once: the error frame and the close code. */
interface UpgradeRefusal {
  readonly code: ErrorCode;
  readonly message: string;
  readonly closeCode: number;
}

/** Why the URL's hello (`v`, if any) is refused before a connection exists, or undefined. */
function urlHelloRefusal(version: string | undefined): UpgradeRefusal | undefined {
  if (version === undefined || VERSION_DIGITS.test(version)) return undefined;
  const message = `the URL's hello names no protocol version (v=${version.slice(0, 16)}); use ${PROTOCOL_VERSION}`;
  return { code: 'UNSUPPORTED_VERSION', message, closeCode: CLOSE_CODES.PROTOCOL_ERROR };
}

/** The hello the URL said (`v` already checked), if it said one; the session's handshake checks the version. */
function urlHello(version: string | undefined): HelloMessage | undefined {
  if (version === undefined) return undefined;
  const v = Number(version);
  return v === PROTOCOL_VERSION ? URL_HELLO : { type: 'hello', v };
}

/** Where an open `ws` socket keeps its `WsPeerSocket`, so that one set of listeners serves every socket. */
const PEER_SOCKET = Symbol('peerSocket');
type WebSocketWithPeer = WebSocket & { [PEER_SOCKET]?: WsPeerSocket };

function onWsMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  const socket = (this as WebSocketWithPeer)[PEER_SOCKET];
  if (socket === undefined) return;
  socket.isAlive = true;
  socket.handler?.onFrame(data, isBinary);
}

function onWsPong(this: WebSocket): void {
  const socket = (this as WebSocketWithPeer)[PEER_SOCKET];
  if (socket !== undefined) socket.isAlive = true;
}

class WsPeerSocket implements PeerSocket, Pingable, TurnEndFlushable {
  readonly remoteAddress: string;
  /** Whether a pong (or any frame) arrived since the last ping. */
  isAlive = true;
  /** Its slot on the transport's `PingWheel`. */
  pingSlot = 0;
  /** Who handles this socket's frames; set right after the server accepts it. */
  handler: PeerSocketHandler | undefined = undefined;
  readonly #ws: WebSocket;
  /** The TCP (or TLS) stream under `#ws`; corked from the upgrade until the first flush (`adoptCork`). */
  readonly #stream: Duplex;
  #isCorked = false;
  /** This turn's frames, header included, as one Latin-1 string; undefined when none waits. */
  #pending: string | undefined = undefined;

  constructor(ws: WebSocket, stream: Duplex, remoteAddress: string) {
    this.#ws = ws;
    this.#stream = stream;
    this.remoteAddress = remoteAddress;
  }

  get bufferedBytes(): number {
    return this.#ws.bufferedAmount + (this.#pending === undefined ? 0 : this.#pending.length);
  }

  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  send(text: string, isAscii = false): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    // The ASCII frames (signals, presence, acks: nearly all) are built as one string each, header included
    // (ascii-text-frame.ts), and wait for the end of the turn, so a turn's frames to this socket leave in
    // one write (flush-at-turn-end.ts, ADR 0022). Anything else goes through `ws` at once, after what waits,
    // so the order holds. ws's own frames (pings, pongs, close) may pass waiting frames: control frames may
    // be interleaved, and `close` writes what waits first.
    const frame = asciiTextFrame(text, isAscii);
    if (frame === undefined) {
      this.flushTurn();
      this.#ws.send(text);
    } else if (this.#pending === undefined) {
      this.#pending = frame;
      // A corked socket already has its flush queued (adoptCork).
      if (!this.#isCorked) flushAtTurnEnd(this);
    } else {
      this.#pending += frame;
    }
  }

  /**
   * The stream was corked before the upgrade (see `#open`): keep it so until this turn's flush, so the 101
   * response and the frames sent before it (the welcome of a URL hello) leave in one write.
   */
  adoptCork(): void {
    this.#isCorked = true;
    flushAtTurnEnd(this);
  }

  /** Write the frames this turn's `send`s left, and lift the upgrade's cork (flush-at-turn-end.ts). */
  flushTurn(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    // Frames after a close frame would break the protocol; a socket that is closing keeps its session's
    // frames in the outbox, for a resume.
    if (pending !== undefined && this.#ws.readyState === WebSocket.OPEN)
      this.#stream.write(pending, 'latin1');
    if (this.#isCorked) {
      this.#isCorked = false;
      this.#stream.uncork();
    }
  }

  close(code: number, reason: string): void {
    if (this.#ws.readyState !== WebSocket.OPEN && this.#ws.readyState !== WebSocket.CONNECTING) return;
    this.flushTurn();
    this.#ws.close(code, reason);
    setTimeout(() => this.#ws.terminate(), CLOSE_TIMEOUT_MS).unref();
  }

  terminate(): void {
    this.flushTurn();
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
  /** The open sockets, and their heartbeat. */
  readonly #sockets: PingWheel<WsPeerSocket>;
  readonly #perIp = new Map<string, number>();
  /** The per-IP key each upgrading or open socket holds a slot under (see #onSocketClose). */
  readonly #slotOf = new WeakMap<Duplex, string>();
  /**
   * One close listener shared by every socket. A closure per socket would cost memory for the socket's whole
   * life, and, sharing its context with the upgrade's other closures, it kept the upgrade request (headers
   * and all, about 1.5 KB) alive for as long as the session lived.
   */
  readonly #onSocketClose: (this: Duplex) => void;
  /** The ws listeners are shared by every socket too (ws calls them with the socket as `this`). */
  readonly #onWsError: (this: WebSocket, error: Error & { code?: string }) => void;
  readonly #onWsClose: (this: WebSocket, code: number, reason: Buffer) => void;
  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void =>
    this.#upgrade(request, socket, head);
  readonly #server: Server;
  #isClosed = false;

  constructor(server: Server, options: WebSocketTransportOptions, host: WebSocketTransportHost) {
    this.#server = server;
    this.#options = options;
    this.#origins =
      options.allowedOrigins === undefined ? undefined : new OriginAllowList(options.allowedOrigins);
    this.#host = host;
    const slotOf = this.#slotOf;
    const release = (key: string): void => this.#release(key);
    this.#onSocketClose = function (this: Duplex): void {
      const key = slotOf.get(this);
      if (key === undefined) return;
      slotOf.delete(this);
      release(key);
    };
    this.#onWsError = function (this: WebSocket, error: Error & { code?: string }): void {
      // ws closes the socket itself after a protocol error; an oversize frame is the one we count.
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') host.countError('FRAME_TOO_LARGE');
    };
    const sockets = (this.#sockets = new PingWheel(options.pingIntervalMs, options.pongTimeoutMs));
    this.#onWsClose = function (this: WebSocket, code: number, reason: Buffer): void {
      const socket = (this as WebSocketWithPeer)[PEER_SOCKET];
      if (socket === undefined) return;
      sockets.delete(socket);
      socket.handler?.onClose(code, reason.toString());
    };
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameBytes * HARD_FRAME_FACTOR,
      perMessageDeflate: false,
      clientTracking: false,
    });
    server.on('upgrade', this.#onUpgrade);
  }

  /** Open sockets. */
  get size(): number {
    return this.#sockets.size;
  }

  /** Stop accepting upgrades and pinging; destroy any socket still open. */
  close(): void {
    this.#isClosed = true;
    this.#server.off('upgrade', this.#onUpgrade);
    this.#sockets.stop();
    for (const socket of this.#sockets) socket.terminate();
    this.#wss.close();
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const remoteAddress = resolveClientAddress(
      request.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      this.#options.trustProxy ?? false,
    );
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
    // The slot is released when the TCP socket closes, in this one place: ws destroys a malformed upgrade
    // (a bad Sec-WebSocket-Key, say) without ever calling back, so releasing on the WebSocket's close would
    // leak the slot and let a few bad requests lock an address (or, behind a proxy, everyone) out.
    this.#slotOf.set(socket, remoteAddress);
    socket.on('close', this.#onSocketClose);
    // Checked after the drain and per-IP refusals, which stay HTTP errors (ADR 0007 addendum), so a refused
    // origin holds a per-IP slot until its socket closes and cannot be used to open sockets without bound.
    if (this.#origins !== undefined && !this.#origins.isAllowed(request.headers.origin)) {
      this.#refuseUpgrade(request, socket, head, {
        code: 'ORIGIN_FORBIDDEN',
        message: 'the Origin of this page is not on the allow-list of the server',
        closeCode: CLOSE_CODES.FORBIDDEN,
      });
      return;
    }
    const query = readUpgradeQuery(request.url);
    const auth: AuthRequest = {
      token: upgradeToken(request.headers.authorization, query.token),
      remoteAddress,
      origin: request.headers.origin,
    };
    const helloVersion = query.helloVersion;
    // An authenticator that can answer at once (the anonymous one) is not given a promise: the upgrade,
    // and on an in-process bus the whole handshake, then complete in this event, with no microtask hop.
    const now = this.#host.authenticateNow?.(auth);
    if (now !== undefined) {
      this.#admitUpgrade(request, socket, head, auth, helloVersion, now);
      return;
    }
    // The slot is held while the authenticator runs, so the per-IP cap also bounds pending verifications.
    void this.#host.authenticate(auth).then((result) => {
      this.#admitUpgrade(request, socket, head, auth, helloVersion, result);
    });
  }

  /** The authenticator answered: refuse the upgrade, or complete it and open the connection. */
  #admitUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    auth: AuthRequest,
    helloVersion: string | undefined,
    result: SafeAuthResult,
  ): void {
    if (this.#isClosed || !socket.readable || !socket.writable || this.#host.isDraining) {
      // Gone (or draining) meanwhile: destroying it releases the slot (its close event).
      socket.destroy();
      return;
    }
    if (!result.ok) {
      const { code, message } = result;
      this.#refuseUpgrade(request, socket, head, { code, message, closeCode: authCloseCode(code) });
      return;
    }
    const refusal = urlHelloRefusal(helloVersion);
    if (refusal !== undefined) {
      this.#refuseUpgrade(request, socket, head, refusal);
      return;
    }
    const hello = urlHello(helloVersion);
    // Corked until the tick ends: the 101 that handleUpgrade writes waits for the welcome (adoptCork).
    // A handshake that needs no I/O (in-process bus) writes the welcome before `handleUpgrade` returns.
    // One that waits (Redis) sends the 101 at the uncork and its welcome in a later write, as it must.
    if (hello !== undefined) socket.cork();
    const principal = result.principal;
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      this.#open(ws, socket, auth, principal, hello);
    });
  }

  /** Complete the upgrade only to refuse it (`#refuseOpen`): browsers can read a close code, not a status. */
  #refuseUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, refusal: UpgradeRefusal): void {
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      this.#refuseOpen(ws, refusal.code, refusal.message, refusal.closeCode);
    });
  }

  /** Tell an upgraded client why it was refused, then close; no session state is made. */
  #refuseOpen(ws: WebSocket, code: ErrorCode, message: string, closeCode: number): void {
    this.#host.countError(code);
    ws.on('error', () => undefined);
    ws.send(JSON.stringify({ type: 'error', code, message }));
    ws.close(closeCode, code);
    setTimeout(() => ws.terminate(), CLOSE_TIMEOUT_MS).unref();
  }

  #release(remoteAddress: string): void {
    const left = (this.#perIp.get(remoteAddress) ?? 1) - 1;
    if (left <= 0) this.#perIp.delete(remoteAddress);
    else this.#perIp.set(remoteAddress, left);
  }

  #open(
    ws: WebSocket,
    stream: Duplex,
    auth: AuthRequest,
    principal: Principal,
    urlHello: HelloMessage | undefined,
  ): void {
    const socket = new WsPeerSocket(ws, stream, auth.remoteAddress);
    if (urlHello !== undefined) socket.adoptCork();
    this.#sockets.add(socket);
    socket.handler = this.#host.accept(socket, auth, principal, urlHello);
    (ws as WebSocketWithPeer)[PEER_SOCKET] = socket;
    ws.on('message', onWsMessage);
    ws.on('pong', onWsPong);
    ws.on('error', this.#onWsError);
    ws.on('close', this.#onWsClose);
  }
}

/** Answer an upgrade with a plain HTTP refusal; the body and a header carry the error code. */
function refuse(socket: Duplex, status: number, code: ErrorCode): void {
  const reason = status === 429 ? 'Too Many Requests' : 'Service Unavailable';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nX-Switchboard-Error: ${code}\r\nContent-Length: ${code.length}\r\n\r\n${code}`,
  );
}
