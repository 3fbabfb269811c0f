/**
 * The photo booth: snapshot a video (your own camera or the other person's) into a canvas, pick a filter,
 * download a PNG. The snapshot is kept unfiltered, so switching filters never compounds them.
 */
import { createIdFactory, h, icon, replaceChildren } from '../shell/dom.js';
import { ICONS } from '../shell/icons.js';
import type { Announcer } from '../shell/announcer.js';
import { PHOTO_FILTERS, type PhotoFilter } from './photo-filters.js';

import './booth.css';

const nextId = createIdFactory('booth');

/** A video the booth can photograph. */
export interface BoothSource {
  readonly label: string;
  readonly video: HTMLVideoElement;
}

/** The photo booth panel. */
export class PhotoBooth {
  readonly element: HTMLElement;
  readonly #sources: () => readonly BoothSource[];
  readonly #announcer: Announcer;
  readonly #sourceSelect: HTMLSelectElement;
  readonly #canvas: HTMLCanvasElement;
  readonly #filters: HTMLElement;
  readonly #download: HTMLButtonElement;
  readonly #placeholder: HTMLElement;
  #snapshot: ImageData | null = null;
  #filter: PhotoFilter = PHOTO_FILTERS[0] as PhotoFilter;

  constructor(sources: () => readonly BoothSource[], announcer: Announcer) {
    this.#sources = sources;
    this.#announcer = announcer;
    const sourceId = nextId();
    const filterLabelId = nextId();
    this.#sourceSelect = h('select', { id: sourceId, onfocus: () => this.refreshSources() });
    this.#canvas = h('canvas', {
      class: 'booth-canvas',
      role: 'img',
      'aria-label': 'Your photo',
      hidden: true,
    });
    this.#placeholder = h('p', { class: 'booth-placeholder muted' }, 'Take a photo to see it here.');
    this.#filters = h(
      'div',
      { class: 'booth-filters', role: 'radiogroup', 'aria-labelledby': filterLabelId },
      ...PHOTO_FILTERS.map((filter) =>
        h(
          'button',
          {
            type: 'button',
            role: 'radio',
            class: 'chip',
            'data-filter': filter.id,
            'aria-checked': filter === this.#filter ? 'true' : 'false',
            disabled: true,
            onclick: () => this.#applyFilter(filter),
          },
          filter.label,
        ),
      ),
    );
    this.#download = h(
      'button',
      { type: 'button', class: 'btn btn-secondary', disabled: true, onclick: () => void this.#downloadPng() },
      icon(ICONS.download),
      h('span', {}, 'Download PNG'),
    );
    this.element = h(
      'section',
      { class: 'booth', 'aria-label': 'Photo booth' },
      h(
        'div',
        { class: 'booth-row' },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Photograph'), this.#sourceSelect),
        h(
          'button',
          { type: 'button', class: 'btn btn-primary booth-shoot', onclick: () => this.#takePhoto() },
          icon(ICONS.camera),
          h('span', {}, 'Take photo'),
        ),
      ),
      h('div', { class: 'booth-stage' }, this.#canvas, this.#placeholder),
      h('span', { id: filterLabelId, class: 'field-label' }, 'Filter'),
      this.#filters,
      this.#download,
    );
    this.refreshSources();
  }

  /** Re-read the available videos (a remote video appears once a call connects). */
  refreshSources(): void {
    const selected = this.#sourceSelect.value;
    replaceChildren(
      this.#sourceSelect,
      ...this.#sources().map((source, index) =>
        h('option', { value: String(index), selected: String(index) === selected }, source.label),
      ),
    );
  }

  #takePhoto(): void {
    this.refreshSources();
    const source = this.#sources()[Number(this.#sourceSelect.value)];
    const video = source?.video;
    if (video === undefined || video.videoWidth === 0) {
      this.#announcer.announce('There is no picture to photograph yet.', 'error');
      return;
    }
    this.#canvas.width = video.videoWidth;
    this.#canvas.height = video.videoHeight;
    const context = this.#context();
    context.drawImage(video, 0, 0);
    this.#snapshot = context.getImageData(0, 0, this.#canvas.width, this.#canvas.height);
    this.#canvas.hidden = false;
    this.#placeholder.hidden = true;
    this.#download.disabled = false;
    for (const button of this.#filters.querySelectorAll('button')) button.disabled = false;
    this.#applyFilter(this.#filter);
    this.#announcer.announce(`Photo taken of ${source?.label ?? 'the video'}.`);
  }

  #applyFilter(filter: PhotoFilter): void {
    this.#filter = filter;
    for (const button of this.#filters.querySelectorAll<HTMLButtonElement>('button')) {
      button.setAttribute('aria-checked', button.dataset['filter'] === filter.id ? 'true' : 'false');
    }
    const snapshot = this.#snapshot;
    if (snapshot === null) return;
    const copy = new ImageData(new Uint8ClampedArray(snapshot.data), snapshot.width, snapshot.height);
    filter.apply(copy.data);
    this.#context().putImageData(copy, 0, 0);
  }

  async #downloadPng(): Promise<void> {
    const blob = await new Promise<Blob | null>((resolve) => this.#canvas.toBlob(resolve, 'image/png'));
    if (blob === null) {
      this.#announcer.announce('The photo could not be saved.', 'error');
      return;
    }
    const url = URL.createObjectURL(blob);
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    const link = h('a', { href: url, download: `switchboard-${this.#filter.id}-${stamp}.png`, hidden: true });
    document.body.appendChild(link);
    link.click();
    link.remove();
    // Revoke later: the download starts asynchronously from the object URL.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  #context(): CanvasRenderingContext2D {
    const context = this.#canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('2D canvas is not available');
    return context;
  }
}
