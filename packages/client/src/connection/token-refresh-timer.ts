/**
 * Refreshes the session's token before it expires, when the app gave a token provider: the server ends a
 * session whose token runs out (TOKEN_EXPIRED, close 4010), so an app that supplies a provider must never
 * see that happen.
 *
 * The expiry is read from the token's `exp` claim (a JWT); the signature is not checked here, the server
 * does that. A token that is not a JWT, or has no `exp`, is never refreshed ahead of time. The refresh runs
 * at `exp - lead`, where the lead is a quarter of the time left, at most `maxLeadMs` (60 s): early enough
 * for a slow provider and a little clock skew, late enough not to refresh a long token needlessly often.
 */

/** Options of `TokenRefreshTimer`. */
export interface TokenRefreshTimerOptions {
  /** Fetch a fresh token and send it to the server; called once per scheduled refresh. */
  readonly refresh: () => void;
  /** The most a refresh runs ahead of `exp`. @default 60000 */
  readonly maxLeadMs?: number;
  /** The clock (injectable for tests). @default Date.now */
  readonly now?: () => number;
}

/** setTimeout cannot wait longer than this; a longer wait is cut to it and the refresh simply runs early. */
const MAX_TIMER_MS = 2_147_483_647;

/** One timer: the refresh of the token the session holds now. */
export class TokenRefreshTimer {
  readonly #refresh: () => void;
  readonly #maxLeadMs: number;
  readonly #now: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: TokenRefreshTimerOptions) {
    this.#refresh = options.refresh;
    this.#maxLeadMs = options.maxLeadMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Plan the refresh of `token` (replacing any plan); nothing is planned without a readable `exp`. */
  schedule(token: string | undefined): void {
    this.cancel();
    const expiresAt = token === undefined ? undefined : jwtExpiryMs(token);
    if (expiresAt === undefined) return;
    const leftMs = expiresAt - this.#now();
    if (leftMs <= 0) return; // already expired: the server refuses it, and the reconnect asks the provider
    const delayMs = Math.min(leftMs - Math.min(this.#maxLeadMs, leftMs / 4), MAX_TIMER_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#refresh();
    }, delayMs);
  }

  /** Forget the plan (the socket went down: the next welcome plans again). */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** The `exp` claim of a JWT, in epoch ms, or `undefined` when `token` is not a JWT with a numeric `exp`. */
export function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const base64 = payload.replaceAll('-', '+').replaceAll('_', '/');
    const claims = JSON.parse(atob(base64)) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
