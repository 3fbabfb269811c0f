/**
 * The handshake of each new socket: resolve the token before the socket opens (it travels in the upgrade's
 * `access_token` query parameter, where the server checks it before any session state exists; ADR 0007),
 * then say `hello` or send `resume`, and give up on the socket if no welcome comes in time.
 *
 * A hello goes in the upgrade's URL (`?v=1`, ADR 0015): the server answers the upgrade with the 101 and the
 * welcome together, which saves the client half a round trip and the server a frame each way. A resume
 * stays a frame, since its secret must not appear in URLs.
 *
 * Invariants:
 * - A resume is attempted whenever a session is known, unless the server refused the last one
 *   (`RESUME_FORBIDDEN`); then a hello follows, whose fresh welcome takes the session-lost path.
 * - A token set by `refreshToken()` wins over the configured source, so a resume never presents a token the
 *   app has already replaced.
 * - The URL says hello only while no session can exist (before the first welcome: the owner's session comes
 *   only from a welcome) or when resuming is forbidden. Otherwise `begin` sends the frame it is given, which
 *   is a hello frame when the owner has forgotten its session (after `bye`): still right, a round trip slower.
 */
import { HELLO_QUERY_PARAMETER, PROTOCOL_VERSION, SwitchboardError } from '@switchboard/protocol';
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
  /** Whether a session may exist to resume: a welcome made one, and `begin` saw the latest truth. */
  #mayHaveSession = false;
  /** Whether the URL of the socket being opened says hello (then `begin` sends no frame). */
  #isHelloInUrl = false;
  /**
   * A socket that said hello in its URL got no welcome in time: the server predates ADR 0015 and waits for a
   * hello frame, so every later hello is a frame (one slow attempt, then a working client).
   */
  #isUrlHelloUnanswered = false;
  /** A socket opened and its welcome has not come yet. */
  #isAwaitingWelcome = false;
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
   * The URL of the next socket: `url` with the token (from the provider, asked now) as `access_token`, and
   * with the hello (`v`) when there is no session to resume.
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
    this.#isHelloInUrl = !this.#isUrlHelloUnanswered && (!this.#mayHaveSession || !this.#isResumeAllowed);
    return withQuery(url, token, this.#isHelloInUrl);
  }

  /**
   * A socket opened: wait for the welcome, after sending `resume` for `session` (or a `hello` frame when
   * there is none and the URL did not say hello).
   */
  begin(session: ResumableSession | undefined, lastSeq: () => number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#options.drop(new SwitchboardError('TIMEOUT', `no welcome within ${this.#options.timeoutMs} ms`));
    }, this.#options.timeoutMs);
    this.#mayHaveSession = session !== undefined;
    this.#isAwaitingWelcome = true;
    // The upgrade said hello: the welcome is on its way (it may even have come with the 101).
    if (this.#isHelloInUrl) return;
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
    this.#isAwaitingWelcome = false;
    this.#mayHaveSession = true;
    this.#providerError = undefined;
    this.#isResumeAllowed = true;
  }

  /**
   * The socket went down before or after the welcome, with `error`. A handshake that timed out on either
   * side (our `TIMEOUT`, the server's `HANDSHAKE_TIMEOUT`) after a URL hello means a server that does not
   * read it: say hello with a frame from then on.
   */
  abort(error?: SwitchboardError): void {
    clearTimeout(this.#timer);
    const code = error?.code;
    if (this.#isAwaitingWelcome && this.#isHelloInUrl && (code === 'TIMEOUT' || code === 'HANDSHAKE_TIMEOUT'))
      this.#isUrlHelloUnanswered = true;
    this.#isAwaitingWelcome = false;
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

/**
 * `url` with `access_token` set to `token` and, when `isHello`, the hello's `v`, replacing any already
 * there, as the server reads them at the upgrade.
 */
function withQuery(url: string, token: string | undefined, isHello: boolean): string {
  // Parsed whenever there is a query, so that a resume's URL never says hello by a `v` of the app's own.
  if (token === undefined && !isHello && !url.includes('?')) return url;
  // A page may give a relative URL (browsers resolve it against the page, as `new WebSocket()` does).
  const base = typeof location === 'undefined' ? undefined : location.href;
  const parsed = new URL(url, base);
  if (isHello) parsed.searchParams.set(HELLO_QUERY_PARAMETER, String(PROTOCOL_VERSION));
  else parsed.searchParams.delete(HELLO_QUERY_PARAMETER);
  if (token !== undefined) parsed.searchParams.set('access_token', token);
  return parsed.toString();
}
