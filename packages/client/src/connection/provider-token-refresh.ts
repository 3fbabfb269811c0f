/**
 * Keeps a session's token fresh when the app gave a token provider (ADR 0007): after each welcome it plans a
 * refresh ahead of the presented token's `exp`, then asks the provider and hands the new token to the server
 * with a `token` request. A fixed-string token is never refreshed here; the app calls `refreshToken()`.
 */
import { SwitchboardError } from '@switchboard/protocol';
import type { Handshake } from './handshake.js';
import type { TokenSource } from './signaling-client-options.js';
import { TokenRefreshTimer } from './token-refresh-timer.js';

/** What `ProviderTokenRefresh` needs from its owner. */
export interface ProviderTokenRefreshOptions {
  readonly token: TokenSource | undefined;
  /** Knows which token the session holds, and is told about the refreshed one. */
  readonly handshake: Handshake;
  /** Send a `token` request; resolves once the server accepted the token. */
  readonly sendToken: (token: string) => Promise<void>;
  /** Report a failed refresh. */
  readonly onError: (error: SwitchboardError) => void;
}

/** The provider-driven refresh of the session's token. */
export class ProviderTokenRefresh {
  readonly #options: ProviderTokenRefreshOptions;
  readonly #timer = new TokenRefreshTimer({ refresh: () => void this.#refresh() });

  constructor(options: ProviderTokenRefreshOptions) {
    this.#options = options;
  }

  /** A welcome arrived: plan the refresh of the token the session now holds. */
  start(): void {
    const { handshake } = this.#options;
    if (handshake.hasTokenProvider) this.#timer.schedule(handshake.presentedToken);
  }

  /** The socket went down or the client closed: the next welcome plans again. */
  cancel(): void {
    this.#timer.cancel();
  }

  async #refresh(): Promise<void> {
    const provider = this.#options.token;
    if (typeof provider !== 'function') return;
    try {
      const token = await provider();
      await this.#options.sendToken(token);
      this.#options.handshake.notePresented(token);
      this.#timer.schedule(token);
    } catch (cause) {
      // Not fatal: the server ends the session at expiry (TOKEN_EXPIRED), and the reconnect asks again.
      const error =
        cause instanceof SwitchboardError
          ? cause
          : new SwitchboardError('UNAUTHORIZED', 'the token provider failed', { cause });
      this.#options.onError(error);
    }
  }
}
