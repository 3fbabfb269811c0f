/**
 * The connection's lifecycle as the app sees it: the state it reports, the session each welcome establishes,
 * and what a lost socket means (retry, or shut down for good).
 *
 * Invariants:
 * - `isLive` is true only between a welcome and the next loss of its socket, so requests go out only to a
 *   session that can take them.
 * - Each `connect()` waiter settles exactly once: on the next welcome, or on shutdown with its reason.
 * - A refusal a retry would repeat (`isFatalError`, e.g. `UNAUTHORIZED` or `ORIGIN_FORBIDDEN`) ends in
 *   `closed` with that error as the reason; anything else goes back to the reconnect loop.
 * - One failure is one `error` event: a server that ends a socket sends an error frame and then closes with
 *   the same code, and the close does not report it again.
 */
import { SwitchboardError, type ErrorCode, type IceServer, type WelcomeMessage } from '@switchboard/protocol';
import { isFatalError } from './close-reason.js';
import type { Handshake } from './handshake.js';
import type { InboundFrames } from './inbound-frames.js';
import type { OutboundRequests } from './outbound-requests.js';
import type { ProviderTokenRefresh } from './provider-token-refresh.js';
import type { ConnectionState, SignalingClientEvents } from './signaling-client-events.js';
import type { TypedEventEmitter } from './typed-event-emitter.js';

/** The session a welcome established (what a resume presents). */
export interface Session {
  readonly peerId: string;
  readonly sessionId: string;
  readonly resumeSecret: string;
}

/** What the lifecycle drives. */
export interface SessionLifecycleParts {
  readonly events: TypedEventEmitter<SignalingClientEvents>;
  readonly handshake: Handshake;
  readonly tokenRefresh: ProviderTokenRefresh;
  readonly inboundFrames: InboundFrames;
  readonly out: OutboundRequests;
  /** The current socket carries a session now: the reconnect policy counts failures afresh. */
  readonly markEstablished: () => void;
}

/** State, session and the reactions to welcome, socket loss and shutdown. */
export class SessionLifecycle {
  readonly #parts: SessionLifecycleParts;
  #state: ConnectionState = { state: 'idle' };
  #session: Session | undefined;
  #welcome: WelcomeMessage | undefined;
  #iceServers: readonly IceServer[] = [];
  #isLive = false;
  #connectWaiters: { resolve: () => void; reject: (error: SwitchboardError) => void }[] = [];
  /** Codes of the connection-level error frames the current socket brought, already reported. */
  #reportedOnSocket = new Set<ErrorCode>();

  constructor(parts: SessionLifecycleParts) {
    this.#parts = parts;
  }

  get state(): ConnectionState {
    return this.#state;
  }
  get session(): Session | undefined {
    return this.#session;
  }
  /** The latest welcome (its limits stay readable after the socket goes). */
  get welcome(): WelcomeMessage | undefined {
    return this.#welcome;
  }
  get iceServers(): readonly IceServer[] {
    return this.#iceServers;
  }
  /** A welcome was received on the current socket, so requests may be sent. */
  get isLive(): boolean {
    return this.#isLive;
  }

  /** Resolves on the next welcome; rejects with the reason of the next shutdown. */
  nextWelcome(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.#connectWaiters.push({ resolve, reject }));
  }

  /** The server sent fresh ICE servers (TURN credentials refreshed). */
  setIceServers(iceServers: readonly IceServer[]): void {
    this.#iceServers = iceServers;
  }

  /** The session ended with `bye`: a later connect() starts a new one. */
  forgetSession(): void {
    this.#session = undefined;
  }

  setState(state: ConnectionState): void {
    this.#state = state;
    this.#parts.events.emit('state', state);
  }

  /** A welcome arrived on the current socket. */
  welcomed(welcome: WelcomeMessage): void {
    const { handshake, tokenRefresh, inboundFrames, out, events } = this.#parts;
    handshake.complete();
    tokenRefresh.start();
    this.#parts.markEstablished();
    const previous = this.#session;
    this.#session = {
      peerId: welcome.peerId,
      sessionId: welcome.sessionId,
      resumeSecret: welcome.resumeSecret,
    };
    this.#welcome = welcome;
    this.#iceServers = welcome.iceServers;
    this.#isLive = true;
    let resendAfterId = 0;
    if (welcome.resumed) {
      resendAfterId = welcome.lastClientId;
      inboundFrames.resumed(welcome);
    } else {
      inboundFrames.startFresh(previous !== undefined);
    }
    out.afterWelcome(welcome, resendAfterId);
    this.setState({
      state: 'connected',
      peerId: welcome.peerId,
      sessionId: welcome.sessionId,
      resumed: welcome.resumed,
    });
    events.emit('welcome', welcome);
    if (previous !== undefined && !welcome.resumed) {
      events.emit('session-lost', { previousPeerId: previous.peerId, peerId: welcome.peerId });
    }
    for (const waiter of this.#connectWaiters.splice(0)) waiter.resolve();
  }

  /** A new socket is open: what the last one reported does not cover it. */
  socketOpened(): void {
    this.#reportedOnSocket.clear();
  }

  /** The server sent an error frame about the connection itself (no request to answer): report it. */
  connectionError(error: SwitchboardError): void {
    this.#reportedOnSocket.add(error.code);
    this.#parts.events.emit('error', error);
  }

  /** The socket went down with `error`; returns whether to reconnect. */
  down(error: SwitchboardError): boolean {
    const { handshake } = this.#parts;
    this.#isLive = false;
    const isReported = this.#reportedOnSocket.has(error.code);
    handshake.abort(error);
    this.#parts.tokenRefresh.cancel();
    this.#parts.out.pause();
    // Say hello next time; the fresh welcome then takes the session-lost path (rejoin, fail signals).
    if (error.code === 'RESUME_FORBIDDEN') handshake.forbidResume();
    if (error.code !== 'CONNECTION_LOST' && error.code !== 'SERVER_DRAINING' && !isReported)
      this.#parts.events.emit('error', error);
    if (!handshake.isProviderFailure(error) && isFatalError(error, handshake.hasTokenProvider)) {
      this.shutDown(error);
      return false;
    }
    return true;
  }

  /** Stop for good: fail pending requests and connect() waiters, and report `closed` with `reason`. */
  shutDown(reason: SwitchboardError | undefined): void {
    this.#isLive = false;
    this.#parts.handshake.abort();
    this.#parts.tokenRefresh.cancel();
    const failure = new SwitchboardError(
      'CONNECTION_CLOSED',
      reason === undefined ? 'the client was closed' : `the connection closed: ${reason.message}`,
      { cause: reason },
    );
    this.#parts.out.stop(failure);
    for (const waiter of this.#connectWaiters.splice(0)) waiter.reject(reason ?? failure);
    this.setState({ state: 'closed', reason });
  }
}
