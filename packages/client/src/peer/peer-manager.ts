/**
 * One PeerManager per signaling carrier: it keeps one PeerLink per remote peer, creates links on demand
 * (when the app connects, or when an offer arrives from a peer it has no link to), and routes every
 * incoming signal to its link. Signals that are not the peer layer's are passed on to the app.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { EarlySignalBuffer, type EarlyDropReason } from '../connection/early-signal-buffer.js';
import type { CallSignal, PeerManagerEvents } from './peer-manager-events.js';
import type { PeerManagerOptions, RTCPeerConnectionConstructor } from './peer-manager-options.js';
import { LinkIncarnations } from './link-incarnations.js';
import { PeerLink } from './peer-link.js';
import { sendWithRetry } from './send-with-retry.js';
import {
  resolvePeerLinkOptions,
  type PeerLinkOptions,
  type ResolvedPeerLinkOptions,
} from './peer-link-options.js';
import { packedForWire, parsePeerSignal, type PeerSignal } from './peer-signal.js';
import { SDP_CODEC } from './sdp-codec.js';
import type { SignalChannel } from './signal-channel.js';
import { TypedEmitter, type Subscribable } from './typed-emitter.js';
import { warmSdpCodecWhenIdle } from './warm-sdp-codec.js';

type EarlySignal =
  | { readonly kind: 'app'; readonly from: string; readonly data: unknown }
  | { readonly kind: 'call'; readonly from: string; readonly signal: CallSignal }
  | { readonly kind: 'link'; readonly from: string; readonly signal: PeerSignal };

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
  readonly #incarnations = new LinkIncarnations();
  readonly #early: EarlySignalBuffer<EarlySignal>;
  #hasLeftBroker = false;
  readonly #packSignals: boolean;
  /** Peers that sent a packed description: they read packed ones, whatever presence says. */
  readonly #packingPeers = new Set<string>();

  constructor(options: PeerManagerOptions) {
    const {
      signals,
      RTCPeerConnection: Pc,
      rtcConfiguration,
      leaveBrokerWhenConnected,
      acceptLink,
      maxEarlySignals,
      maxEarlySignalAgeMs,
      packSignals,
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
    this.#packSignals = packSignals ?? true;
    // The codec is on the critical path of every call; compiling it while the page is idle keeps that
    // cost off the first one (warm-sdp-codec.ts).
    if (this.#packSignals) void warmSdpCodecWhenIdle();
    // A carrier that takes one offer and one answer (manual mode) cannot carry a watchdog's restart.
    this.#linkOptions = resolvePeerLinkOptions(
      signals.canRenegotiate === false ? { iceConnectTimeoutMs: 0, ...linkOptions } : linkOptions,
    );
    this.#early = new EarlySignalBuffer<EarlySignal>({
      maxCount: maxEarlySignals ?? 64,
      maxAgeMs: maxEarlySignalAgeMs ?? 10_000,
      onDrop: (early, reason) => this.#dropped(early, reason),
    });
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

  /** Subscribes; the first `signal` or `call-signal` listener also gets what waited for it, in order. */
  on<K extends keyof PeerManagerEvents>(event: K, listener: PeerManagerEvents[K]): () => void {
    const off = this.#events.on(event, listener);
    this.#deliverEarly(event);
    return off;
  }

  once<K extends keyof PeerManagerEvents>(event: K, listener: PeerManagerEvents[K]): () => void {
    const off = this.#events.once(event, listener);
    this.#deliverEarly(event);
    return off;
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
    this.#early.clear();
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
      send: (signal) => {
        // Packed once, before the retries: a retry resends the same bytes.
        const wire = this.#canPack(peerId) ? packedForWire(signal) : signal;
        return sendWithRetry(() => this.signals.send(peerId, wire));
      },
    });
    this.#links.set(peerId, link);
    link.on('error', (error) => this.#events.emit('error', error, peerId));
    link.on('close', () => {
      this.#incarnations.retire(peerId, link.remoteLinkId);
      if (this.#links.get(peerId) === link) {
        this.#links.delete(peerId);
        this.#packingPeers.delete(peerId);
      }
    });
    link.on('connected', () => this.#maybeLeaveBroker());
    this.#events.emit('link', link);
    // Candidates that came before their link (its offer was still on the way) are applied now.
    for (const early of this.#early.take((e) => e.kind === 'link' && e.from === peerId)) {
      if (early.kind === 'link') this.#onSignal(peerId, early.signal);
    }
    return link;
  }

  #onSignal(from: string, data: unknown): void {
    const signal = parsePeerSignal(data);
    // While older signals wait for their replay (a listener came inside a burst), newer ones queue behind.
    if (signal === undefined) {
      if (this.#events.hasListeners('signal') && this.#early.size === 0)
        this.#events.emit('signal', from, data);
      else this.#hold({ kind: 'app', from, data }, 'signal');
      return;
    }
    if (signal.k === 'call') {
      if (this.#events.hasListeners('call-signal') && this.#early.size === 0)
        this.#events.emit('call-signal', from, signal);
      else this.#hold({ kind: 'call', from, signal }, 'call-signal');
      return;
    }
    if (signal.k === 'sdp' && signal.packed === true) this.#packingPeers.add(from);
    const current = this.#links.get(from);
    const verdict = this.#incarnations.classify(from, signal, current);
    switch (verdict) {
      case 'deliver':
        current?.handleSignal(signal);
        return;
      case 'early':
        this.#early.push({ kind: 'link', from, signal });
        return;
      case 'stale':
        this.#events.emit('signal-dropped', { from, kind: signal.k, reason: 'stale' });
        return;
      case 'replace':
      case 'start': {
        if (!this.#acceptLink(from)) {
          this.#events.emit('signal-dropped', { from, kind: signal.k, reason: 'refused' });
          return;
        }
        // The remote peer closed its old link and opened a new one (its bye may have been lost).
        current?.replace();
        this.#createLink(from, {}).handleSignal(signal);
        return;
      }
    }
  }

  /** Whether descriptions to `peerId` go packed: its SDK reads them, as far as this side can know. */
  #canPack(peerId: string): boolean {
    if (!this.#packSignals) return false;
    return this.#packingPeers.has(peerId) || this.signals.supports?.(peerId, SDP_CODEC) === true;
  }

  #hold(early: EarlySignal, event: 'signal' | 'call-signal'): void {
    this.#early.push(early);
    if (this.#events.hasListeners(event)) this.#deliverEarly(event);
  }

  /** Hands buffered signals to the first listener of their event, in arrival order. */
  #deliverEarly(event: keyof PeerManagerEvents): void {
    const kind = event === 'signal' ? 'app' : event === 'call-signal' ? 'call' : undefined;
    if (kind === undefined || this.#early.size === 0) return;
    // After the caller's on() returned, so that a listener never runs inside its own subscription.
    queueMicrotask(() => {
      if (!this.#events.hasListeners(event)) return;
      for (const early of this.#early.take((e) => e.kind === kind)) {
        if (early.kind === 'app') this.#events.emit('signal', early.from, early.data);
        else if (early.kind === 'call') this.#events.emit('call-signal', early.from, early.signal);
      }
    });
  }

  #dropped(early: EarlySignal, reason: EarlyDropReason): void {
    const kind = early.kind === 'link' ? (early.signal.k === 'call' ? 'call' : early.signal.k) : early.kind;
    this.#events.emit('signal-dropped', { from: early.from, kind, reason });
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
