/**
 * The handshake of each new socket: resolve the token before the socket opens (it travels in the upgrade's
 * `access_token` query parameter, where the server checks it before any session state exists; ADR 0007),
 * then send `hello` or `resume`, and give up on the socket if no welcome comes in time.
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
  /** The token of the latest upgrade (what the server's session now holds, until a refresh). */
  #presented: string | undefined;
  #providerError: SwitchboardError | undefined;
  #isResumeAllowed = true;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: HandshakeOptions) {
    this.#options = options;
    if (typeof options.token === 'string') this.#token = options.token;
  }

  /** Whether the token comes from a function (then an expired token is worth a retry). */
  get hasTokenProvider(): boolean {
    return typeof this.#options.token === 'function';
  }

  /** The token the current session was opened or last refreshed with, if any. */
  get presentedToken(): string | undefined {
    return this.#presented;
  }

  /**
   * The URL of the next socket: `url` with the token (from the provider, asked now) as `access_token`.
   * @throws SwitchboardError UNAUTHORIZED when the provider fails (retryable: see `isProviderFailure`)
   */
  async resolveUrl(url: string): Promise<string> {
    let token: string | undefined;
    try {
      token = await this.#resolveToken();
    } catch (cause) {
      this.#providerError = new SwitchboardError('UNAUTHORIZED', 'the token provider failed', { cause });
      throw this.#providerError;
    }
    this.#presented = token;
    return token === undefined ? url : withAccessToken(url, token);
  }

  /** A socket opened: send `resume` for `session` (or `hello` when there is none) and wait for the welcome. */
  begin(session: ResumableSession | undefined, lastSeq: () => number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#options.drop(new SwitchboardError('TIMEOUT', `no welcome within ${this.#options.timeoutMs} ms`));
    }, this.#options.timeoutMs);
    const resumable = this.#isResumeAllowed ? session : undefined;
    // The token went with the upgrade; sending it again in hello would only cost a second verification.
    this.#options.send(JSON.stringify(handshakeFrame(resumable, lastSeq(), undefined)));
  }

  /** A token refresh succeeded with `token` (from the provider, so not pinned like `setToken`). */
  notePresented(token: string): void {
    this.#presented = token;
  }

  /** A welcome arrived. */
  complete(): void {
    clearTimeout(this.#timer);
    this.#providerError = undefined;
    this.#isResumeAllowed = true;
  }

  /** The socket went down before or after the welcome. */
  abort(): void {
    clearTimeout(this.#timer);
  }

  /** The server refused to resume: say hello next time. */
  forbidResume(): void {
    this.#isResumeAllowed = false;
  }

  /** The app refreshed its token: present it from now on. */
  setToken(token: string): void {
    this.#token = token;
    this.#presented = token;
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

/** `url` with `access_token` set (replacing one already there), as the server reads it at the upgrade. */
function withAccessToken(url: string, token: string): string {
  // A page may give a relative URL (browsers resolve it against the page, as `new WebSocket()` does).
  const base = typeof location === 'undefined' ? undefined : location.href;
  const parsed = new URL(url, base);
  parsed.searchParams.set('access_token', token);
  return parsed.toString();
}
