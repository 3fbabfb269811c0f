/**
 * 1:1 calls in a room, on the SDK's CallController: place a call from the contact list, answer with the
 * "is calling" dialog, and show the call screen from the first ring to the last word. One call at a time;
 * the SDK answers a second caller with `busy` by itself.
 *
 * Invariants:
 * - The call's link is closed when the call ends, on both sides, so a next call starts from a fresh
 *   connection and nothing (chat, transfers) outlives the call it belongs to.
 * - Every way a call can end maps to one sentence the caller and callee see.
 */
import {
  CallController,
  PeerManager,
  signalChannelFromClient,
  type Call,
  type CallEndReason,
  type PeerLink,
  type SignalingClient,
} from '@switchboard/client';
import type { PeerInfo, PeerStatus } from '@switchboard/protocol';
import { sendLocalMedia } from '../link/link-media-sender.js';
import type { LocalMedia } from '../media/local-media.js';
import type { Announcer } from '../shell/announcer.js';
import { h } from '../shell/dom.js';
import { CallView } from './call-view.js';
import { IncomingCallDialog } from './incoming-call-dialog.js';

/** How long an ended call's final message stays before the room comes back. */
const ENDED_MESSAGE_MS = 6000;

/** Options of the room's calls. */
export interface RoomCallsOptions {
  readonly client: SignalingClient;
  readonly room: string;
  readonly selfName: string;
  readonly media: LocalMedia;
  readonly announcer: Announcer;
  /** Where the call screen goes. */
  readonly stage: HTMLElement;
  /** A call started or the last one went away (the room hides its lobby while true). */
  readonly onActiveChange: (isActive: boolean) => void;
  /** Publish presence: `busy` during a call, `available` after. */
  readonly publishStatus: (status: PeerStatus) => Promise<void>;
}

/** The sentence for an ended call, from this side's point of view. */
export function describeCallEnd(
  reason: CallEndReason,
  peerName: string,
  direction: 'outgoing' | 'incoming',
): string {
  switch (reason) {
    case 'declined':
      return direction === 'outgoing' ? `${peerName} declined the call.` : 'You declined the call.';
    case 'busy':
      return `${peerName} is busy in another call.`;
    case 'no-answer':
      return direction === 'outgoing' ? `${peerName} did not answer.` : `Missed call from ${peerName}.`;
    case 'cancelled':
      return direction === 'outgoing' ? 'Call cancelled.' : `${peerName} hung up before you answered.`;
    case 'hangup':
      return 'Call ended.';
    case 'remote-hangup':
      return `${peerName} hung up.`;
    case 'failed':
      return `The connection to ${peerName} failed.`;
  }
}

/** Places and answers the calls of one room. */
export class RoomCalls {
  readonly #options: RoomCallsOptions;
  readonly #peers: PeerManager;
  readonly #calls: CallController;
  readonly #unsubscribe: (() => void)[] = [];
  #current: { call: Call; view: CallView; dispose: (() => void)[] } | undefined;
  #ringing: { call: Call; dialog: IncomingCallDialog } | undefined;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: RoomCallsOptions) {
    this.#options = options;
    this.#peers = new PeerManager({
      signals: signalChannelFromClient(options.client),
      // Media links come only from the person we are in a call with.
      acceptLink: (peerId) => this.#current?.call.peerId === peerId,
    });
    this.#calls = new CallController({ peers: this.#peers, publishStatus: options.publishStatus });
    this.#unsubscribe.push(
      this.#calls.on('incoming', (call) => this.#onIncoming(call)),
      this.#calls.on('error', (error) =>
        options.announcer.announce(`Call problem: ${error.message}`, 'error'),
      ),
    );
  }

  /** Whether a call is on screen. */
  get isBusy(): boolean {
    return this.#current !== undefined;
  }

  /** Call `peer`. */
  call(peer: PeerInfo): void {
    if (this.#current !== undefined) return;
    const name = peer.metadata.nickname;
    const stream = this.#outgoingStream();
    const call = this.#calls.call(peer.peerId, { nickname: this.#options.selfName, video: true }, stream);
    this.#show(call, name);
  }

  /**
   * A peer left the room. A call still ringing from them can never be answered, so it stops ringing; an
   * active call keeps going while its media flows (the link, not the broker, decides when it is over).
   */
  peerLeft(peerId: string): void {
    const ringing = this.#ringing;
    if (ringing === undefined || ringing.call.peerId !== peerId) return;
    this.#ringing = undefined;
    ringing.dialog.close();
    this.#options.announcer.announce(`Missed call from ${this.#nameOf(ringing.call)}.`);
  }

  /** Hang up and stop. */
  dispose(): void {
    for (const off of this.#unsubscribe) off();
    this.#ringing?.dialog.close();
    this.#calls.close();
    this.#clearCurrent();
    this.#peers.close();
  }

  #outgoingStream(): MediaStream | undefined {
    return this.#options.media.stream.getTracks().length > 0 ? this.#options.media.stream : undefined;
  }

  #nameOf(call: Call): string {
    const known = this.#options.client.peers(this.#options.room).find((peer) => peer.peerId === call.peerId);
    const claimed = call.metadata['nickname'];
    return known?.metadata.nickname ?? (typeof claimed === 'string' ? claimed : 'Someone');
  }

  #onIncoming(call: Call): void {
    // CallController answers `busy` by itself while a call is in progress, so a call still on screen
    // here has ended and only shows its last words: make way for the new one.
    const shown = this.#current;
    if (shown !== undefined) this.#finish(shown.call);
    const name = this.#nameOf(call);
    this.#options.announcer.announce(`${name} is calling.`);
    const dialog = new IncomingCallDialog(
      name,
      () => {
        this.#ringing = undefined;
        // No stream here: the callee's media follows the caller's first offer (see #onActive).
        call.accept();
      },
      () => {
        this.#ringing = undefined;
        call.decline();
      },
    );
    this.#ringing = { call, dialog };
    const offEnded = call.once('ended', () => {
      if (this.#ringing?.dialog === dialog) {
        dialog.close();
        this.#ringing = undefined;
      }
    });
    dialog.open();
    const offPhase = call.on('phase', (phase) => {
      if (phase !== 'active') return;
      offPhase();
      this.#show(call, name);
    });
    call.once('ended', () => {
      offPhase();
      offEnded();
      if (this.#current?.call !== call) {
        this.#options.announcer.announce(describeCallEnd(call.endReason ?? 'hangup', name, 'incoming'));
      }
    });
  }

  #show(call: Call, peerName: string): void {
    clearTimeout(this.#closeTimer);
    this.#clearCurrent();
    const view = new CallView({
      peerName,
      selfName: this.#options.selfName,
      media: this.#options.media,
      announcer: this.#options.announcer,
      onHangUp: () => call.hangup(),
    });
    const dispose: (() => void)[] = [];
    this.#current = { call, view, dispose };
    this.#options.stage.replaceChildren(view.element);
    this.#options.onActiveChange(true);
    view.setStatus(call.direction === 'outgoing' ? `Calling ${peerName}…` : 'Connecting…');
    dispose.push(
      call.on('phase', (phase) => {
        if (phase === 'ringing') view.setStatus(`Ringing ${peerName}…`);
        if (phase === 'active') this.#onActive(call, view, dispose);
      }),
      call.on('ended', (reason) => this.#onEnded(call, view, peerName, reason)),
    );
    if (call.phase === 'active') this.#onActive(call, view, dispose);
    view.element.querySelector<HTMLElement>('[data-testid="hang-up"]')?.focus();
  }

  #onActive(call: Call, view: CallView, dispose: (() => void)[]): void {
    const link: PeerLink = call.link;
    view.setStatus('Connecting…');
    view.attachLink(link, call.direction === 'outgoing');
    dispose.push(
      call.direction === 'outgoing'
        ? // The SDK's Call added the stream on call(); from here on, follow device switches and screen shares.
          sendLocalMedia(link, this.#options.media, true)
        : this.#sendAfterFirstOffer(link),
    );
    const onState = (): void => {
      const ice = link.state.iceConnectionState;
      if (ice === 'connected' || ice === 'completed') view.markConnected();
      else if (ice === 'disconnected' && call.phase === 'active') view.markReconnecting();
    };
    dispose.push(link.on('state', onState), link.on('connected', onState));
    onState();
  }

  /**
   * The callee's media, added once the caller's first offer has been applied, so that only the caller
   * offers at the start of a call. That offer always exists, because it carries the chat channel
   * (CallView.attachLink), and the callee's tracks then go out with its answer or in one offer after it.
   *
   * Why not both at once: when both sides offer on accept, perfect negotiation rolls back the polite side's
   * offer. If that side is the caller, its offer introduced the link's data section (m=application), and
   * Chromium 156 then never negotiates data on that connection again, unless the offer it answered carried
   * m=application at the same mid: later offers leave the section out, answers reject it (port 0), and
   * negotiationneeded fires after every exchange. The chat channel never opens and the callee never sees
   * it. A caller without camera and microphone offers only the data section, so the callee's media offer
   * always collides at mid 0; with media on both sides it collides too, only more rarely.
   */
  #sendAfterFirstOffer(link: PeerLink): () => void {
    let stopSending: (() => void) | undefined;
    const start = (): void => {
      if (stopSending !== undefined || link.pc.remoteDescription === null) return;
      offState();
      stopSending = sendLocalMedia(link, this.#options.media);
    };
    const offState = link.on('state', start);
    start();
    return () => {
      offState();
      stopSending?.();
    };
  }

  #onEnded(call: Call, view: CallView, peerName: string, reason: CallEndReason): void {
    const text = describeCallEnd(reason, peerName, call.direction);
    const isRefusal =
      reason === 'declined' || reason === 'busy' || reason === 'no-answer' || reason === 'failed';
    view.end(text, isRefusal ? 'error' : 'info');
    this.#options.announcer.announce(text, isRefusal ? 'error' : 'info');
    const link = this.#peers.link(call.peerId);
    link?.close();
    const closeButton = h(
      'button',
      { type: 'button', class: 'btn btn-secondary', onclick: () => this.#finish(call) },
      'Back to the room',
    );
    view.element.querySelector('.call-controls')?.replaceChildren(closeButton);
    closeButton.focus();
    this.#closeTimer = setTimeout(() => this.#finish(call), ENDED_MESSAGE_MS);
  }

  #finish(call: Call): void {
    clearTimeout(this.#closeTimer);
    if (this.#current?.call !== call) return;
    this.#clearCurrent();
    this.#options.onActiveChange(false);
  }

  #clearCurrent(): void {
    const current = this.#current;
    if (current === undefined) return;
    this.#current = undefined;
    for (const off of current.dispose) off();
    current.view.dispose();
    this.#options.stage.replaceChildren();
  }
}
