/**
 * A banner that tells the truth about the signaling connection: hidden while connected, "Reconnecting…"
 * while the SDK retries (calls keep running: media does not go through the server), and a plain error when
 * the connection is closed for good. It is a `role="status"` region, so the change is read out once.
 */
import type { ConnectionState } from '@switchboard/client';
import { h } from './dom.js';

/** The text and tone for a connection state, or null when nothing needs saying. */
export function describeConnection(
  state: ConnectionState,
  hasConnected: boolean,
): { text: string; tone: 'warning' | 'error' } | null {
  switch (state.state) {
    case 'reconnecting':
      if (!hasConnected) return { text: 'Cannot reach the server. Retrying…', tone: 'warning' };
      return {
        text: `Connection to the server lost. Reconnecting${state.attempt > 1 ? ` (attempt ${state.attempt})` : ''}… Calls in progress continue.`,
        tone: 'warning',
      };
    case 'closed':
      return {
        text: `Disconnected from the server${state.reason === undefined ? '' : `: ${state.reason.message}`}. Reload the page to reconnect.`,
        tone: 'error',
      };
    default:
      return null;
  }
}

/** The connection banner. */
export class ConnectionBanner {
  readonly element: HTMLElement;
  readonly #text: HTMLElement;
  #hasConnected = false;

  constructor() {
    this.#text = h('span', {});
    this.element = h(
      'div',
      { class: 'banner', role: 'status', hidden: true, 'data-testid': 'connection-banner' },
      this.#text,
    );
  }

  /** Reflect `state`. */
  show(state: ConnectionState): void {
    if (state.state === 'connected') this.#hasConnected = true;
    const description = describeConnection(state, this.#hasConnected);
    this.element.hidden = description === null;
    this.element.className = `banner banner-${description?.tone ?? 'warning'}`;
    this.#text.textContent = description?.text ?? '';
  }
}
