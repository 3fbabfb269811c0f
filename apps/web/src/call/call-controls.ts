/**
 * Call controls: mute, camera off, switch camera, share screen, hang up. Toggles are buttons with
 * `aria-pressed`, so a screen reader says "Mute, toggle button, pressed"; each reflects LocalMedia, which
 * is the single source of truth for what is being sent.
 */
import type { LocalMedia } from '../media/local-media.js';
import type { Announcer } from '../shell/announcer.js';
import { h, icon } from '../shell/dom.js';
import { ICONS, type IconName } from '../shell/icons.js';

/** The control bar. */
export class CallControls {
  readonly element: HTMLElement;
  readonly #media: LocalMedia;
  readonly #mute: HTMLButtonElement;
  readonly #camera: HTMLButtonElement;
  readonly #switchCamera: HTMLButtonElement;
  readonly #screen: HTMLButtonElement;
  readonly #hangUp: HTMLButtonElement;
  readonly #unsubscribe: () => void;

  constructor(media: LocalMedia, announcer: Announcer, onHangUp: () => void) {
    this.#media = media;
    this.#mute = controlButton('Mute', 'mic', () => media.setAudioEnabled(!media.audioEnabled));
    this.#camera = controlButton('Camera off', 'video', () => media.setVideoEnabled(!media.videoEnabled));
    this.#switchCamera = controlButton(
      'Switch camera',
      'switchCamera',
      () => void media.switchCamera(),
      false,
    );
    this.#screen = controlButton('Share screen', 'screen', () => {
      if (media.isSharingScreen) {
        media.stopScreenShare();
        return;
      }
      media.startScreenShare().catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'NotAllowedError') return; // The person chose Cancel.
        announcer.announce('Screen sharing could not start.', 'error');
      });
    });
    this.#hangUp = h(
      'button',
      { type: 'button', class: 'control control-hangup', 'data-testid': 'hang-up', onclick: onHangUp },
      icon(ICONS.hangUp),
      h('span', { class: 'control-label' }, 'Hang up'),
    );
    this.element = h(
      'div',
      { class: 'call-controls', role: 'toolbar', 'aria-label': 'Call controls' },
      this.#mute,
      this.#camera,
      this.#switchCamera,
      this.#screen,
      this.#hangUp,
    );
    this.#unsubscribe = media.changed.add(() => this.#render());
    this.#render();
  }

  /** Disable every control (the call ended). */
  disable(): void {
    for (const button of this.element.querySelectorAll('button')) button.disabled = true;
  }

  /** Stop following LocalMedia. */
  dispose(): void {
    this.#unsubscribe();
  }

  #render(): void {
    const media = this.#media;
    setToggle(
      this.#mute,
      !media.audioEnabled,
      media.audioEnabled ? 'mic' : 'micOff',
      media.audioTrack === null,
    );
    setToggle(
      this.#camera,
      !media.videoEnabled,
      media.videoEnabled ? 'video' : 'videoOff',
      media.videoTrack === null,
    );
    this.#switchCamera.disabled = !media.canSwitchCamera;
    setToggle(this.#screen, media.isSharingScreen, 'screen', !media.canShareScreen);
  }
}

function controlButton(
  label: string,
  iconName: IconName,
  onClick: () => void,
  isToggle = true,
): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: 'control', 'aria-pressed': isToggle ? 'false' : null, onclick: onClick },
    icon(ICONS[iconName]),
    h('span', { class: 'control-label' }, label),
  );
}

function setToggle(
  button: HTMLButtonElement,
  isPressed: boolean,
  iconName: IconName,
  isDisabled: boolean,
): void {
  button.setAttribute('aria-pressed', String(isPressed));
  button.disabled = isDisabled;
  button.querySelector('svg')?.replaceWith(icon(ICONS[iconName]));
}
