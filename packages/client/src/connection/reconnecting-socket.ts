/**
 * One logical connection made of successive WebSockets: opens a socket, watches it for silence, and when it
 * goes down asks the reconnect policy when to try again. It knows nothing of the protocol; the owner sends
 * hello/resume on `onOpen` and decides, per failure, whether retrying makes sense.
 *
 * Invariants:
 * - At most one socket is current. Events from an abandoned socket are ignored (their handlers are
 *   detached), so a late close of an old socket can never tear down its successor.
 * - Each failure is reported to the owner exactly once, then either a retry is scheduled, the owner's
 *   planned reconnect is awaited, or the loop stops.
 * - `attempt` counts consecutive failures since the last established session (`markEstablished`).
 */
import { SwitchboardError } from '@switchboard/protocol';
import { errorFromClose } from './close-reason.js';
import { LivenessMonitor } from './liveness-monitor.js';
import type { ReconnectPolicy } from './reconnect-policy.js';
import type {
  WebSocketCloseEventLike,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketMessageEventLike,
} from './web-socket-like.js';

const OPEN = 1;

/** What the loop needs from its owner. */
export interface ReconnectingSocketHooks {
  /** A socket opened: send the handshake. */
  onOpen(): void;
  /** A text frame arrived. */
  onMessage(text: string): void;
  /** The socket went down; return whether to try again (false stops the loop). */
  onDown(error: SwitchboardError): boolean;
  /** A new socket is being opened (`attempt` 0 is the very first). */
  onConnecting(attempt: number): void;
  /** The next attempt waits `delayMs`. */
  onReconnecting(attempt: number, delayMs: number, lastError: SwitchboardError | undefined): void;
  /** The policy gave up. */
  onGiveUp(lastError: SwitchboardError | undefined): void;
}

/** Options of `ReconnectingSocket`. */
export interface ReconnectingSocketOptions {
  /**
   * Where to connect, or a function that says so before each attempt (the token travels in the URL, and
   * a token provider may need to run first). A rejection counts as a failed attempt, with its error.
   */
  readonly url: string | (() => Promise<string>);
  readonly WebSocket: WebSocketConstructor;
  readonly reconnectPolicy: ReconnectPolicy;
  readonly silenceTimeoutMs: number;
  readonly pingAfterMs: number;
  readonly hooks: ReconnectingSocketHooks;
}

/** A WebSocket that comes back by itself. */
export class ReconnectingSocket {
  readonly #options: ReconnectingSocketOptions;
  readonly #liveness: LivenessMonitor;
  #socket: WebSocketLike | undefined;
  #attempt = 0;
  #downSince: number | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #plannedAt: number | undefined;
  #isStopped = true;
  /** Bumped by every open and stop, so a URL that resolves late opens nothing. */
  #openGeneration = 0;

  constructor(options: ReconnectingSocketOptions) {
    this.#options = options;
    this.#liveness = new LivenessMonitor({
      silenceTimeoutMs: options.silenceTimeoutMs,
      pingAfterMs: options.pingAfterMs,
      sendPing: () => this.send(JSON.stringify({ type: 'ping', t: Date.now() })),
      onDead: () => {
        this.drop(
          new SwitchboardError(
            'CONNECTION_LOST',
            `no frame from the server for ${options.silenceTimeoutMs} ms`,
          ),
        );
      },
    });
  }

  /** Whether a socket is open (frames can be sent now). */
  get isOpen(): boolean {
    return this.#socket?.readyState === OPEN;
  }

  /** Start connecting (no-op while already running). */
  start(): void {
    if (!this.#isStopped) return;
    this.#isStopped = false;
    this.#attempt = 0;
    this.#downSince = Date.now();
    this.#open();
  }

  /** The owner established a session on the current socket: the next failure starts counting afresh. */
  markEstablished(): void {
    this.#attempt = 0;
    this.#downSince = undefined;
  }

  /** Send a text frame; returns false when no socket is open. */
  send(text: string): boolean {
    const socket = this.#socket;
    if (socket?.readyState !== OPEN) return false;
    socket.send(text);
    return true;
  }

  /** Abandon the current socket because of `error` (e.g. a handshake timeout) and go through the retry path. */
  drop(error: SwitchboardError): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    this.#abandon(socket, 4000, error.code);
    this.#handleDown(error);
  }

  /**
   * Reconnect at a planned time (the server is going away): keep using the current socket until then, or
   * until the server closes it, and then open a new one without consulting the policy.
   */
  reconnectAfter(delayMs: number): void {
    if (this.#isStopped) return;
    clearTimeout(this.#retryTimer);
    this.#plannedAt = Date.now() + delayMs;
    this.#retryTimer = setTimeout(() => {
      this.#plannedAt = undefined;
      const socket = this.#socket;
      if (socket !== undefined) this.#abandon(socket, 1000, 'reconnecting');
      this.#attempt += 1;
      this.#open();
    }, delayMs);
  }

  /** Stop for good: close the socket (after `finalFrame`, if given) and cancel any retry. */
  stop(finalFrame?: string): void {
    this.#isStopped = true;
    this.#openGeneration += 1;
    clearTimeout(this.#retryTimer);
    this.#plannedAt = undefined;
    const socket = this.#socket;
    if (socket === undefined) return;
    if (finalFrame !== undefined && socket.readyState === OPEN) socket.send(finalFrame);
    // A graceful close, not terminate(): the final frame must be flushed before the socket goes.
    this.#detach(socket);
    this.#liveness.stop();
    socket.close(1000, 'bye');
  }

  #open(): void {
    if (this.#isStopped) return;
    this.#options.hooks.onConnecting(this.#attempt);
    const url = this.#options.url;
    if (typeof url === 'string') {
      this.#connect(url);
      return;
    }
    const generation = ++this.#openGeneration;
    url().then(
      (resolved) => {
        if (generation === this.#openGeneration && !this.#isStopped) this.#connect(resolved);
      },
      (error: unknown) => {
        if (generation !== this.#openGeneration || this.#isStopped) return;
        this.#handleDown(
          error instanceof SwitchboardError
            ? error
            : new SwitchboardError('CONNECTION_LOST', 'the URL could not be made', { cause: error }),
        );
      },
    );
  }

  #connect(url: string): void {
    let socket: WebSocketLike;
    try {
      socket = new this.#options.WebSocket(url);
    } catch (cause) {
      this.#handleDown(
        new SwitchboardError('CONNECTION_LOST', 'the WebSocket could not be created', { cause }),
      );
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      this.#liveness.start();
      this.#options.hooks.onOpen();
    };
    socket.onmessage = (event: WebSocketMessageEventLike) => {
      this.#liveness.noteActivity();
      if (typeof event.data === 'string') this.#options.hooks.onMessage(event.data);
    };
    socket.onclose = (event: WebSocketCloseEventLike) => {
      this.#detach(socket);
      this.#handleDown(errorFromClose(event.code, event.reason));
    };
    // A failed socket always closes afterwards; the close event carries what we know.
    socket.onerror = () => undefined;
  }

  #handleDown(error: SwitchboardError): void {
    this.#liveness.stop();
    this.#socket = undefined;
    if (this.#isStopped) return;
    this.#downSince ??= Date.now();
    if (!this.#options.hooks.onDown(error)) {
      this.#isStopped = true;
      clearTimeout(this.#retryTimer);
      return;
    }
    if (this.#plannedAt !== undefined) {
      // The planned reconnect's timer is already running; just say how long it still has to go.
      this.#options.hooks.onReconnecting(this.#attempt + 1, Math.max(this.#plannedAt - Date.now(), 0), error);
      return;
    }
    this.#attempt += 1;
    const delayMs = this.#options.reconnectPolicy.nextRetryDelayInMs({
      attempt: this.#attempt,
      elapsedMs: Date.now() - this.#downSince,
      lastError: error,
    });
    if (delayMs === null) {
      this.#isStopped = true;
      this.#options.hooks.onGiveUp(error);
      return;
    }
    this.#options.hooks.onReconnecting(this.#attempt, delayMs, error);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#open();
    }, delayMs);
  }

  #abandon(socket: WebSocketLike, code: number, reason: string): void {
    this.#detach(socket);
    this.#liveness.stop();
    if (this.#socket === socket) this.#socket = undefined;
    // terminate() where available: an abandoned socket may be half-open, and a closing handshake with a
    // dead peer would hold it for ws's 30 s close timeout.
    if (socket.terminate !== undefined) socket.terminate();
    else socket.close(code, reason);
  }

  #detach(socket: WebSocketLike): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = () => undefined;
  }
}
