/**
 * One PeerManager per signaling carrier: it keeps one PeerLink per remote peer, creates links on demand
 * (when the app connects, or when an offer arrives from a peer it has no link to), and routes every
 * incoming signal to its link. Signals that are not the peer layer's are passed on to the app.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { PeerLink } from './peer-link.js';
import { sendWithRetry } from './send-with-retry.js';
import {
  resolvePeerLinkOptions,
  type PeerLinkOptions,
  type ResolvedPeerLinkOptions,
} from './peer-link-options.js';
import { parsePeerSignal, type PeerSignal } from './peer-signal.js';
import type { SignalChannel } from './signal-channel.js';
import { TypedEmitter, type Subscribable } from './typed-emitter.js';

/** A constructor of RTCPeerConnection: the browser's, `@roamhq/wrtc`'s, or a test double. */
export type RTCPeerConnectionConstructor = new (configuration?: RTCConfiguration) => RTCPeerConnection;

/** Options of a `PeerManager`. The link options are the defaults for every link. */
export interface PeerManagerOptions extends PeerLinkOptions {
  /** Carries the signals (`signalChannelFromClient(client)`, or a manual channel). */
  readonly signals: SignalChannel;
  /**
   * The RTCPeerConnection implementation. In Node pass `RTCPeerConnection` from `@roamhq/wrtc`.
   * @default globalThis.RTCPeerConnection
   */
  readonly RTCPeerConnection?: RTCPeerConnectionConstructor;
  /**
   * Extra configuration for every connection (e.g. `bundlePolicy`, `certificates`). `iceServers` comes
   * from the signaling carrier and `iceTransportPolicy` from the link options.
   * @default {}
   */
  readonly rtcConfiguration?: RTCConfiguration;
  /**
   * Close the signaling carrier (leave the broker) as soon as every link is connected. Links keep working;
   * renegotiation and ICE restarts need signaling, so they are no longer possible after that.
   * @default false
   */
  readonly leaveBrokerWhenConnected?: boolean;
  /**
   * Whether to accept a link that a remote peer starts (its first offer).
   * @default () => true
   */
  readonly acceptLink?: (peerId: string) => boolean;
}

/** Call-control envelopes, for the call layer. */
export type CallSignal = Extract<PeerSignal, { k: 'call' }>;

/** Every event of a `PeerManager`. */
export interface PeerManagerEvents {
  /** A link was created (by `connect()` or by a remote offer). */
  link: (link: PeerLink) => void;
  /** A signal that is not the peer layer's, for the app. */
  signal: (from: string, data: unknown) => void;
  /** A call-control signal (used by `CallController`). */
  'call-signal': (from: string, signal: CallSignal) => void;
  /** A link failed; the same error is also emitted on the link. */
  error: (error: SwitchboardError, peerId: string) => void;
  /** The signaling carrier was closed because every link was up (`leaveBrokerWhenConnected`). */
  'left-broker': () => void;
}

/** Keeps one PeerLink per remote peer. */
export class PeerManager implements Subscribable<PeerManagerEvents> {
  /** The signaling carrier. */
  readonly signals: SignalChannel;
  readonly #linkOptions: ResolvedPeerLinkOptions;
  readonly #Pc: RTCPeerConnectionConstructor;
  readonly #rtcConfiguration: RTCConfiguration;
  readonly #shouldLeaveBroker: boolean;
  readonly #acceptLink: (peerId: string) => boolean;
  readonly #links = new Map<string, PeerLink>();
  readonly #events = new TypedEmitter<PeerManagerEvents>();
  readonly #unsubscribe: (() => void)[];
  #hasLeftBroker = false;

  constructor(options: PeerManagerOptions) {
    const {
      signals,
      RTCPeerConnection: Pc,
      rtcConfiguration,
      leaveBrokerWhenConnected,
      acceptLink,
      ...linkOptions
    } = options;
    const fallback = (globalThis as { RTCPeerConnection?: RTCPeerConnectionConstructor }).RTCPeerConnection;
    const chosen = Pc ?? fallback;
    if (chosen === undefined) {
      throw new SwitchboardError(
        'INVALID_OPTIONS',
        'Option "RTCPeerConnection" is required where there is no global RTCPeerConnection (in Node, pass the one from @roamhq/wrtc).',
      );
    }
    this.signals = signals;
    this.#Pc = chosen;
    this.#rtcConfiguration = rtcConfiguration ?? {};
    this.#shouldLeaveBroker = leaveBrokerWhenConnected ?? false;
    this.#acceptLink = acceptLink ?? (() => true);
    this.#linkOptions = resolvePeerLinkOptions(linkOptions);
    this.#unsubscribe = [
      signals.onSignal((from, data) => this.#onSignal(from, data)),
      signals.onIceServers((iceServers) => {
        for (const link of this.#links.values()) link.setIceServers(iceServers);
      }),
    ];
  }

  /** Links that are open now. */
  get links(): PeerLink[] {
    return [...this.#links.values()];
  }

  on<K extends keyof PeerManagerEvents>(event: K, listener: PeerManagerEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof PeerManagerEvents>(event: K, listener: PeerManagerEvents[K]): () => void {
    return this.#events.once(event, listener);
  }

  /** The link to `peerId`, if there is one. */
  link(peerId: string): PeerLink | undefined {
    return this.#links.get(peerId);
  }

  /**
   * The link to `peerId`, created if needed. Nothing is sent until the link has something to negotiate:
   * open a channel or add a track on it.
   *
   * @example
   * const link = peers.connect(peerId);
   * const chat = link.channel('chat');
   * await link.whenConnected();
   */
  connect(peerId: string, options: PeerLinkOptions = {}): PeerLink {
    return this.#links.get(peerId) ?? this.#createLink(peerId, options);
  }

  /** Sends an app-level signal to `peerId` through the carrier (arrives as the `signal` event there). */
  sendSignal(to: string, data: unknown): Promise<void> {
    return this.signals.send(to, data);
  }

  /** Sends a peer-layer envelope (used by the call layer). */
  sendPeerSignal(to: string, signal: PeerSignal): Promise<void> {
    return sendWithRetry(() => this.signals.send(to, signal));
  }

  /** Closes every link (telling each remote peer) and stops listening to the carrier. */
  close(): void {
    for (const off of this.#unsubscribe) off();
    for (const link of [...this.#links.values()]) link.close();
    this.#links.clear();
  }

  #createLink(peerId: string, options: PeerLinkOptions): PeerLink {
    const linkOptions =
      Object.keys(options).length === 0
        ? this.#linkOptions
        : resolvePeerLinkOptions({ ...this.#linkOptions, ...options });
    const pc = new this.#Pc({
      ...this.#rtcConfiguration,
      iceServers: this.signals.iceServers.map((server) => ({ ...server })),
      iceTransportPolicy: linkOptions.iceTransportPolicy,
    });
    const link = new PeerLink({
      peerId,
      isPolite: this.signals.isPolite(peerId),
      pc,
      options: linkOptions,
      send: (signal) => sendWithRetry(() => this.signals.send(peerId, signal)),
    });
    this.#links.set(peerId, link);
    link.on('error', (error) => this.#events.emit('error', error, peerId));
    link.on('close', () => {
      if (this.#links.get(peerId) === link) this.#links.delete(peerId);
    });
    link.on('connected', () => this.#maybeLeaveBroker());
    this.#events.emit('link', link);
    return link;
  }

  #onSignal(from: string, data: unknown): void {
    const signal = parsePeerSignal(data);
    if (signal === undefined) {
      this.#events.emit('signal', from, data);
      return;
    }
    if (signal.k === 'call') {
      this.#events.emit('call-signal', from, signal);
      return;
    }
    let link = this.#links.get(from);
    if (link === undefined) {
      // Only an offer may start a link; stray candidates or a bye for a link we closed are dropped.
      if (signal.k !== 'sdp' || signal.t !== 'offer' || !this.#acceptLink(from)) return;
      link = this.#createLink(from, {});
    }
    link.handleSignal(signal);
  }

  #maybeLeaveBroker(): void {
    if (!this.#shouldLeaveBroker || this.#hasLeftBroker) return;
    if (![...this.#links.values()].every((link) => link.isConnected)) return;
    this.#hasLeftBroker = true;
    this.signals.close().then(
      () => this.#events.emit('left-broker'),
      (error: unknown) =>
        this.#events.emit(
          'error',
          new SwitchboardError('CONNECTION_CLOSED', 'Leaving the broker failed.', { cause: error }),
          '',
        ),
    );
  }
}
