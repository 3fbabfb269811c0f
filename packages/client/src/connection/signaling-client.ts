/**
 * SignalingClient: the SDK's connection to a Switchboard server, for browsers and Node.
 *
 * Invariants:
 * - Every request gets an id once, and the server sees ids strictly increasing. Requests made while the
 *   socket is down wait in the tracker and go out after the next welcome, in order: to a resumed session
 *   those the server has not processed (`id > welcome.lastClientId`, same ids), to a fresh one all of them
 *   renumbered after the rejoins.
 * - Server frames with a seq are processed in order and exactly once, and acknowledged only after they
 *   were processed, so a resume never skips one (inbound-frames.ts).
 * - A request ack counts only once every frame before it is applied, wherever it rides (a standalone `ack`
 *   or the `ack` field of any frame).
 * - After `resumed: false` nothing is silently lost: the app gets `session-lost`, rooms are rejoined and
 *   signals whose delivery is unknown fail with `SESSION_LOST` (inbound-frames.ts).
 */
import {
  SwitchboardError,
  type IceServer,
  type Limits,
  type PeerInfo,
  type PeerMetadata,
  type PeerMetadataPatch,
  type WelcomeMessage,
} from '@switchboard/protocol';
import { Handshake } from './handshake.js';
import { InboundFrames } from './inbound-frames.js';
import { InboundSequencer } from './inbound-sequencer.js';
import { isFatalError } from './close-reason.js';
import { PresenceCache } from './presence-cache.js';
import { ReconnectingSocket } from './reconnecting-socket.js';
import { OutboundRequests } from './outbound-requests.js';
import type { RequestBody } from './request-tracker.js';
import { SequencedFrameHandler } from './sequenced-frame-handler.js';
import { ServerFrameRouter } from './server-frame-router.js';
import {
  resolveSignalingClientOptions,
  type ResolvedSignalingClientOptions,
  type SignalingClientOptions,
} from './signaling-client-options.js';
import type { ConnectionState, RoomSnapshot, SignalingClientEvents } from './signaling-client-events.js';
import { TypedEventEmitter, type Unsubscribe } from './typed-event-emitter.js';

interface Session {
  readonly peerId: string;
  readonly sessionId: string;
  readonly resumeSecret: string;
}

/**
 * The signaling connection: promise API, typed events, automatic reconnect and transparent resume.
 *
 * @example
 * import { WebSocket } from 'ws'; // Node only; browsers have a global WebSocket
 * const client = new SignalingClient({ url: 'ws://localhost:8080/ws', WebSocket });
 * client.on('signal', (from, data) => console.log(from, data));
 * await client.connect();
 * const { peers } = await client.join('lobby', { nickname: 'ada' });
 * for (const peer of peers) await client.signal(peer.peerId, { hello: 'there' });
 */
export class SignalingClient {
  readonly #options: ResolvedSignalingClientOptions;
  readonly #events = new TypedEventEmitter<SignalingClientEvents>();
  readonly #inbound = new InboundSequencer();
  readonly #presence = new PresenceCache();
  readonly #socket: ReconnectingSocket;
  readonly #frames: SequencedFrameHandler;
  #state: ConnectionState = { state: 'idle' };
  #session: Session | undefined;
  #welcome: WelcomeMessage | undefined;
  #iceServers: readonly IceServer[] = [];
  /** A welcome was received on the current socket, so requests may be sent. */
  #isLive = false;
  readonly #inboundFrames: InboundFrames;
  readonly #router: ServerFrameRouter;
  readonly #out: OutboundRequests;
  readonly #handshake: Handshake;
  #connectWaiters: { resolve: () => void; reject: (error: SwitchboardError) => void }[] = [];

  /** @throws SwitchboardError `INVALID_OPTIONS` naming the first bad option. */
  constructor(options: SignalingClientOptions) {
    this.#options = resolveSignalingClientOptions(options);
    this.#out = new OutboundRequests({
      inbound: this.#inbound,
      requestTimeoutMs: this.#options.requestTimeoutMs,
      ackDelayMs: this.#options.ackDelayMs,
      welcome: () => this.#welcome,
      isLive: () => this.#isLive && this.#socket.isOpen,
      write: (text) => this.#socket.send(text),
      onSettled: (frame) => this.#frames.applySettled(frame),
    });
    this.#frames = new SequencedFrameHandler({
      presence: this.#presence,
      tracker: this.#out.tracker,
      events: this.#events,
    });
    this.#inboundFrames = new InboundFrames({
      inbound: this.#inbound,
      frames: this.#frames,
      presence: this.#presence,
      out: this.#out,
      drop: (error) => this.#socket.drop(error),
      onError: (error) => this.#events.emit('error', error),
    });
    this.#router = new ServerFrameRouter({
      out: this.#out,
      inbound: this.#inboundFrames,
      events: this.#events,
      onWelcome: (welcome) => this.#onWelcome(welcome),
      onIceServers: (iceServers) => (this.#iceServers = iceServers),
      reconnectAfter: (delayMs) => this.#socket.reconnectAfter(delayMs),
      random: this.#options.random,
    });
    this.#handshake = new Handshake({
      token: this.#options.token,
      timeoutMs: this.#options.requestTimeoutMs,
      send: (text) => this.#socket.send(text),
      drop: (error) => this.#socket.drop(error),
    });
    this.#socket = new ReconnectingSocket({
      url: this.#options.url,
      WebSocket: this.#options.WebSocket,
      reconnectPolicy: this.#options.reconnectPolicy,
      silenceTimeoutMs: this.#options.silenceTimeoutMs,
      pingAfterMs: this.#options.pingAfterMs,
      hooks: {
        onOpen: () => void this.#handshake.begin(this.#session, () => this.#inbound.lastSeq),
        onMessage: (text) => this.#router.route(text),
        onDown: (error) => this.#onDown(error),
        onConnecting: (attempt) => this.#setState({ state: 'connecting', attempt }),
        onReconnecting: (attempt, delayMs, lastError) =>
          this.#setState({ state: 'reconnecting', attempt, delayMs, lastError }),
        onGiveUp: (lastError) => this.#shutDown(lastError),
      },
    });
  }

  /** The connection state (a discriminated union on `state`). */
  get state(): ConnectionState {
    return this.#state;
  }
  /** This peer's id in the current session, once welcomed. */
  get peerId(): string | undefined {
    return this.#session?.peerId;
  }
  /** The current session id, once welcomed. */
  get sessionId(): string | undefined {
    return this.#session?.sessionId;
  }
  /** ICE servers for RTCPeerConnection (STUN, and TURN with short-lived credentials). */
  get iceServers(): readonly IceServer[] {
    return this.#iceServers;
  }
  /** The server's limits, once welcomed. */
  get limits(): Limits | undefined {
    return this.#welcome?.limits;
  }
  /** The rooms this client is in. */
  get rooms(): readonly string[] {
    return this.#presence.rooms;
  }
  /** The other peers in `room`, kept current from the roster and presence diffs. */
  peers(room: string): readonly PeerInfo[] {
    return this.#presence.peers(room);
  }
  /**
   * Whether this client is the polite side toward `peerId` in perfect negotiation: as the server said in
   * presence, else by the protocol's rule (the greater peer id is polite).
   * @throws SwitchboardError `NOT_CONNECTED` before the first welcome.
   */
  isPolite(peerId: string): boolean {
    const known = this.#presence.findPeer(peerId);
    if (known !== undefined) return known.polite;
    const self = this.#session?.peerId;
    if (self === undefined)
      throw new SwitchboardError('NOT_CONNECTED', 'isPolite() needs a session; call connect() first');
    return self > peerId;
  }

  /** Listen to an event; returns a function that removes the listener. */
  on<E extends keyof SignalingClientEvents>(event: E, listener: SignalingClientEvents[E]): Unsubscribe {
    return this.#events.on(event, listener);
  }
  /** Listen to the next occurrence of an event only; returns a function that removes the listener. */
  once<E extends keyof SignalingClientEvents>(event: E, listener: SignalingClientEvents[E]): Unsubscribe {
    return this.#events.once(event, listener);
  }

  /**
   * Connect and resolve on the first welcome. Retries according to the reconnect policy; rejects when the
   * policy gives up, the server refuses for good (e.g. `UNAUTHORIZED`), or `close()` is called.
   */
  connect(): Promise<void> {
    if (this.#state.state === 'connected') return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => this.#connectWaiters.push({ resolve, reject }));
    if (this.#state.state === 'idle' || this.#state.state === 'closed') this.#socket.start();
    return promise;
  }

  /** Join `room` with `metadata`; resolves with the room as it is right after joining. */
  join(room: string, metadata: PeerMetadata): Promise<RoomSnapshot> {
    return this.#request<RoomSnapshot>({ type: 'join', room, metadata });
  }
  /** Leave `room`; resolves when the server confirms. */
  leave(room: string): Promise<void> {
    return this.#request<undefined>({ type: 'leave', room });
  }
  /**
   * Send `data` to `to` through the server; resolves once the server has accepted it for delivery (it then
   * reaches the peer even across the peer's reconnects). Rejects at once with `PEER_NOT_FOUND` for an
   * unknown peer. Queued, not dropped, while reconnecting.
   */
  signal(to: string, data: unknown): Promise<void> {
    return this.#request<undefined>({ type: 'signal', to, data });
  }
  /** Change this peer's metadata in `room`, or in every room when `room` is omitted. */
  updateMetadata(patch: PeerMetadataPatch, room?: string): Promise<void> {
    return this.#request<undefined>(
      room === undefined ? { type: 'update', metadata: patch } : { type: 'update', room, metadata: patch },
    );
  }
  /** Give the server a fresh token before the current one expires; later resumes present it too. */
  refreshToken(token: string): Promise<void> {
    this.#handshake.setToken(token);
    return this.#request<undefined>({ type: 'token', token });
  }

  /** End the session: send `bye`, close the socket, and fail pending requests with `CONNECTION_CLOSED`. */
  close(): Promise<void> {
    if (this.#state.state === 'closed' || this.#state.state === 'idle') {
      this.#setState({ state: 'closed', reason: undefined });
      return Promise.resolve();
    }
    this.#socket.stop(this.#isLive ? JSON.stringify({ type: 'bye' }) : undefined);
    // The session ends with bye; a later connect() starts a new one.
    this.#session = undefined;
    this.#presence.clear();
    this.#shutDown(undefined);
    return Promise.resolve();
  }

  #request<T>(body: RequestBody): Promise<T> {
    const { state } = this.#state;
    if (state === 'idle' || state === 'closed') {
      return Promise.reject(
        new SwitchboardError(
          'NOT_CONNECTED',
          `${body.type}() needs connect() first (the client is ${state})`,
        ),
      );
    }
    return this.#out.add<T>(body);
  }

  #onWelcome(welcome: WelcomeMessage): void {
    this.#handshake.complete();
    this.#socket.markEstablished();
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
      this.#inboundFrames.resumed(welcome);
    } else {
      this.#inboundFrames.startFresh(previous !== undefined);
    }
    this.#out.afterWelcome(welcome, resendAfterId);
    this.#setState({
      state: 'connected',
      peerId: welcome.peerId,
      sessionId: welcome.sessionId,
      resumed: welcome.resumed,
    });
    this.#events.emit('welcome', welcome);
    if (previous !== undefined && !welcome.resumed) {
      this.#events.emit('session-lost', { previousPeerId: previous.peerId, peerId: welcome.peerId });
    }
    for (const waiter of this.#connectWaiters.splice(0)) waiter.resolve();
  }

  #onDown(error: SwitchboardError): boolean {
    this.#isLive = false;
    this.#handshake.abort();
    this.#out.pause();
    // Say hello next time; the fresh welcome then takes the session-lost path (rejoin, fail signals).
    if (error.code === 'RESUME_FORBIDDEN') this.#handshake.forbidResume();
    if (error.code !== 'CONNECTION_LOST' && error.code !== 'SERVER_DRAINING')
      this.#events.emit('error', error);
    if (!this.#handshake.isProviderFailure(error) && isFatalError(error, this.#handshake.hasTokenProvider)) {
      this.#shutDown(error);
      return false;
    }
    return true;
  }

  #shutDown(reason: SwitchboardError | undefined): void {
    this.#isLive = false;
    this.#handshake.abort();
    const failure = new SwitchboardError(
      'CONNECTION_CLOSED',
      reason === undefined ? 'the client was closed' : `the connection closed: ${reason.message}`,
      {
        cause: reason,
      },
    );
    this.#out.stop(failure);
    for (const waiter of this.#connectWaiters.splice(0)) waiter.reject(reason ?? failure);
    this.#setState({ state: 'closed', reason });
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    this.#events.emit('state', state);
  }
}
