/**
 * SignalingClient: the SDK's connection to a Switchboard server, for browsers and Node.
 *
 * Invariants:
 * - Every request gets an id once, and the server sees ids strictly increasing. Requests made while the
 *   socket is down wait in the tracker and go out after the next welcome, in order: to a resumed session
 *   those the server has not processed (`id > welcome.lastClientId`, same ids), to a fresh one all of them
 *   renumbered after the rejoins.
 * - Server frames with a seq are processed in order and exactly once (`InboundSequencer`), and acknowledged
 *   only after they were processed, so a resume never skips one.
 * - A request the server reports processed (`lastClientId` of a resumed welcome) is settled only once the
 *   replay has caught up with the welcome's `seq`, because its error, if any, is in that replay.
 * - After `resumed: false` nothing is silently lost: the app gets `session-lost`, rooms are rejoined with
 *   their last metadata, and signals whose delivery is unknown fail with `SESSION_LOST`.
 */
import {
  SwitchboardError,
  parseServerMessage,
  type IceServer,
  type Limits,
  type PeerInfo,
  type PeerMetadata,
  type PeerMetadataPatch,
  type ServerMessage,
  type WelcomeMessage,
} from '@switchboard/protocol';
import { AckScheduler } from './ack-scheduler.js';
import { Handshake } from './handshake.js';
import { InboundSequencer } from './inbound-sequencer.js';
import { isFatalError } from './close-reason.js';
import { PresenceCache } from './presence-cache.js';
import { ReconnectingSocket } from './reconnecting-socket.js';
import { RequestTracker, type RequestBody, type TrackedFrame } from './request-tracker.js';
import { SequencedFrameHandler, type SequencedFrame } from './sequenced-frame-handler.js';
import {
  resolveSignalingClientOptions,
  type ResolvedSignalingClientOptions,
  type SignalingClientOptions,
} from './signaling-client-options.js';
import type { ConnectionState, RoomSnapshot, SignalingClientEvents } from './signaling-client-events.js';
import { TypedEventEmitter, type Unsubscribe } from './typed-event-emitter.js';
import { errorFromWire } from './wire-error.js';

/** Used when the server names no ack delay (it always does; this only guards a malformed welcome). */
const FALLBACK_ACK_DELAY_MS = 20;

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
  readonly #tracker = new RequestTracker();
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
  /** From a resumed welcome: settle requests up to `id` once the replay reaches `untilSeq`. */
  #serverProcessed: { readonly id: number; readonly untilSeq: number } | undefined;
  readonly #acks: AckScheduler;
  readonly #handshake: Handshake;
  #connectWaiters: { resolve: () => void; reject: (error: SwitchboardError) => void }[] = [];

  /** @throws SwitchboardError `INVALID_OPTIONS` naming the first bad option. */
  constructor(options: SignalingClientOptions) {
    this.#options = resolveSignalingClientOptions(options);
    this.#frames = new SequencedFrameHandler({
      presence: this.#presence,
      tracker: this.#tracker,
      events: this.#events,
    });
    this.#acks = new AckScheduler({
      inbound: this.#inbound,
      delayMs: () => this.#options.ackDelayMs ?? this.#welcome?.limits.ackDelayMs ?? FALLBACK_ACK_DELAY_MS,
      canSend: () => this.#isLive && this.#socket.isOpen,
      send: (text) => this.#socket.send(text),
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
        onMessage: (text) => this.#onMessage(text),
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
    const { frame, promise } = this.#tracker.add<T>(body);
    if (this.#isLive) this.#sendRequest(frame);
    return promise;
  }

  #sendRequest(frame: TrackedFrame): void {
    if (!this.#socket.isOpen) return;
    // Piggyback the ack: one frame fewer, and the server's outbox shrinks sooner.
    const ack = this.#acks.takePiggyback();
    this.#socket.send(JSON.stringify(ack === undefined ? frame : { ...frame, ack }));
    this.#tracker.markSent(frame.id, this.#options.requestTimeoutMs);
  }

  #onMessage(text: string): void {
    let message: ServerMessage;
    try {
      message = parseServerMessage(text);
    } catch (error) {
      this.#events.emit('error', error as SwitchboardError);
      return;
    }
    switch (message.type) {
      case 'welcome':
        this.#onWelcome(message);
        return;
      case 'ack':
        for (const frame of this.#tracker.ackUpTo(message.id)) this.#frames.applySettled(frame);
        return;
      case 'pong':
        return;
      case 'ice-servers':
        this.#iceServers = message.iceServers;
        this.#events.emit('ice-servers', message.iceServers);
        return;
      case 'server-going-away': {
        const { reason, reconnectInMs } = message;
        this.#events.emit('server-going-away', { reason, reconnectInMs });
        // A little more spread on top of the server's, so one drained node's clients do not arrive together.
        this.#socket.reconnectAfter(
          reconnectInMs + Math.floor(this.#options.random() * Math.min(reconnectInMs / 2, 1000)),
        );
        return;
      }
      case 'error':
        if (message.seq === undefined) {
          const error = errorFromWire(message.code, message.message, message.ref);
          if (message.ref === undefined || this.#tracker.reject(message.ref, error) === undefined)
            this.#events.emit('error', error);
          return;
        }
        this.#onSequenced({ ...message, seq: message.seq });
        return;
      default:
        this.#onSequenced(message);
    }
  }

  #onSequenced(frame: SequencedFrame): void {
    const verdict = this.#inbound.accept(frame.seq);
    if (verdict === 'gap') {
      // Frames went missing; a resume from our last processed seq makes the server replay the hole.
      this.#socket.drop(
        new SwitchboardError('CONNECTION_LOST', `seq ${frame.seq} arrived after ${this.#inbound.lastSeq}`),
      );
      return;
    }
    this.#acks.schedule();
    if (verdict === 'duplicate') return;
    this.#frames.handle(frame);
    const processed = this.#serverProcessed;
    if (processed !== undefined && this.#inbound.lastSeq >= processed.untilSeq)
      this.#settleServerProcessed(processed.id);
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
      this.#inbound.confirmResumed();
      resendAfterId = welcome.lastClientId;
      if (this.#inbound.lastSeq >= welcome.seq) this.#settleServerProcessed(welcome.lastClientId);
      else this.#serverProcessed = { id: welcome.lastClientId, untilSeq: welcome.seq };
    } else {
      this.#startFreshSession(previous !== undefined);
    }
    for (const frame of this.#tracker.after(0)) {
      if (frame.id > resendAfterId) this.#sendRequest(frame);
      else this.#tracker.markSent(frame.id, this.#options.requestTimeoutMs);
    }
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

  /** A new session: seqs start over; after a lost one, fail its signals and rejoin its rooms. */
  #startFreshSession(wasLost: boolean): void {
    this.#inbound.reset(0);
    this.#serverProcessed = undefined;
    if (!wasLost) return;
    const rejoins: RequestBody[] = [];
    for (const room of this.#presence.rooms) {
      const metadata = this.#presence.selfMetadata(room);
      if (metadata !== undefined) rejoins.push({ type: 'join', room, metadata });
    }
    this.#presence.clear();
    this.#tracker.rejectWhere(
      (frame) => frame.type === 'signal',
      new SwitchboardError(
        'SESSION_LOST',
        'the session could not be resumed; this signal may not have been delivered',
      ),
    );
    for (const promise of this.#tracker.renumber(rejoins)) {
      promise.catch((error: unknown) => this.#events.emit('error', error as SwitchboardError));
    }
  }

  #settleServerProcessed(id: number): void {
    this.#serverProcessed = undefined;
    for (const frame of this.#tracker.ackUpTo(id)) this.#frames.applySettled(frame);
  }

  #onDown(error: SwitchboardError): boolean {
    this.#isLive = false;
    this.#handshake.abort();
    this.#acks.cancel();
    this.#tracker.pauseTimers();
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
    this.#acks.cancel();
    const failure = new SwitchboardError(
      'CONNECTION_CLOSED',
      reason === undefined ? 'the client was closed' : `the connection closed: ${reason.message}`,
      {
        cause: reason,
      },
    );
    this.#tracker.rejectAll(failure);
    for (const waiter of this.#connectWaiters.splice(0)) waiter.reject(reason ?? failure);
    this.#setState({ state: 'closed', reason });
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    this.#events.emit('state', state);
  }
}
