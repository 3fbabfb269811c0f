/** One person in the group grid: their video, name and connection state. */
import { h } from '../shell/dom.js';

const STATE_TEXT: Partial<Record<RTCPeerConnectionState, string>> = {
  new: 'Connecting…',
  connecting: 'Connecting…',
  disconnected: 'Reconnecting…',
  failed: 'Connection failed',
};

/** A video tile. */
export class GroupTile {
  readonly element: HTMLElement;
  readonly #video: HTMLVideoElement;
  readonly #name: HTMLElement;
  readonly #state: HTMLElement;
  readonly #disposers: (() => void)[] = [];

  constructor(name: string, isSelf: boolean) {
    this.#video = h('video', {
      autoplay: true,
      playsinline: true,
      muted: isSelf,
      class: isSelf ? 'mirror-video' : '',
    });
    this.#video.muted = isSelf;
    this.#name = h('span', { class: 'video-label' }, name);
    this.#state = h('span', { class: 'tile-state' }, isSelf ? '' : 'Connecting…');
    this.element = h(
      'figure',
      {
        class: `video-frame group-tile${isSelf ? ' is-self' : ''}`,
        'data-testid': isSelf ? 'self-tile' : 'remote-tile',
      },
      this.#video,
      this.#name,
      this.#state,
    );
    this.#video.setAttribute('aria-label', `${name}'s video`);
  }

  /** Show `stream`. */
  showStream(stream: MediaStream): void {
    if (this.#video.srcObject !== stream) this.#video.srcObject = stream;
  }

  /** Update the displayed name. */
  setName(name: string): void {
    if (this.#name.textContent !== name) this.#name.textContent = name;
    this.#video.setAttribute('aria-label', `${name}'s video`);
  }

  /** Reflect the link's connection state. */
  setState(state: RTCPeerConnectionState): void {
    this.#state.textContent = STATE_TEXT[state] ?? '';
  }

  /** Run `dispose` when the tile goes away. */
  onDispose(dispose: () => void): void {
    this.#disposers.push(dispose);
  }

  /** Release the stream and listeners. */
  dispose(): void {
    for (const dispose of this.#disposers.splice(0)) dispose();
    this.#video.srcObject = null;
  }
}
