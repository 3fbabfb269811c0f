/**
 * The mirror: a local preview with camera and microphone pickers and a level meter. It is what a person
 * sees before calling anyone, so it also explains any camera/microphone problem in plain words.
 */
import { createIdFactory, h, replaceChildren } from '../shell/dom.js';
import type { DeviceChoice, LocalMedia } from '../media/local-media.js';
import { LevelMeter } from './level-meter.js';

import './mirror.css';

const nextId = createIdFactory('mirror');

/** The local preview panel. */
export class MirrorView {
  readonly element: HTMLElement;
  readonly #media: LocalMedia;
  readonly #video: HTMLVideoElement;
  readonly #cameraSelect: HTMLSelectElement;
  readonly #microphoneSelect: HTMLSelectElement;
  readonly #problem: HTMLElement;
  readonly #meter: LevelMeter;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(media: LocalMedia) {
    this.#media = media;
    const cameraId = nextId();
    const microphoneId = nextId();
    const meterId = nextId();
    const headingId = nextId();
    this.#video = h('video', {
      class: 'mirror-video',
      autoplay: true,
      muted: true,
      playsinline: true,
      'aria-label': 'Your camera preview',
    });
    this.#video.muted = true;
    this.#cameraSelect = h('select', {
      id: cameraId,
      onchange: () => void this.#media.selectCamera(this.#cameraSelect.value),
    });
    this.#microphoneSelect = h('select', {
      id: microphoneId,
      onchange: () => void this.#media.selectMicrophone(this.#microphoneSelect.value),
    });
    this.#meter = new LevelMeter(meterId);
    this.#problem = h('p', { class: 'notice notice-warning', role: 'status', hidden: true });
    this.element = h(
      'section',
      { class: 'panel mirror', 'aria-labelledby': headingId },
      h('h2', { id: headingId, class: 'panel-title' }, 'Mirror'),
      h('div', { class: 'video-frame mirror-frame' }, this.#video),
      this.#problem,
      h(
        'div',
        { class: 'device-pickers' },
        // Labels point at their control with `for` instead of wrapping it, so a label's text is exactly
        // the control's name (a wrapping label's text would also hold every option of its select).
        field(cameraId, 'Camera', this.#cameraSelect),
        field(microphoneId, 'Microphone', this.#microphoneSelect),
        field(meterId, 'Microphone level', this.#meter.element),
      ),
    );
    this.#unsubscribe.push(media.changed.add(() => this.#render()));
    this.#unsubscribe.push(
      media.trackReplaced.add((kind, track) => {
        if (kind === 'audio') this.#meter.follow(track);
        else this.#attachPreview();
      }),
    );
    this.#attachPreview();
    this.#meter.follow(media.audioTrack);
    this.#render();
  }

  /** Release listeners and the audio analyser. */
  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#meter.dispose();
    this.#video.srcObject = null;
  }

  #attachPreview(): void {
    // A fresh MediaStream makes the <video> pick up a swapped track at once.
    const track = this.#media.videoTrack;
    this.#video.srcObject = track === null ? null : new MediaStream([track]);
  }

  #render(): void {
    const problem = this.#media.problem;
    this.#problem.hidden = problem === null;
    this.#problem.textContent = problem?.message ?? '';
    fillSelect(this.#cameraSelect, this.#media.cameras, this.#media.cameraId, 'No camera');
    fillSelect(this.#microphoneSelect, this.#media.microphones, this.#media.microphoneId, 'No microphone');
    this.element.classList.toggle(
      'is-video-off',
      !this.#media.videoEnabled || this.#media.videoTrack === null,
    );
  }
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { class: 'field-label', for: id }, label), control);
}

function fillSelect(
  select: HTMLSelectElement,
  choices: readonly DeviceChoice[],
  selected: string,
  empty: string,
): void {
  if (choices.length === 0) {
    replaceChildren(select, h('option', { value: '' }, empty));
    select.disabled = true;
    return;
  }
  replaceChildren(
    select,
    ...choices.map((choice) =>
      h('option', { value: choice.deviceId, selected: choice.deviceId === selected }, choice.label),
    ),
  );
  select.disabled = false;
}
