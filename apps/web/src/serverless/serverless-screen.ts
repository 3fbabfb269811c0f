/**
 * Serverless mode: two people connect by copying an offer code one way and an answer code back. No
 * SignalingClient exists on this screen, so after the page has loaded no broker is involved at all. The
 * offer is also shown as a QR code holding a link to this page with the offer attached, so a phone camera
 * opens the page ready to answer. Chat and files run over the resulting link exactly as in a call.
 */
import { ManualSignalChannel, PeerManager, SwitchboardError, type PeerLink } from '@switchboard/client';
import { ChatPanel } from '../chat/chat-panel.js';
import { FilePanel } from '../files/file-panel.js';
import { fileTransportOf } from '../link/link-file-transport.js';
import { textChannelOf } from '../link/link-text-channel.js';
import type { Announcer } from '../shell/announcer.js';
import { createIdFactory, h, icon } from '../shell/dom.js';
import { ICONS } from '../shell/icons.js';
import type { Screen } from '../shell/screen.js';
import { Tabs } from '../shell/tabs.js';
import { CodeBox } from './code-box.js';

import './serverless.css';

const nextId = createIdFactory('serverless');

/** The hash parameter that carries an offer in the QR link. */
const OFFER_HASH = 'offer=';

/** Options of the serverless screen. */
export interface ServerlessScreenOptions {
  readonly announcer: Announcer;
  readonly homeHref: string;
}

/** The serverless (copy/paste) screen. */
export class ServerlessScreen implements Screen {
  readonly element: HTMLElement;
  readonly #options: ServerlessScreenOptions;
  readonly #body: HTMLElement;
  readonly #status: HTMLElement;
  #manager: PeerManager | undefined;
  #tabs: Tabs | undefined;
  readonly #disposers: (() => void)[] = [];

  constructor(options: ServerlessScreenOptions) {
    this.#options = options;
    this.#status = h('p', { class: 'serverless-status', role: 'status', 'data-testid': 'serverless-status' });
    this.#body = h('div', { class: 'serverless-body' });
    const titleId = nextId();
    this.element = h(
      'div',
      { class: 'serverless-screen' },
      h(
        'header',
        { class: 'app-header' },
        h('a', { class: 'brand', href: options.homeHref }, icon(ICONS.users), h('span', {}, 'Switchboard')),
        h('span', { class: 'muted' }, 'Serverless mode: no server involved'),
      ),
      h(
        'section',
        { class: 'serverless card', 'aria-labelledby': titleId },
        h('h1', { id: titleId, class: 'join-title' }, 'Connect by copy and paste'),
        h(
          'p',
          { class: 'muted' },
          'One person creates an invitation code, the other answers it, and the answer goes back. ' +
            'Then chat and files flow directly between your browsers.',
        ),
        this.#status,
        this.#body,
      ),
    );
    const offer = readOfferFromHash(window.location.hash);
    if (offer === undefined) this.#showChoice();
    else this.#startAnswerer(offer);
  }

  dispose(): void {
    for (const dispose of this.#disposers) dispose();
    this.#manager?.close();
  }

  #showChoice(): void {
    this.#body.replaceChildren(
      h(
        'div',
        { class: 'serverless-choice' },
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-primary',
            'data-testid': 'create-offer',
            onclick: () => void this.#startOfferer(),
          },
          'Create an invitation',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-secondary',
            'data-testid': 'have-offer',
            onclick: () => this.#startAnswerer(''),
          },
          'I have an invitation code',
        ),
      ),
    );
  }

  async #startOfferer(): Promise<void> {
    const signals = new ManualSignalChannel('offerer');
    const manager = this.#createManager(signals);
    const link = manager.connect(signals.remoteId);
    this.#watch(link);
    // Opening the chat channel is what gives the first offer something to negotiate.
    link.channel('chat');
    this.#setStatus('Gathering network addresses…');
    this.#body.replaceChildren(h('p', { class: 'muted' }, 'Preparing your invitation…'));
    const code = await signals.nextCode();
    const offerBox = new CodeBox({
      label: 'Step 1: send this invitation code',
      code,
      qrText: offerLink(code),
      qrCaption: 'Or scan it with a phone: it opens this page ready to answer.',
      announcer: this.#options.announcer,
      testId: 'offer-code',
    });
    const answerId = nextId();
    const answerError = h('p', { class: 'field-error', 'aria-live': 'polite' });
    const answer = h('textarea', {
      id: answerId,
      class: 'code-input',
      rows: 4,
      spellcheck: 'false',
      'data-testid': 'answer-input',
    });
    const connect = (event: Event): void => {
      event.preventDefault();
      try {
        signals.acceptCode(answer.value.trim());
        answer.removeAttribute('aria-invalid');
        answerError.textContent = '';
        this.#setStatus('Connecting…');
      } catch (error) {
        answer.setAttribute('aria-invalid', 'true');
        answerError.textContent = describeCodeError(error, 'answer');
        answer.focus();
      }
    };
    this.#body.replaceChildren(
      offerBox.element,
      h(
        'form',
        { class: 'field', onsubmit: connect },
        h('label', { class: 'field-label', for: answerId }, 'Step 2: paste the answer code you get back'),
        answer,
        answerError,
        h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'connect' }, 'Connect'),
      ),
    );
    this.#setStatus('Waiting for the answer code.');
  }

  #startAnswerer(prefilledOffer: string): void {
    const signals = new ManualSignalChannel('answerer');
    const manager = this.#createManager(signals);
    manager.on('link', (link) => {
      this.#watch(link);
      link.channel('chat');
    });
    const offerId = nextId();
    const offerError = h('p', { class: 'field-error', 'aria-live': 'polite' });
    const offer = h('textarea', {
      id: offerId,
      class: 'code-input',
      rows: 4,
      spellcheck: 'false',
      'data-testid': 'offer-input',
    });
    offer.value = prefilledOffer;
    const answerSlot = h('div', {});
    const createAnswer = async (event: Event): Promise<void> => {
      event.preventDefault();
      try {
        signals.acceptCode(offer.value.trim());
      } catch (error) {
        offer.setAttribute('aria-invalid', 'true');
        offerError.textContent = describeCodeError(error, 'invitation');
        offer.focus();
        return;
      }
      offer.removeAttribute('aria-invalid');
      offerError.textContent = '';
      this.#setStatus('Gathering network addresses…');
      const code = await signals.nextCode();
      const answerBox = new CodeBox({
        label: 'Step 2: send this answer code back',
        code,
        qrText: code,
        qrCaption: 'The code as a QR code, for a device with a scanner.',
        announcer: this.#options.announcer,
        testId: 'answer-code',
      });
      answerSlot.replaceChildren(answerBox.element);
      this.#setStatus('Waiting for the other side to paste your answer.');
    };
    this.#body.replaceChildren(
      h(
        'form',
        { class: 'field', onsubmit: (event: Event) => void createAnswer(event) },
        h('label', { class: 'field-label', for: offerId }, 'Step 1: paste the invitation code'),
        offer,
        offerError,
        h(
          'button',
          { type: 'submit', class: 'btn btn-primary', 'data-testid': 'create-answer' },
          'Create answer',
        ),
      ),
      answerSlot,
    );
    if (prefilledOffer !== '') this.#setStatus('Invitation loaded from the link. Create your answer.');
    offer.focus();
  }

  #createManager(signals: ManualSignalChannel): PeerManager {
    this.#manager?.close();
    this.#manager = new PeerManager({ signals, iceMode: 'complete' });
    return this.#manager;
  }

  #watch(link: PeerLink): void {
    const offConnected = link.once('connected', () => this.#showConnected(link));
    const offClose = link.on('close', (reason) => {
      this.#setStatus(
        reason === 'failed' ? 'The connection failed. Start again.' : 'The connection closed.',
        true,
      );
    });
    this.#disposers.push(offConnected, offClose);
  }

  #showConnected(link: PeerLink): void {
    this.#setStatus('Connected directly. No server involved.');
    this.#options.announcer.announce('Connected.', 'success');
    const chat = new ChatPanel({
      channel: textChannelOf(link, 'chat'),
      selfName: 'You',
      peerName: 'Them',
      onIncoming: () => this.#tabs?.flag('chat'),
    });
    const files = new FilePanel(fileTransportOf(link), 'the other browser', () => this.#tabs?.flag('files'));
    const tabs = new Tabs(
      [
        { id: 'chat', label: 'Chat', content: chat.element },
        { id: 'files', label: 'Files', content: files.element },
      ],
      'Serverless tools',
    );
    this.#disposers.push(
      () => chat.dispose(),
      () => files.dispose(),
    );
    this.#tabs = tabs;
    this.#body.replaceChildren(tabs.element);
    chat.focus();
  }

  #setStatus(text: string, isError = false): void {
    this.#status.textContent = text;
    this.#status.classList.toggle('is-error', isError);
  }
}

/** A link to this page carrying `code` as an offer. */
export function offerLink(code: string): string {
  return `${window.location.origin}/?mode=serverless#${OFFER_HASH}${encodeURIComponent(code)}`;
}

/** The offer carried by a QR link, if any. */
export function readOfferFromHash(hash: string): string | undefined {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!body.startsWith(OFFER_HASH)) return undefined;
  try {
    return decodeURIComponent(body.slice(OFFER_HASH.length));
  } catch {
    return undefined;
  }
}

function describeCodeError(error: unknown, kind: 'answer' | 'invitation'): string {
  if (error instanceof SwitchboardError && error.code === 'MANUAL_CODE_INVALID') {
    return `This is not a valid ${kind} code (${error.message}). Copy the whole code and paste it again.`;
  }
  return `The ${kind} code could not be used${error instanceof Error ? `: ${error.message}` : ''}.`;
}
