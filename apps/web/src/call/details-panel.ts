/**
 * The details panel: what the connection is actually doing. ICE and connection states come from the link's
 * `state` events; the candidate types (host, srflx, prflx, relay) and the round-trip time from getStats,
 * polled every two seconds while the panel exists. ICE restarts are listed as they happen, so a network
 * change is visible rather than mysterious.
 */
import type { PeerLink } from '@switchboard/client';
import { h } from '../shell/dom.js';

const CANDIDATE_WORDS: Record<string, string> = {
  host: 'host (direct, same network)',
  srflx: 'srflx (direct, through NAT)',
  prflx: 'prflx (direct, discovered while checking)',
  relay: 'relay (through TURN)',
};

/** The connection details of one link. */
export class DetailsPanel {
  readonly element: HTMLElement;
  readonly #link: PeerLink;
  readonly #values = new Map<string, HTMLElement>();
  readonly #restarts: HTMLOListElement;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #timer: ReturnType<typeof setInterval>;
  /** The next `ice-restart` event is the one the person asked for (the SDK reports it as 'failed'). */
  #isRestartRequested = false;

  constructor(link: PeerLink) {
    this.#link = link;
    const rows = [
      ['ice', 'ICE connection'],
      ['connection', 'Connection'],
      ['signaling', 'Signaling'],
      ['gathering', 'ICE gathering'],
      ['local', 'Local candidate'],
      ['remote', 'Remote candidate'],
      ['rtt', 'Round trip'],
      ['restarts', 'ICE restarts'],
    ] as const;
    this.#restarts = h('ol', { class: 'restart-log', 'aria-label': 'ICE restart log' });
    this.element = h(
      'section',
      { class: 'details', 'aria-label': 'Connection details' },
      h(
        'dl',
        { class: 'details-list' },
        ...rows.flatMap(([key, label]) => {
          const value = h('dd', { 'data-detail': key }, '—');
          this.#values.set(key, value);
          return [h('dt', {}, label), value];
        }),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-secondary btn-small',
          onclick: () => this.#restartIce(),
        },
        'Restart ICE',
      ),
      this.#restarts,
    );
    this.#set('restarts', '0');
    this.#unsubscribe.push(
      link.on('state', () => this.#renderState()),
      link.on('ice-restart', ({ attempt, reason }) => {
        this.#set('restarts', String(attempt));
        const why = this.#isRestartRequested ? 'requested' : reason;
        this.#isRestartRequested = false;
        this.#log(`Restart ${attempt} started (${why})`);
      }),
      link.on('ice-recovered', ({ attempts }) => {
        this.#log(`Reconnected after ${attempts} restart${attempts === 1 ? '' : 's'}`);
        void this.#renderStats();
      }),
    );
    this.#renderState();
    void this.#renderStats();
    this.#timer = setInterval(() => void this.#renderStats(), 2000);
  }

  /** Stop polling. */
  dispose(): void {
    clearInterval(this.#timer);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }

  #restartIce(): void {
    if (this.#link.isClosed) return;
    this.#isRestartRequested = true;
    this.#link.restartIce();
  }

  #renderState(): void {
    const state = this.#link.state;
    this.#set('ice', state.iceConnectionState);
    this.#set('connection', state.connectionState);
    this.#set('signaling', state.signalingState);
    this.#set('gathering', state.iceGatheringState);
  }

  async #renderStats(): Promise<void> {
    if (this.#link.isClosed) return;
    try {
      const stats = await this.#link.getStats();
      this.#set('local', describeCandidate(stats.localCandidateType));
      this.#set('remote', describeCandidate(stats.remoteCandidateType));
      this.#set('rtt', stats.roundTripTimeMs === undefined ? '—' : `${Math.round(stats.roundTripTimeMs)} ms`);
      this.#values.get('local')?.setAttribute('data-candidate-type', stats.localCandidateType ?? '');
    } catch {
      // getStats on a closing connection can reject; the next poll (or dispose) follows.
    }
  }

  #set(key: string, text: string): void {
    const element = this.#values.get(key);
    if (element !== undefined && element.textContent !== text) element.textContent = text;
  }

  #log(text: string): void {
    const time = new Date().toLocaleTimeString();
    this.#restarts.appendChild(h('li', {}, h('time', {}, time), ' ', text));
    if (this.#restarts.children.length > 20) this.#restarts.firstElementChild?.remove();
  }
}

function describeCandidate(type: string | undefined): string {
  return type === undefined ? 'not selected yet' : (CANDIDATE_WORDS[type] ?? type);
}
