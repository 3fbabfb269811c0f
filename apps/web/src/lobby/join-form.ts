/**
 * The first screen: pick a nickname and a room. The nickname is checked as it is typed with the same rule
 * the server enforces (`validateNickname`), and a refusal from the server (taken, invalid, room full) is
 * shown next to the field it concerns, with focus moved there.
 */
import { SwitchboardError, validateNickname } from '@switchboard/protocol';
import { createIdFactory, h, icon } from '../shell/dom.js';
import { ICONS } from '../shell/icons.js';
import { isValidRoomName } from '../shell/route.js';

const nextId = createIdFactory('join');

/** What the form asks the app to do. */
export interface JoinRequest {
  readonly nickname: string;
  readonly room: string;
  readonly group: boolean;
}

/** Options of the join form. */
export interface JoinFormOptions {
  readonly nickname: string;
  readonly room: string;
  readonly group: boolean;
  /** Joins; rejects with a `SwitchboardError` to show next to the fields. */
  readonly onJoin: (request: JoinRequest) => Promise<void>;
  readonly serverlessHref: string;
}

/** Where a join error belongs. */
export function describeJoinError(
  error: unknown,
  request: JoinRequest,
): { field: 'nickname' | 'room' | 'form'; message: string } {
  const code = error instanceof SwitchboardError ? error.code : undefined;
  switch (code) {
    case 'NICKNAME_TAKEN':
      return {
        field: 'nickname',
        message: `“${request.nickname}” is already taken in this room. Pick another nickname.`,
      };
    case 'INVALID_NICKNAME':
      return {
        field: 'nickname',
        message: 'The server did not accept this nickname. Use letters, digits and spaces.',
      };
    case 'ROOM_FULL':
      return {
        field: 'room',
        message: request.group
          ? `The group call in “${request.room}” is full (6 people at most). Try another room.`
          : `Room “${request.room}” is full. Try another room.`,
      };
    case 'INVALID_ROOM':
      return {
        field: 'room',
        message: 'Room names use letters, digits, - and _, and start with a letter or digit.',
      };
    case 'ROOM_FORBIDDEN':
      return { field: 'room', message: `You are not allowed to join “${request.room}”.` };
    default:
      return {
        field: 'form',
        message: `Could not reach the server${error instanceof Error ? ` (${error.message})` : ''}. Check your connection and try again.`,
      };
  }
}

/** The nickname + room form. */
export class JoinForm {
  readonly element: HTMLElement;
  readonly #options: JoinFormOptions;
  readonly #nickname: HTMLInputElement;
  readonly #nicknameError: HTMLElement;
  readonly #room: HTMLInputElement;
  readonly #roomError: HTMLElement;
  readonly #formError: HTMLElement;
  readonly #group: HTMLInputElement;
  readonly #submit: HTMLButtonElement;

  constructor(options: JoinFormOptions) {
    this.#options = options;
    const nicknameId = nextId();
    const nicknameErrorId = nextId();
    const roomId = nextId();
    const roomErrorId = nextId();
    const groupId = nextId();
    const headingId = nextId();
    this.#nickname = h('input', {
      id: nicknameId,
      name: 'nickname',
      autocomplete: 'nickname',
      required: true,
      maxlength: 64,
      'aria-describedby': nicknameErrorId,
      value: options.nickname,
      oninput: () => this.#validateNickname(false),
    });
    this.#nicknameError = h('p', { id: nicknameErrorId, class: 'field-error', 'aria-live': 'polite' });
    this.#room = h('input', {
      id: roomId,
      name: 'room',
      required: true,
      maxlength: 64,
      autocapitalize: 'off',
      spellcheck: 'false',
      'aria-describedby': roomErrorId,
      value: options.room,
      oninput: () => this.#validateRoom(false),
    });
    this.#roomError = h('p', { id: roomErrorId, class: 'field-error', 'aria-live': 'polite' });
    this.#group = h('input', { id: groupId, type: 'checkbox', name: 'group', checked: options.group });
    this.#formError = h('p', { class: 'notice notice-error', role: 'alert', hidden: true });
    this.#submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Join');
    const form = h(
      'form',
      { class: 'join-form', novalidate: true, onsubmit: (event: Event) => void this.#submitForm(event) },
      h(
        'div',
        { class: 'field' },
        h('label', { class: 'field-label', for: nicknameId }, 'Your nickname'),
        this.#nickname,
        this.#nicknameError,
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { class: 'field-label', for: roomId }, 'Room'),
        this.#room,
        this.#roomError,
      ),
      h(
        'div',
        { class: 'field field-check' },
        this.#group,
        h('label', { for: groupId }, 'Join the room’s group video call (up to 6 people)'),
      ),
      this.#formError,
      this.#submit,
    );
    this.element = h(
      'section',
      { class: 'join-card card', 'aria-labelledby': headingId },
      h('div', { class: 'brand brand-large' }, icon(ICONS.users), h('span', {}, 'Switchboard')),
      h('h1', { id: headingId, class: 'join-title' }, 'Talk face to face, straight from your browser'),
      h(
        'p',
        { class: 'join-lead' },
        'Video calls, chat and file sharing go directly between browsers. The server only introduces you.',
      ),
      form,
      h(
        'p',
        { class: 'join-alt' },
        'No server? ',
        h('a', { href: options.serverlessHref }, 'Connect by copy and paste'),
        '.',
      ),
    );
  }

  /** Put the cursor where the person should type first. */
  focus(): void {
    (this.#nickname.value === '' ? this.#nickname : this.#submit).focus();
  }

  #validateNickname(showEmpty: boolean): string | undefined {
    const check = validateNickname(this.#nickname.value);
    const message = check.ok || (!showEmpty && this.#nickname.value === '') ? '' : capitalise(check.reason);
    this.#setError(this.#nickname, this.#nicknameError, message);
    return check.ok ? check.nickname : undefined;
  }

  #validateRoom(showEmpty: boolean): string | undefined {
    const room = this.#room.value.trim();
    const valid = isValidRoomName(room);
    const message =
      valid || (!showEmpty && room === '')
        ? ''
        : 'Room names use up to 64 letters, digits, - and _, and start with a letter or digit.';
    this.#setError(this.#room, this.#roomError, message);
    return valid ? room : undefined;
  }

  #setError(input: HTMLInputElement, output: HTMLElement, message: string): void {
    output.textContent = message;
    if (message === '') input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
  }

  async #submitForm(event: Event): Promise<void> {
    event.preventDefault();
    this.#formError.hidden = true;
    const nickname = this.#validateNickname(true);
    const room = this.#validateRoom(true);
    if (nickname === undefined) return this.#nickname.focus();
    if (room === undefined) return this.#room.focus();
    const request: JoinRequest = { nickname, room, group: this.#group.checked };
    this.#submit.disabled = true;
    this.#submit.textContent = 'Joining…';
    try {
      await this.#options.onJoin(request);
    } catch (error) {
      const { field, message } = describeJoinError(error, request);
      if (field === 'nickname') {
        this.#setError(this.#nickname, this.#nicknameError, message);
        this.#nickname.focus();
        this.#nickname.select();
      } else if (field === 'room') {
        this.#setError(this.#room, this.#roomError, message);
        this.#room.focus();
      } else {
        this.#formError.textContent = message;
        this.#formError.hidden = false;
      }
    } finally {
      this.#submit.disabled = false;
      this.#submit.textContent = 'Join';
    }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith('.') ? '' : '.');
}
