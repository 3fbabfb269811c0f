/**
 * Remembers the last nickname that a server accepted, so a returning person (or an invite link) goes
 * straight into the room. Storage can be unavailable (private mode, blocked cookies): then nothing is
 * remembered and nothing breaks.
 */

const KEY = 'switchboard.nickname';

/** Reads and writes the remembered nickname. */
export class NicknameStore {
  readonly #storage: Storage | undefined;

  constructor(storage: Storage | undefined) {
    this.#storage = storage;
  }

  /** The remembered nickname, or '' when there is none. */
  load(): string {
    try {
      return this.#storage?.getItem(KEY) ?? '';
    } catch {
      return '';
    }
  }

  /** Remember `nickname` for next time. */
  save(nickname: string): void {
    try {
      this.#storage?.setItem(KEY, nickname);
    } catch {
      // Storage full or forbidden: remembering is a convenience, joining still worked.
    }
  }
}
