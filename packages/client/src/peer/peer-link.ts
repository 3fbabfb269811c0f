/**
 * One link to one remote peer: one RTCPeerConnection that carries media and any number of named channels,
 * negotiated with perfect negotiation (perfect-negotiator.ts) and kept alive with ICE restarts
 * (ice-restarter.ts). Apps never call createOffer: adding a channel or a track is enough.
 */
import { SwitchboardError } from '@switchboard/protocol';
import type { ChannelInit } from '../data/channel-registry.js';
import type { FileSource } from '../data/file-source.js';
import type { OutgoingFileTransfer } from '../data/outgoing-file-transfer.js';
import type { PeerChannel } from '../data/peer-channel.js';
import { closeOutsideCallbacks } from './close-outside-callbacks.js';
import { IceRestarter } from './ice-restarter.js';
import { LinkDataChannels } from './link-data-channels.js';
import { LocalMedia } from './local-media.js';
import { readLinkStats, type LinkStats } from './link-stats.js';
import type { PeerLinkEvents, PeerLinkState, LinkCloseReason } from './peer-link-events.js';
import type { PeerLinkInit } from './peer-link-options.js';
import type { PeerSignal } from './peer-signal.js';
import { PerfectNegotiator } from './perfect-negotiator.js';
import { randomId } from './random-id.js';
import { RemoteStreamTracker } from './remote-stream-tracker.js';
import { TypedEmitter, type Subscribable } from './typed-emitter.js';
import { whenLinkConnected } from './when-link-connected.js';

/** A WebRTC connection to one remote peer. Created by `PeerManager.connect()` or by an incoming offer. */
export class PeerLink implements Subscribable<PeerLinkEvents> {
  /** The remote peer's id. */
  readonly peerId: string;
  /** This side's perfect-negotiation role toward the remote peer. */
  readonly isPolite: boolean;
  /** The underlying connection (for advanced use: transceivers, codecs). */
  readonly pc: RTCPeerConnection;
  /** This incarnation's id; every envelope the link sends carries it (link-incarnations.ts). */
  readonly linkId = randomId(9);
  readonly #send: (signal: PeerSignal) => Promise<void>;
  readonly #events = new TypedEmitter<PeerLinkEvents>();
  readonly #negotiator: PerfectNegotiator;
  readonly #restarter: IceRestarter;
  readonly #streams: RemoteStreamTracker;
  readonly #channels: LinkDataChannels;
  readonly #media: LocalMedia;
  #remoteLinkId: string | undefined;
  #isConnected = false;
  #isClosed = false;

  constructor(init: PeerLinkInit) {
    this.peerId = init.peerId;
    this.isPolite = init.isPolite;
    this.pc = init.pc;
    this.#send = init.send;
    const { pc } = this;
    this.#media = new LocalMedia(pc);
    this.#channels = new LinkDataChannels({
      pc,
      isPolite: init.isPolite,
      options: init.options,
      onChannel: (channel) => this.#events.emit('channel', channel),
      onFile: (transfer) => {
        if (!this.#events.hasListeners('file')) return false;
        this.#events.emit('file', transfer);
        return true;
      },
    });
    this.#negotiator = new PerfectNegotiator({
      pc,
      isPolite: init.isPolite,
      iceMode: init.options.iceMode,
      gatheringTimeoutMs: init.options.gatheringTimeoutMs,
      candidateBatchMs: init.options.candidateBatchMs,
      send: (signal) => this.#signal(signal),
      reportError: (error) => this.#events.emit('error', error),
    });
    this.#restarter = new IceRestarter({
      pc,
      policy: init.options.iceRestartPolicy,
      disconnectedTimeoutMs: init.options.disconnectedTimeoutMs,
      restartTimeoutMs: init.options.iceRestartTimeoutMs,
      connectTimeoutMs: init.options.iceConnectTimeoutMs,
      onRestart: (info) => this.#events.emit('ice-restart', info),
      onRecovered: (info) => this.#events.emit('ice-recovered', info),
      onGiveUp: ({ attempts }) => {
        this.#events.emit(
          'error',
          new SwitchboardError('ICE_FAILED', `ICE failed after ${attempts} restart(s); giving up.`),
        );
        this.#close('failed', false);
      },
    });
    this.#streams = new RemoteStreamTracker(
      (stream) => this.#events.emit('stream', stream),
      (stream) => this.#events.emit('stream-removed', stream),
    );
    pc.addEventListener('negotiationneeded', () => void this.#negotiator.onNegotiationNeeded());
    pc.addEventListener('track', (event) => this.#streams.onTrack(event));
    const onState = (): void => this.#onStateChange();
    for (const name of [
      'signalingstatechange',
      'iceconnectionstatechange',
      'icegatheringstatechange',
      'connectionstatechange',
    ]) {
      pc.addEventListener(name, onState);
    }
  }

  /** The four connection states, as one snapshot. */
  get state(): PeerLinkState {
    const { signalingState, iceConnectionState, iceGatheringState, connectionState } = this.pc;
    return { signalingState, iceConnectionState, iceGatheringState, connectionState };
  }

  /** The remote link's id, once an envelope from it arrived (older SDKs send none). */
  get remoteLinkId(): string | undefined {
    return this.#remoteLinkId;
  }

  /** Whether the link is connected now. */
  get isConnected(): boolean {
    return this.#isConnected;
  }

  /** Whether `close()` ran or the link failed for good. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Remote media streams currently received. */
  get remoteStreams(): MediaStream[] {
    return this.#streams.streams;
  }

  /** Named channels of this link. */
  get channels(): PeerChannel[] {
    return this.#channels.list;
  }

  on<K extends keyof PeerLinkEvents>(event: K, listener: PeerLinkEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof PeerLinkEvents>(event: K, listener: PeerLinkEvents[K]): () => void {
    return this.#events.once(event, listener);
  }

  /**
   * The channel called `name`, opened on first use (this renegotiates if needed). The same name on both
   * sides is the same channel, even if both open it at the same moment.
   *
   * @example const chat = link.channel('chat'); chat.on('message', (m) => ...); await chat.send('hi');
   */
  channel(name: string, init: ChannelInit = {}): PeerChannel {
    this.#throwIfClosed();
    const channel = this.#channels.open(name, init);
    this.#negotiator.offerFirst();
    return channel;
  }

  /** Sends a track to the remote peer (renegotiates). Returns its sender. */
  addTrack(track: MediaStreamTrack, stream: MediaStream): RTCRtpSender {
    this.#throwIfClosed();
    const sender = this.#media.add(track, stream);
    this.#negotiator.offerFirst();
    return sender;
  }

  /** Sends every track of `stream`. */
  addStream(stream: MediaStream): void {
    for (const track of stream.getTracks()) this.addTrack(track, stream);
  }

  /** Stops sending `track` (renegotiates; the remote stream loses it). */
  removeTrack(track: MediaStreamTrack): void {
    if (!this.#isClosed) this.#media.remove(track);
  }

  /**
   * Swaps `oldTrack` for `newTrack` on the same sender, with no renegotiation: switch camera, share the
   * screen, or pass `null` to send nothing for a while.
   */
  replaceTrack(oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack | null): Promise<void> {
    return this.#media.replace(oldTrack, newTrack);
  }

  /** Sends a file on its own channel. Watch `progress`; await `result`. */
  sendFile(source: FileSource): OutgoingFileTransfer {
    this.#throwIfClosed();
    return this.#channels.sendFile(source);
  }

  /** Restarts ICE now (normally automatic on failure). */
  restartIce(): void {
    this.#throwIfClosed();
    this.#restarter.restartNow();
  }

  /** The selected path (host/srflx/prflx/relay on each side) and RTT, from getStats. */
  getStats(): Promise<LinkStats> {
    return readLinkStats(this.pc);
  }

  /** Resolves when connected; rejects with `TIMEOUT` after `timeoutMs`, or `CONNECTION_CLOSED` on close. */
  whenConnected(timeoutMs = 30_000): Promise<void> {
    return whenLinkConnected(this, timeoutMs);
  }

  /** Closes the link and tells the remote peer at once. */
  close(): void {
    this.#close('local', true);
  }

  /** Closes the link because the remote peer started a new incarnation (no bye: its old link is gone). */
  replace(): void {
    this.#close('remote', false);
  }

  /** Handles an envelope from the remote peer (called by the manager). */
  handleSignal(signal: PeerSignal): void {
    if (this.#isClosed) return;
    if (signal.k !== 'call' && signal.l !== undefined) this.#remoteLinkId ??= signal.l;
    if (signal.k === 'bye') this.#close('remote', false);
    else if (signal.k === 'sdp' || signal.k === 'ice') void this.#negotiator.handle(signal);
  }

  /** Uses `iceServers` from now on (fresh TURN credentials; takes effect on the next ICE restart). */
  setIceServers(iceServers: readonly RTCIceServer[]): void {
    if (this.#isClosed) return;
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers: [...iceServers] });
  }

  /** Stamps this incarnation's id and, once known, the remote one's on an envelope. */
  #stamped(signal: Exclude<PeerSignal, { k: 'call' }>): PeerSignal {
    const remote = this.#remoteLinkId;
    return remote === undefined ? { ...signal, l: this.linkId } : { ...signal, l: this.linkId, r: remote };
  }

  #signal(signal: Exclude<PeerSignal, { k: 'call' }>): void {
    if (this.#isClosed) return;
    this.#send(this.#stamped(signal)).catch((error: unknown) => {
      if (this.#isClosed) return;
      const wrapped =
        error instanceof SwitchboardError
          ? error
          : new SwitchboardError('NEGOTIATION_FAILED', 'A signal could not be sent.', { cause: error });
      this.#events.emit('error', wrapped);
    });
  }

  #onStateChange(): void {
    if (this.#isClosed) return;
    const state = this.state;
    this.#events.emit('state', state);
    this.#restarter.onIceConnectionState(state.iceConnectionState);
    const isUp = state.connectionState === 'connected';
    if (isUp && !this.#isConnected) {
      this.#isConnected = true;
      this.#events.emit('connected');
    } else if (
      !isUp &&
      this.#isConnected &&
      state.iceConnectionState !== 'completed' &&
      state.iceConnectionState !== 'connected'
    ) {
      this.#isConnected = false;
    }
  }

  #close(reason: LinkCloseReason, shouldTellRemote: boolean): void {
    if (this.#isClosed) return;
    if (shouldTellRemote) this.#send(this.#stamped({ sb: 1, k: 'bye' })).catch(() => undefined);
    this.#isClosed = true;
    this.#isConnected = false;
    this.#negotiator.close();
    this.#restarter.dispose();
    this.#streams.clear();
    this.#channels.closeAll();
    closeOutsideCallbacks(this.pc);
    this.#events.emit('close', reason);
    this.#events.clear();
  }

  #throwIfClosed(): void {
    if (this.#isClosed)
      throw new SwitchboardError('CONNECTION_CLOSED', `The link to ${this.peerId} is closed.`);
  }
}
