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
} from '@switchboard/protocol';
import { Handshake } from './handshake.js';
import { InboundFrames } from './inbound-frames.js';
import { InboundSequencer } from './inbound-sequencer.js';
import { PresenceCache } from './presence-cache.js';
import { ProviderTokenRefresh } from './provider-token-refresh.js';
import { ReconnectingSocket } from './reconnecting-socket.js';
import { advertiseFeatures, advertiseFeaturesInPatch } from './sdk-features.js';
import { OutboundRequests } from './outbound-requests.js';
import type { RequestBody } from './request-tracker.js';
import { SequencedFrameHandler } from './sequenced-frame-handler.js';
import { SessionLifecycle } from './session-lifecycle.js';
import { SignalInbox } from './signal-inbox.js';
import { ServerFrameRouter } from './server-frame-router.js';
import {
  resolveSignalingClientOptions,
  type ResolvedSignalingClientOptions,
  type SignalingClientOptions,
} from './signaling-client-options.js';
import type {
  ConnectionState,
  JoinOptions,
  RoomSnapshot,
  SignalingClientEvents,
} from './signaling-client-events.js';
import { TypedEventEmitter, type Unsubscribe } from './typed-event-emitter.js';

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
  readonly #signals: SignalInbox;
  readonly #inboundFrames: InboundFrames;
  readonly #router: ServerFrameRouter;
  readonly #out: OutboundRequests;
  readonly #handshake: Handshake;
  readonly #lifecycle: SessionLifecycle;

  /** @throws SwitchboardError `INVALID_OPTIONS` naming the first bad option. */
  constructor(options: SignalingClientOptions) {
    this.#options = resolveSignalingClientOptions(options);
    this.#out = new OutboundRequests({
      inbound: this.#inbound,
      requestTimeoutMs: this.#options.requestTimeoutMs,
      ackDelayMs: this.#options.ackDelayMs,
      welcome: () => this.#lifecycle.welcome,
      isLive: () => this.#lifecycle.isLive && this.#socket.isOpen,
      write: (text) => this.#socket.send(text),
      onSettled: (frame) => this.#frames.applySettled(frame),
    });
    this.#signals = new SignalInbox(this.#events, {
      maxCount: this.#options.maxEarlySignals,
      maxAgeMs: this.#options.maxEarlySignalAgeMs,
    });
    this.#frames = new SequencedFrameHandler({
      presence: this.#presence,
      tracker: this.#out.tracker,
      events: this.#events,
      signals: this.#signals,
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
      onWelcome: (welcome) => this.#lifecycle.welcomed(welcome),
      onIceServers: (iceServers) => this.#lifecycle.setIceServers(iceServers),
      onConnectionError: (error) => this.#lifecycle.connectionError(error),
      reconnectAfter: (delayMs) => this.#socket.reconnectAfter(delayMs),
      random: this.#options.random,
    });
    this.#handshake = new Handshake({
      token: this.#options.token,
      timeoutMs: this.#options.requestTimeoutMs,
      send: (text) => this.#socket.send(text),
      drop: (error) => this.#socket.drop(error),
    });
    this.#lifecycle = new SessionLifecycle({
      events: this.#events,
      handshake: this.#handshake,
      tokenRefresh: new ProviderTokenRefresh({
        token: this.#options.token,
        handshake: this.#handshake,
        sendToken: (token) => this.#request<undefined>({ type: 'token', token }),
        onError: (error) => this.#events.emit('error', error),
      }),
      inboundFrames: this.#inboundFrames,
      out: this.#out,
      markEstablished: () => this.#socket.markEstablished(),
    });
    this.#socket = new ReconnectingSocket({
      url: () => this.#handshake.resolveUrl(this.#options.url),
      WebSocket: this.#options.WebSocket,
      reconnectPolicy: this.#options.reconnectPolicy,
      silenceTimeoutMs: this.#options.silenceTimeoutMs,
      pingAfterMs: this.#options.pingAfterMs,
      hooks: {
        onOpen: () => {
          this.#lifecycle.socketOpened();
          this.#handshake.begin(this.#lifecycle.session, () => this.#inbound.lastSeq);
        },
        onMessage: (text) => this.#router.route(text),
        onDown: (error) => this.#lifecycle.down(error),
        onConnecting: (attempt) => this.#lifecycle.setState({ state: 'connecting', attempt }),
        onReconnecting: (attempt, delayMs, lastError) =>
          this.#lifecycle.setState({ state: 'reconnecting', attempt, delayMs, lastError }),
        onGiveUp: (lastError) => this.#lifecycle.shutDown(lastError),
      },
    });
  }

  /** The connection state (a discriminated union on `state`). */
  get state(): ConnectionState {
    return this.#lifecycle.state;
  }
  /** This peer's id in the current session, once welcomed. */
  get peerId(): string | undefined {
    return this.#lifecycle.session?.peerId;
  }
  /** The current session id, once welcomed. */
  get sessionId(): string | undefined {
    return this.#lifecycle.session?.sessionId;
  }
  /** ICE servers for RTCPeerConnection (STUN, and TURN with short-lived credentials). */
  get iceServers(): readonly IceServer[] {
    return this.#lifecycle.iceServers;
  }
  /** The server's limits, once welcomed. */
  get limits(): Limits | undefined {
    return this.#lifecycle.welcome?.limits;
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
    const self = this.#lifecycle.session?.peerId;
    if (self === undefined)
      throw new SwitchboardError('NOT_CONNECTED', 'isPolite() needs a session; call connect() first');
    return self > peerId;
  }
  /**
   * Whether the SDK of `peerId`, a peer in one of this client's rooms, advertised `feature` (sdk-features.ts):
   * the peer layer packs descriptions for it only then. False for peers in no shared room and older SDKs.
   */
  peerSupports(peerId: string, feature: string): boolean {
    return this.#presence.featuresOf(peerId).has(feature);
  }

  /**
   * Listen to an event; returns a function that removes the listener. The first `signal` listener also
   * gets the signals that waited for one, in order, right after `on()` returns.
   */
  on<E extends keyof SignalingClientEvents>(event: E, listener: SignalingClientEvents[E]): Unsubscribe {
    const off = this.#events.on(event, listener);
    if (event === 'signal') this.#signals.listenerAdded();
    return off;
  }
  /** Listen to the next occurrence of an event only; returns a function that removes the listener. */
  once<E extends keyof SignalingClientEvents>(event: E, listener: SignalingClientEvents[E]): Unsubscribe {
    const off = this.#events.once(event, listener);
    if (event === 'signal') this.#signals.listenerAdded();
    return off;
  }

  /**
   * Connect and resolve on the first welcome. Retries according to the reconnect policy; rejects when the
   * policy gives up, the server refuses for good (e.g. `UNAUTHORIZED`), or `close()` is called.
   */
  connect(): Promise<void> {
    const { state } = this.#lifecycle.state;
    if (state === 'connected') return Promise.resolve();
    const promise = this.#lifecycle.nextWelcome();
    if (state === 'idle' || state === 'closed') this.#socket.start();
    return promise;
  }

  /**
   * Join `room` with `metadata`; resolves with the room as it is right after joining.
   * @example
   * await client.join('team-call', { nickname: 'ada' }, { maxPeers: 6 }); // ROOM_FULL for a 7th peer
   */
  join(room: string, metadata: PeerMetadata, options: JoinOptions = {}): Promise<RoomSnapshot> {
    const { maxPeers } = options;
    const sent = advertiseFeatures(metadata);
    return this.#request<RoomSnapshot>(
      maxPeers === undefined
        ? { type: 'join', room, metadata: sent }
        : { type: 'join', room, metadata: sent, maxPeers },
    );
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
    const sent = advertiseFeaturesInPatch(patch);
    return this.#request<undefined>(
      room === undefined ? { type: 'update', metadata: sent } : { type: 'update', room, metadata: sent },
    );
  }
  /** Give the server a fresh token before the current one expires; later resumes present it too. */
  refreshToken(token: string): Promise<void> {
    this.#handshake.setToken(token);
    return this.#request<undefined>({ type: 'token', token });
  }

  /** End the session: send `bye`, close the socket, and fail pending requests with `CONNECTION_CLOSED`. */
  close(): Promise<void> {
    const { state } = this.#lifecycle.state;
    if (state === 'closed' || state === 'idle') {
      this.#lifecycle.setState({ state: 'closed', reason: undefined });
      return Promise.resolve();
    }
    this.#socket.stop(this.#lifecycle.isLive ? JSON.stringify({ type: 'bye' }) : undefined);
    // The session ends with bye; a later connect() starts a new one.
    this.#lifecycle.forgetSession();
    this.#presence.clear();
    this.#signals.clear();
    this.#lifecycle.shutDown(undefined);
    return Promise.resolve();
  }

  #request<T>(body: RequestBody): Promise<T> {
    const { state } = this.#lifecycle.state;
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
}
