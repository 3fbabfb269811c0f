/**
 * "X is calling": a modal dialog with Accept and Decline, and the ring. A native <dialog> opened with
 * showModal() traps focus and restores it on close; Escape declines.
 */
import { createIdFactory, h, icon } from '../shell/dom.js';
import { ICONS } from '../shell/icons.js';
import { initials } from '../lobby/presence-label.js';
import { RingTone } from './ring-tone.js';

const nextId = createIdFactory('incoming');

/** The incoming-call dialog. */
export class IncomingCallDialog {
  readonly element: HTMLDialogElement;
  readonly #ring = new RingTone();
  #settled = false;

  constructor(callerName: string, onAccept: () => void, onDecline: () => void) {
    const titleId = nextId();
    const settle = (action: () => void): void => {
      if (this.#settled) return;
      this.#settled = true;
      this.close();
      action();
    };
    this.element = h(
      'dialog',
      {
        class: 'incoming-call',
        role: 'alertdialog',
        'aria-labelledby': titleId,
        'data-testid': 'incoming-call',
      },
      h('div', { class: 'incoming-avatar', 'aria-hidden': 'true' }, initials(callerName)),
      h('h2', { id: titleId, class: 'incoming-title' }, `${callerName} is calling`),
      h('p', { class: 'muted' }, 'Video call'),
      h(
        'div',
        { class: 'incoming-actions' },
        h(
          'button',
          { type: 'button', class: 'btn btn-danger', onclick: () => settle(onDecline) },
          icon(ICONS.hangUp),
          'Decline',
        ),
        h(
          'button',
          { type: 'button', class: 'btn btn-success', autofocus: true, onclick: () => settle(onAccept) },
          icon(ICONS.phone),
          'Accept',
        ),
      ),
    );
    this.element.addEventListener('cancel', (event) => {
      event.preventDefault();
      settle(onDecline);
    });
  }

  /** Show the dialog and start ringing. */
  open(): void {
    document.body.appendChild(this.element);
    this.element.showModal();
    this.#ring.start();
  }

  /** Stop ringing and remove the dialog (the caller cancelled, or the person answered). */
  close(): void {
    this.#settled = true;
    this.#ring.stop();
    if (this.element.open) this.element.close();
    this.element.remove();
  }
}
