/**
 * The 1:1 call screen: remote video large, your own picture small, a status line that says exactly what
 * is happening (calling, ringing, connecting, declined, busy, no answer, ended), the timer, the controls,
 * and a side panel with chat, files, photo booth and connection details once the link exists.
 */
import type { PeerLink } from '@switchboard/client';
import { PhotoBooth } from '../booth/photo-booth.js';
import { ChatPanel } from '../chat/chat-panel.js';
import { FilePanel } from '../files/file-panel.js';
import { fileTransportOf } from '../link/link-file-transport.js';
import { textChannelOf } from '../link/link-text-channel.js';
import type { LocalMedia } from '../media/local-media.js';
import type { Announcer } from '../shell/announcer.js';
import { createIdFactory, h } from '../shell/dom.js';
import { Tabs } from '../shell/tabs.js';
import { CallControls } from './call-controls.js';
import { CallTimer } from './call-timer.js';
import { DetailsPanel } from './details-panel.js';

import './call.css';

const nextId = createIdFactory('call');

/** Options of the call view. */
export interface CallViewOptions {
  readonly peerName: string;
  readonly selfName: string;
  readonly media: LocalMedia;
  readonly announcer: Announcer;
  readonly onHangUp: () => void;
}

/** The call screen. */
export class CallView {
  readonly element: HTMLElement;
  readonly #options: CallViewOptions;
  readonly #remoteVideo: HTMLVideoElement;
  readonly #localVideo: HTMLVideoElement;
  readonly #status: HTMLElement;
  readonly #timer = new CallTimer();
  readonly #controls: CallControls;
  readonly #side: HTMLElement;
  readonly #disposers: (() => void)[] = [];
  #hasLink = false;
  #tabs: Tabs | undefined;

  constructor(options: CallViewOptions) {
    this.#options = options;
    const titleId = nextId();
    this.#remoteVideo = h('video', {
      class: 'remote-video',
      autoplay: true,
      playsinline: true,
      'data-testid': 'remote-video',
      'aria-label': `${options.peerName}'s video`,
    });
    this.#localVideo = h('video', {
      class: 'local-video mirror-video',
      autoplay: true,
      muted: true,
      playsinline: true,
      'data-testid': 'local-video',
      'aria-label': 'Your video',
    });
    this.#localVideo.muted = true;
    this.#status = h('p', { class: 'call-status', role: 'status', 'data-testid': 'call-status' });
    this.#controls = new CallControls(options.media, options.announcer, options.onHangUp);
    this.#side = h(
      'aside',
      { class: 'call-side panel', 'aria-label': 'Chat, files and details' },
      h('p', { class: 'muted call-side-empty' }, 'Chat and files open once the call connects.'),
    );
    this.element = h(
      'section',
      { class: 'call', 'aria-labelledby': titleId, 'data-testid': 'call' },
      h(
        'div',
        { class: 'call-main' },
        h(
          'div',
          { class: 'call-head' },
          h('h2', { id: titleId, class: 'call-title' }, `Call with ${options.peerName}`),
          this.#timer.element,
        ),
        h(
          'div',
          { class: 'call-videos' },
          h(
            'div',
            { class: 'video-frame remote-frame' },
            this.#remoteVideo,
            h('span', { class: 'video-label' }, options.peerName),
            h('div', { class: 'call-overlay' }, this.#status),
          ),
          h(
            'div',
            { class: 'video-frame local-frame' },
            this.#localVideo,
            h('span', { class: 'video-label' }, 'You'),
          ),
        ),
        this.#controls.element,
      ),
      this.#side,
    );
    this.#disposers.push(options.media.trackReplaced.add(() => this.#showLocal()));
    this.#showLocal();
  }

  /** Show a status line; `tone` colours it. An empty text hides the overlay. */
  setStatus(text: string, tone: 'info' | 'error' = 'info'): void {
    this.#status.textContent = text;
    this.#status.dataset['tone'] = tone;
    this.element.classList.toggle('has-status', text !== '');
  }

  /**
   * The call's link exists: show its remote media and open chat, files, booth and details on it. Only the
   * caller opens the chat channel (in its first offer, with its media); the callee's tools open when that
   * channel arrives. The callee adds its own media only after that offer (RoomCalls), so the two sides
   * never negotiate at the same moment.
   */
  attachLink(link: PeerLink, isCaller: boolean): void {
    if (this.#hasLink) return;
    this.#hasLink = true;
    const showStream = (stream: MediaStream): void => {
      this.#remoteVideo.srcObject = stream;
    };
    for (const stream of link.remoteStreams) showStream(stream);
    this.#disposers.push(link.on('stream', showStream));
    if (isCaller || link.channels.some((channel) => channel.name === 'chat')) {
      this.#openTools(link);
      return;
    }
    const off = link.on('channel', (channel) => {
      if (channel.name !== 'chat') return;
      off();
      this.#openTools(link);
    });
    this.#disposers.push(off);
  }

  #openTools(link: PeerLink): void {
    if (this.#side.querySelector('.tab-set') !== null) return;
    const { peerName, selfName, announcer } = this.#options;
    const chat = new ChatPanel({
      channel: textChannelOf(link, 'chat'),
      selfName,
      peerName,
      onIncoming: () => this.#tabs?.flag('chat'),
    });
    const files = new FilePanel(fileTransportOf(link), peerName, () => this.#tabs?.flag('files'));
    const booth = new PhotoBooth(
      () => [
        { label: `${peerName}'s video`, video: this.#remoteVideo },
        { label: 'My camera', video: this.#localVideo },
      ],
      announcer,
    );
    const details = new DetailsPanel(link);
    const tabs = new Tabs(
      [
        { id: 'chat', label: 'Chat', content: chat.element },
        { id: 'files', label: 'Files', content: files.element },
        { id: 'booth', label: 'Photo booth', content: booth.element },
        { id: 'details', label: 'Details', content: details.element },
      ],
      'Call tools',
    );
    this.#tabs = tabs;
    this.#side.replaceChildren(tabs.element);
    this.#disposers.push(
      () => chat.dispose(),
      () => files.dispose(),
      () => details.dispose(),
    );
  }

  /** Media is flowing: start the timer and clear the status. */
  markConnected(): void {
    this.#timer.start();
    this.setStatus('');
  }

  /** Media stopped for a moment (ICE restarting). */
  markReconnecting(): void {
    this.setStatus('Connection interrupted. Reconnecting…');
  }

  /** The call is over: stop the timer and disable the controls. */
  end(text: string, tone: 'info' | 'error'): void {
    this.#timer.stop();
    this.#controls.disable();
    this.setStatus(text, tone);
  }

  /** Seconds the call lasted. */
  get durationSeconds(): number {
    return this.#timer.elapsedSeconds;
  }

  /** Release everything. */
  dispose(): void {
    this.#timer.stop();
    this.#controls.dispose();
    for (const dispose of this.#disposers) dispose();
    this.#remoteVideo.srcObject = null;
    this.#localVideo.srcObject = null;
  }

  #showLocal(): void {
    const track = this.#options.media.videoTrack;
    this.#localVideo.srcObject = track === null ? null : new MediaStream([track]);
    this.#localVideo.classList.toggle('mirror-video', !this.#options.media.isSharingScreen);
  }
}
