/**
 * The handshake on each new socket: resolve the token, send `hello` or `resume`, and give up on the socket
 * if no welcome comes in time.
 *
 * Invariants:
 * - A resume is attempted whenever a session is known, unless the server refused the last one
 *   (`RESUME_FORBIDDEN`); then a hello follows, whose fresh welcome takes the session-lost path.
 * - A token set by `refreshToken()` wins over the configured source, so a resume never presents a token the
 *   app has already replaced.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { handshakeFrame, type ResumableSession } from './handshake-frame.js';
import type { TokenSource } from './signaling-client-options.js';

/** What the handshake needs from its owner. */
export interface HandshakeOptions {
  readonly token: TokenSource | undefined;
  /** How long to wait for the welcome. */
  readonly timeoutMs: number;
  /** Send a frame on the current socket. */
  readonly send: (text: string) => void;
  /** Abandon the current socket (the reconnect path takes over). */
  readonly drop: (error: SwitchboardError) => void;
}

/** Runs the handshake of each socket. */
export class Handshake {
  readonly #options: HandshakeOptions;
  #token: string | undefined;
  #providerError: SwitchboardError | undefined;
  #isResumeAllowed = true;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  constructor(options: HandshakeOptions) {
    this.#options = options;
    if (typeof options.token === 'string') this.#token = options.token;
  }

  /** Whether the token comes from a function (then an expired token is worth a retry). */
  get hasTokenProvider(): boolean {
    return typeof this.#options.token === 'function';
  }

  /** A socket opened: send `resume` for `session` (or `hello` when there is none) and wait for the welcome. */
  async begin(session: ResumableSession | undefined, lastSeq: () => number): Promise<void> {
    const generation = ++this.#generation;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#options.drop(new SwitchboardError('TIMEOUT', `no welcome within ${this.#options.timeoutMs} ms`));
    }, this.#options.timeoutMs);
    let token: string | undefined;
    try {
      token = await this.#resolveToken();
    } catch (cause) {
      if (generation !== this.#generation) return;
      this.#providerError = new SwitchboardError('UNAUTHORIZED', 'the token provider failed', { cause });
      this.#options.drop(this.#providerError);
      return;
    }
    // The socket may have gone (and another begun) while the provider ran.
    if (generation !== this.#generation) return;
    const resumable = this.#isResumeAllowed ? session : undefined;
    this.#options.send(JSON.stringify(handshakeFrame(resumable, lastSeq(), token)));
  }

  /** A welcome arrived. */
  complete(): void {
    clearTimeout(this.#timer);
    this.#providerError = undefined;
    this.#isResumeAllowed = true;
  }

  /** The socket went down before or after the welcome. */
  abort(): void {
    this.#generation += 1;
    clearTimeout(this.#timer);
  }

  /** The server refused to resume: say hello next time. */
  forbidResume(): void {
    this.#isResumeAllowed = false;
  }

  /** The app refreshed its token: present it from now on. */
  setToken(token: string): void {
    this.#token = token;
  }

  /** Whether `error` is a failure of the token provider (retried, unlike a refused token). */
  isProviderFailure(error: SwitchboardError): boolean {
    return error === this.#providerError;
  }

  async #resolveToken(): Promise<string | undefined> {
    const source = this.#options.token;
    if (this.#token !== undefined || typeof source !== 'function') return this.#token;
    return await source();
  }
}
