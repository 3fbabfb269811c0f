/**
 * The header of a room: brand, room name with its invite link, the person's own nickname with a status
 * picker, and Leave.
 */
import type { PeerStatus } from '@switchboard/protocol';
import { createIdFactory, h, icon } from './dom.js';
import { ICONS } from './icons.js';

const nextId = createIdFactory('header');

/** Options of the room header. */
export interface AppHeaderOptions {
  readonly room: string;
  readonly nickname: string;
  readonly subtitle: string;
  readonly invite: HTMLElement;
  readonly onStatus: (status: PeerStatus) => void;
  readonly onLeave: () => void;
}

/** The room header. */
export class AppHeader {
  readonly element: HTMLElement;
  readonly #status: HTMLSelectElement;

  constructor(options: AppHeaderOptions) {
    const statusId = nextId();
    this.#status = h(
      'select',
      {
        id: statusId,
        class: 'status-select',
        onchange: () => options.onStatus(this.#status.value as PeerStatus),
      },
      h('option', { value: 'available' }, 'Available'),
      h('option', { value: 'away' }, 'Away'),
      h('option', { value: 'busy', disabled: true }, 'In a call'),
    );
    this.element = h(
      'header',
      { class: 'app-header' },
      h(
        'div',
        { class: 'header-main' },
        h(
          'a',
          { class: 'brand', href: '/', 'aria-label': 'Switchboard home' },
          icon(ICONS.users),
          h('span', {}, 'Switchboard'),
        ),
        h(
          'div',
          { class: 'room-title' },
          h('span', { class: 'room-name', 'data-testid': 'room-name' }, `# ${options.room}`),
          h('span', { class: 'room-subtitle muted' }, options.subtitle),
        ),
        h(
          'div',
          { class: 'self' },
          h('span', { class: 'self-name', 'data-testid': 'self-name' }, options.nickname),
          h('label', { class: 'visually-hidden', for: statusId }, 'Your status'),
          this.#status,
          h(
            'button',
            { type: 'button', class: 'btn btn-ghost btn-small', onclick: options.onLeave },
            icon(ICONS.leave),
            h('span', { class: 'btn-text' }, 'Leave'),
          ),
        ),
      ),
      options.invite,
    );
  }

  /** Reflect the status (the app sets "In a call" by itself). */
  setStatus(status: PeerStatus, locked: boolean): void {
    this.#status.value = status;
    this.#status.disabled = locked;
  }
}
