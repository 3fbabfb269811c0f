/**
 * One socket's protocol state machine: the edge where frames are rate-limited, decoded and validated once,
 * then handed to the session layer.
 *
 * States: `handshake` (only hello/resume allowed) -> `establishing` (hello/resume being processed; frames
 * that arrive meanwhile wait, bounded by the rate limit) -> `open` -> `closed`. A failed resume goes back to
 * `handshake`, so the client may say hello on the same socket. A client that said hello in the upgrade's
 * URL (`?v=1`, ADR 0015) starts in `establishing`, with no handshake timer: it owes the server no frame, and
 * a hello or resume frame from it is refused like one on an established socket.
 *
 * Order of checks for each frame: rate (cheapest, and the one that protects the rest), then size, UTF-8,
 * JSON, envelope and schema inside `decodeClientMessage`. A bad frame is answered with an `error` and the
 * socket stays open; only a sustained flood (more than `messageBurst` drops in a row) closes it.
 */
import {
  CLOSE_CODES,
  decodeClientMessage,
  type ClientMessage,
  type ClientRequest,
  type ErrorCode,
  type HelloMessage,
  type ResumeMessage,
} from '@switchboard/protocol';
import type { AuthRequest, Principal } from '../auth/authenticator.js';
import type { PeerSocket, PeerSocketHandler } from '../transport/peer-socket.js';
import type { MessageRateLimitPolicy, MessageRateLimiter } from '../transport/message-rate-limits.js';
import { TokenBucket } from '../transport/token-bucket.js';
import type { LocalSession } from './local-session.js';

/** What a connection needs from the session manager. */
export interface ConnectionHost {
  readonly maxFrameBytes: number;
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  readonly handshakeTimeoutMs: number;
  /** Limits per message type (join, token, ping...), checked once a message is decoded. */
  readonly messageRateLimits: MessageRateLimitPolicy;
  hello(connection: Connection, message: HelloMessage): Promise<void>;
  /**
   * Answer `hello` to the end without a promise, if it can be (nothing in it waits on I/O). Returns false,
   * having done nothing, when it cannot; then `hello` is called. Optional: a host without it uses `hello`.
   */
  helloNow?(connection: Connection, message: HelloMessage): boolean;
  resume(connection: Connection, message: ResumeMessage): Promise<void>;
  /** Run a client request (a signal's `data` is a `RawJson`: the relay forwards the client's text). */
  request(session: LocalSession, message: ClientRequest): void;
  /** A request frame that was refused at the edge (invalid or rate-limited): answer it as request `ref`. */
  refuseRequest(session: LocalSession, ref: number, code: ErrorCode, message: string): void;
  bye(session: LocalSession): void;
  closed(connection: Connection): void;
  /** Establishing a session failed unexpectedly (the bus is down, say): log it. */
  onEstablishError(connection: Connection, error: unknown): void;
  /** Count an error sent to a client (metrics). */
  countError(code: ErrorCode): void;
}

type State = 'handshake' | 'establishing' | 'open' | 'closed';

/** The relay only forwards a signal's `data`: keep it as the client's text, never parsed (raw-json.ts). */
const RAW_SIGNAL_DATA = { rawSignalData: true } as const;

export class Connection implements PeerSocketHandler {
  readonly socket: PeerSocket;
  /** The request facts at upgrade (token, address, origin), for the authenticator. */
  readonly auth: AuthRequest;
  /** What the upgrade's credentials were admitted as (the transport verified them before accepting). */
  readonly admitted: Principal;
  /** The session, once welcomed. */
  session: LocalSession | undefined;
  readonly #host: ConnectionHost;
  readonly #bucket: TokenBucket;
  readonly #typeLimits: MessageRateLimiter;
  #state: State = 'handshake';
  /** Frames that arrived while establishing (created then: most connections never need it). */
  #pending: { data: Uint8Array; isBinary: boolean }[] | undefined;
  #dropsInARow = 0;
  #handshakeTimer: NodeJS.Timeout | undefined;
  /** The hello the upgrade's URL carried, if the client said it there. */
  readonly #urlHello: HelloMessage | undefined;

  /**
   * @param urlHello the hello of the upgrade's URL (`?v=`), if any: call `start()` once the connection is
   * registered, and the session is established without a frame
   */
  constructor(
    host: ConnectionHost,
    socket: PeerSocket,
    auth: AuthRequest,
    admitted: Principal,
    urlHello?: HelloMessage,
  ) {
    this.#host = host;
    this.socket = socket;
    this.auth = auth;
    this.admitted = admitted;
    this.#urlHello = urlHello;
    this.#bucket = new TokenBucket(host.messagesPerSecond, host.messageBurst);
    this.#typeLimits = host.messageRateLimits.forConnection();
    if (urlHello !== undefined) return;
    this.#handshakeTimer = setTimeout(() => {
      if (this.#state === 'handshake')
        this.fail('HANDSHAKE_TIMEOUT', 'no hello or resume in time', CLOSE_CODES.HANDSHAKE_TIMEOUT);
    }, host.handshakeTimeoutMs);
  }

  /**
   * Establish the session the upgrade's URL said hello for, if it did. Separate from the constructor
   * because a refused hello closes the connection at once, and its owner must know the connection by then.
   */
  start(): void {
    if (this.#urlHello !== undefined && this.#state === 'handshake') this.#establish(this.#urlHello);
  }

  /** Whether a session has been welcomed on this socket. */
  get isEstablished(): boolean {
    return this.#state === 'open';
  }

  onFrame(data: Uint8Array, isBinary: boolean): void {
    if (this.#state === 'closed') return;
    if (!this.#bucket.take()) {
      this.#rateLimited(data, isBinary);
      return;
    }
    this.#dropsInARow = 0;
    if (this.#state === 'establishing') (this.#pending ??= []).push({ data, isBinary });
    else this.#handle(data, isBinary);
  }

  onClose(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#handshakeTimer);
    this.#pending = undefined;
    this.#host.closed(this);
  }

  /** The session was welcomed: process what arrived meanwhile. */
  established(session: LocalSession): void {
    if (this.#state === 'closed') return;
    clearTimeout(this.#handshakeTimer);
    // Let the timer (and its closure over this connection) be collected: 200 B per idle connection.
    this.#handshakeTimer = undefined;
    this.session = session;
    this.#state = 'open';
    this.#drainPending();
  }

  /** Send an unsequenced error. */
  sendError(code: ErrorCode, message: string, ref?: number): void {
    this.#host.countError(code);
    this.socket.send(
      JSON.stringify(
        ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref },
      ),
    );
  }

  /** Send an error, then close the socket with `closeCode` and the error code as reason. */
  fail(code: ErrorCode, message: string, closeCode: number): void {
    if (this.#state === 'closed') return;
    this.sendError(code, message);
    this.socket.close(closeCode, code);
    this.onClose();
  }

  #handle(data: Uint8Array, isBinary: boolean): void {
    if (isBinary) {
      this.sendError('INVALID_FRAME', 'binary frames are not accepted; send JSON text');
      return;
    }
    const decoded = decodeClientMessage(data, this.#host.maxFrameBytes, RAW_SIGNAL_DATA);
    if (!decoded.ok) {
      if (decoded.ref !== undefined && this.session !== undefined) {
        this.#host.refuseRequest(this.session, decoded.ref, decoded.code, decoded.message);
      } else {
        this.sendError(decoded.code, decoded.message, decoded.ref);
      }
      return;
    }
    this.#dispatch(decoded.message);
  }

  #dispatch(message: ClientMessage): void {
    const session = this.session;
    if (this.#state !== 'open' || session === undefined) {
      if (message.type !== 'hello' && message.type !== 'resume')
        this.sendError(
          'HELLO_REQUIRED',
          'send hello or resume first',
          'id' in message ? message.id : undefined,
        );
      else if (this.#urlHello === undefined) this.#establish(message);
      else this.#refuseSecondHello();
      return;
    }
    const limited = this.#typeLimits.take(message.type);
    if (limited !== undefined) {
      // Answered like a connection-level drop: a request by its ref, anything else with a plain error.
      const ref = requestId(message);
      if (ref === undefined) this.sendError('RATE_LIMITED', limited);
      else this.#host.refuseRequest(session, ref, 'RATE_LIMITED', limited);
      return;
    }
    switch (message.type) {
      case 'hello':
      case 'resume':
        this.#refuseSecondHello();
        return;
      case 'ack':
        session.acknowledge(message.seq);
        return;
      case 'ping':
        session.sendUnsequenced(
          message.t === undefined ? { type: 'pong' } : { type: 'pong', t: message.t },
          true,
        );
        return;
      case 'bye':
        this.#host.bye(session);
        return;
      default:
        if (message.ack !== undefined) session.acknowledge(message.ack);
        this.#host.request(session, message);
    }
  }

  /** A hello or resume on a socket that has (or, from its URL's hello, is getting) its session. */
  #refuseSecondHello(): void {
    this.sendError(
      'ALREADY_ESTABLISHED',
      this.#urlHello === undefined
        ? 'this socket already has a session'
        : 'this socket said hello in its URL (v=); send no hello or resume frame on it',
    );
  }

  #establish(message: HelloMessage | ResumeMessage): void {
    this.#state = 'establishing';
    if (message.type === 'hello' && this.#helloNow(message)) return;
    const step =
      message.type === 'hello' ? this.#host.hello(this, message) : this.#host.resume(this, message);
    // Methods, not `const` arrows: under tsx (how the bench and `npm start` without a build run the server)
    // esbuild names every `const` function with a defineProperty call, 2-3 % of a connect.
    step.then(
      () => this.#settled(),
      (error: unknown) => {
        this.#host.onEstablishError(this, error);
        // 1011: the WebSocket close code for an unexpected server condition (RFC 6455 §7.4.1).
        this.fail('INTERNAL_ERROR', 'the session could not be established; retry', 1011);
        this.#settled();
      },
    );
  }

  /** `ConnectionHost.helloNow`, with a throw handled as `#establish` handles a rejection. */
  #helloNow(message: HelloMessage): boolean {
    try {
      if (this.#host.helloNow?.(this, message) !== true) return false;
    } catch (error) {
      this.#host.onEstablishError(this, error);
      this.fail('INTERNAL_ERROR', 'the session could not be established; retry', 1011);
    }
    this.#settled();
    return true;
  }

  /** Establishing ended, welcomed or not. */
  #settled(): void {
    if (this.#state === 'establishing') {
      // Not welcomed (e.g. RESUME_FORBIDDEN): back to handshake; anything queued needs a session it lacks.
      this.#state = 'handshake';
      this.#drainPending();
    }
  }

  #drainPending(): void {
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    for (const frame of pending) {
      if (this.#state !== 'open' && this.#state !== 'handshake') return;
      this.#handle(frame.data, frame.isBinary);
    }
  }

  #rateLimited(data: Uint8Array, isBinary: boolean): void {
    this.#dropsInARow += 1;
    if (this.#dropsInARow > this.#host.messageBurst) {
      this.fail('RATE_LIMITED', 'too many frames; closing', CLOSE_CODES.RATE_LIMITED);
      return;
    }
    // A dropped request still gets its answer (by ref), so the client fails the right promise; the decode
    // is bounded by the frame cap and stops with the close above.
    const decoded = isBinary ? undefined : decodeClientMessage(data, this.#host.maxFrameBytes);
    const ref = decoded === undefined ? undefined : decoded.ok ? requestId(decoded.message) : decoded.ref;
    if (ref !== undefined && this.session !== undefined && this.#state === 'open') {
      this.#host.refuseRequest(
        this.session,
        ref,
        'RATE_LIMITED',
        'rate limit exceeded; the request was dropped',
      );
    } else {
      this.sendError('RATE_LIMITED', 'rate limit exceeded; the frame was dropped', ref);
    }
  }
}

function requestId(message: ClientMessage): number | undefined {
  return 'id' in message ? message.id : undefined;
}
