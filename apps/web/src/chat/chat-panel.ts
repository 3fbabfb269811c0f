/**
 * Chat over a data channel, with delivery ticks: one tick when the message left this browser, two when the
 * other side acknowledged it. The history lives as long as the panel (one call, or one serverless session);
 * a message typed while the channel is down waits with a clock and goes out when it reopens.
 */
import { createIdFactory, h, icon } from '../shell/dom.js';
import { ICONS } from '../shell/icons.js';
import type { TextChannel } from './chat-channel.js';
import { encodeChatFrame, MAX_CHAT_TEXT, parseChatFrame } from './chat-protocol.js';

import './chat.css';

const nextId = createIdFactory('chat');

type Delivery = 'pending' | 'sent' | 'delivered';

interface OutgoingMessage {
  readonly id: string;
  readonly text: string;
  readonly at: number;
  delivery: Delivery;
  readonly ticks: HTMLElement;
}

const TICK_LABEL: Record<Delivery, string> = { pending: 'Sending', sent: 'Sent', delivered: 'Delivered' };
const TICK_TEXT: Record<Delivery, string> = { pending: '🕓', sent: '✓', delivered: '✓✓' };

/** Options of the chat panel. */
export interface ChatPanelOptions {
  readonly channel: TextChannel;
  readonly selfName: string;
  readonly peerName: string;
  /** Called for each incoming message (e.g. to flag the Chat tab). */
  readonly onIncoming?: () => void;
}

/** The chat panel. */
export class ChatPanel {
  readonly element: HTMLElement;
  readonly #options: ChatPanelOptions;
  readonly #log: HTMLElement;
  readonly #input: HTMLInputElement;
  readonly #outgoing = new Map<string, OutgoingMessage>();
  readonly #unsubscribe: (() => void)[] = [];
  #counter = 0;

  constructor(options: ChatPanelOptions) {
    this.#options = options;
    const inputId = nextId();
    this.#log = h('ol', {
      class: 'chat-log',
      role: 'log',
      'aria-live': 'polite',
      'aria-relevant': 'additions',
      'aria-label': 'Chat messages',
    });
    this.#input = h('input', {
      id: inputId,
      class: 'chat-input',
      autocomplete: 'off',
      maxlength: MAX_CHAT_TEXT,
      placeholder: `Message ${options.peerName}`,
    });
    this.element = h(
      'section',
      { class: 'chat', 'aria-label': 'Chat' },
      this.#log,
      h(
        'form',
        { class: 'chat-form', onsubmit: (event: Event) => this.#submit(event) },
        h('label', { class: 'visually-hidden', for: inputId }, 'Message'),
        this.#input,
        h(
          'button',
          { type: 'submit', class: 'btn btn-primary', 'aria-label': 'Send message' },
          icon(ICONS.send),
        ),
      ),
    );
    this.#renderEmpty();
    this.#unsubscribe.push(options.channel.onMessage((raw) => this.#receive(raw)));
    this.#unsubscribe.push(
      options.channel.onOpenChange((isOpen) => {
        if (isOpen) this.#flushPending();
      }),
    );
  }

  /** Focus the message field. */
  focus(): void {
    this.#input.focus();
  }

  /** Stop listening. */
  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }

  #submit(event: Event): void {
    event.preventDefault();
    const text = this.#input.value.trim();
    if (text === '') return;
    this.#input.value = '';
    const id = `${Date.now().toString(36)}-${(++this.#counter).toString(36)}`;
    const ticks = h('span', { class: 'ticks' });
    const message: OutgoingMessage = { id, text, at: Date.now(), delivery: 'pending', ticks };
    this.#outgoing.set(id, message);
    this.#append('self', this.#options.selfName, text, message.at, ticks);
    this.#setDelivery(message, 'pending');
    void this.#send(message);
  }

  async #send(message: OutgoingMessage): Promise<void> {
    if (!this.#options.channel.isOpen) return;
    try {
      await this.#options.channel.send(
        encodeChatFrame({ t: 'msg', id: message.id, text: message.text, at: message.at }),
      );
      if (message.delivery === 'pending') this.#setDelivery(message, 'sent');
    } catch {
      // Still pending: it goes out when the channel reopens.
    }
  }

  #flushPending(): void {
    for (const message of this.#outgoing.values()) {
      if (message.delivery === 'pending') void this.#send(message);
    }
  }

  #receive(raw: string): void {
    const frame = parseChatFrame(raw);
    if (frame === undefined) return;
    if (frame.t === 'ack') {
      const message = this.#outgoing.get(frame.id);
      if (message !== undefined) this.#setDelivery(message, 'delivered');
      return;
    }
    void this.#options.channel.send(encodeChatFrame({ t: 'ack', id: frame.id })).catch(() => undefined);
    this.#append('peer', this.#options.peerName, frame.text, frame.at, null);
    this.#options.onIncoming?.();
  }

  #setDelivery(message: OutgoingMessage, delivery: Delivery): void {
    message.delivery = delivery;
    message.ticks.textContent = TICK_TEXT[delivery];
    message.ticks.setAttribute('aria-label', TICK_LABEL[delivery]);
    message.ticks.setAttribute('role', 'img');
    message.ticks.dataset['delivery'] = delivery;
  }

  #renderEmpty(): void {
    this.#log.appendChild(
      h('li', { class: 'chat-empty muted' }, 'Messages go straight to the other browser.'),
    );
  }

  #append(from: 'self' | 'peer', name: string, text: string, at: number, ticks: HTMLElement | null): void {
    this.#log.querySelector('.chat-empty')?.remove();
    const time = new Date(at);
    this.#log.appendChild(
      h(
        'li',
        { class: `chat-message from-${from}` },
        h('span', { class: 'chat-author' }, name),
        h('p', { class: 'chat-text' }, text),
        h(
          'span',
          { class: 'chat-meta' },
          h(
            'time',
            { datetime: time.toISOString() },
            time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
          ),
          ticks,
        ),
      ),
    );
    this.#log.scrollTop = this.#log.scrollHeight;
  }
}
