/**
 * Who else is in the room, with live presence. Each contact is a list item with a Call button; the list
 * is re-rendered from the roster on every presence event, keeping keyboard focus on the same contact.
 */
import type { PeerInfo } from '@switchboard/protocol';
import { createIdFactory, h, icon, replaceChildren } from '../shell/dom.js';
import { ICONS } from '../shell/icons.js';
import { describePresence, initials, sortContacts } from './presence-label.js';

const nextId = createIdFactory('contacts');

/** Options of the contact list. */
export interface ContactListOptions {
  /** Call this contact. Absent in group rooms, where everyone is connected already. */
  readonly onCall: ((peer: PeerInfo) => void) | undefined;
  readonly emptyText: string;
}

/** The live contact list. */
export class ContactList {
  readonly element: HTMLElement;
  readonly #list: HTMLUListElement;
  readonly #count: HTMLElement;
  readonly #options: ContactListOptions;
  #callsEnabled = true;
  #peers: readonly PeerInfo[] = [];

  constructor(options: ContactListOptions) {
    this.#options = options;
    const headingId = nextId();
    this.#count = h('span', { class: 'badge', 'aria-hidden': 'true' }, '0');
    this.#list = h('ul', { class: 'contact-list', 'aria-labelledby': headingId });
    this.element = h(
      'section',
      { class: 'panel contacts', 'aria-labelledby': headingId },
      h('h2', { id: headingId, class: 'panel-title' }, 'People here ', this.#count),
      this.#list,
    );
  }

  /** Enable or disable call buttons (e.g. while already in a call). */
  setCallsEnabled(enabled: boolean): void {
    this.#callsEnabled = enabled;
    this.render(this.#peers);
  }

  /** Show `peers`. */
  render(peers: readonly PeerInfo[]): void {
    this.#peers = peers;
    const focusedPeer = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-peer-id]')
      ?.dataset['peerId'];
    this.#count.textContent = String(peers.length);
    if (peers.length === 0) {
      replaceChildren(this.#list, h('li', { class: 'contact-empty' }, this.#options.emptyText));
      return;
    }
    replaceChildren(this.#list, ...sortContacts(peers).map((peer) => this.#renderContact(peer)));
    if (focusedPeer !== undefined) {
      this.#list.querySelector<HTMLElement>(`[data-peer-id="${CSS.escape(focusedPeer)}"] button`)?.focus();
    }
  }

  #renderContact(peer: PeerInfo): HTMLLIElement {
    const presence = describePresence(peer);
    const nickname = peer.metadata.nickname;
    const onCall = this.#options.onCall;
    return h(
      'li',
      { class: `contact is-${presence.tone}`, 'data-peer-id': peer.peerId, 'data-nickname': nickname },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(nickname)),
      h(
        'span',
        { class: 'contact-text' },
        h('span', { class: 'contact-name' }, nickname),
        h(
          'span',
          { class: 'contact-presence' },
          h('span', { class: `presence-dot presence-${presence.tone}`, 'aria-hidden': 'true' }),
          h('span', { class: 'presence-text' }, presence.text),
        ),
      ),
      onCall === undefined
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'btn btn-call',
              'aria-label': `Call ${nickname}`,
              disabled: !presence.callable || !this.#callsEnabled,
              onclick: () => onCall(peer),
            },
            icon(ICONS.phone),
            h('span', { class: 'btn-text' }, 'Call'),
          ),
    );
  }
}
