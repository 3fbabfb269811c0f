/**
 * Status messages for everyone: a polite aria-live region for screen readers plus a visible toast stack.
 * Rare, important events ("Ada is calling", "Call ended") go through here; continuous state (timers,
 * progress) does not, because a live region that talks every second is noise.
 */
import { h } from './dom.js';

/** The kind decides the toast colour and whether the live region is assertive. */
export type AnnouncementKind = 'info' | 'success' | 'error';

/** Announces status changes visibly and to assistive tech. */
export class Announcer {
  readonly element: HTMLElement;
  readonly #polite: HTMLElement;
  readonly #assertive: HTMLElement;
  readonly #toasts: HTMLElement;

  constructor() {
    this.#polite = h('div', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.#assertive = h('div', { class: 'visually-hidden', 'aria-live': 'assertive', 'aria-atomic': 'true' });
    this.#toasts = h('div', { class: 'toasts', 'aria-hidden': 'true' });
    this.element = h('div', { class: 'announcer' }, this.#polite, this.#assertive, this.#toasts);
  }

  /** Show a toast for a few seconds and read it out. */
  announce(message: string, kind: AnnouncementKind = 'info'): void {
    const region = kind === 'error' ? this.#assertive : this.#polite;
    // Clearing first makes screen readers repeat an identical message.
    region.textContent = '';
    queueMicrotask(() => (region.textContent = message));
    const toast = h('div', { class: `toast toast-${kind}` }, message);
    this.#toasts.appendChild(toast);
    setTimeout(() => toast.remove(), kind === 'error' ? 7000 : 4000);
  }
}
