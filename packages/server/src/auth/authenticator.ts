/**
 * Authenticator: turns the credentials presented at the WebSocket upgrade (or in `hello`/`token`) into an
 * identity with grants. The default `AnonymousAuthenticator` lets everyone in with no identity, which is
 * what the one-command start uses; `JwtAuthenticator` (issue: security) verifies JWTs with jose.
 */
import type { ErrorCode } from '@switchboard/protocol';

/** What the server knows about who is on the other end. */
export interface Principal {
  /** The identity (JWT `sub`); `undefined` for anonymous peers. */
  readonly identity: string | undefined;
  /** Rooms this principal may join: `'*'` for any. */
  readonly rooms: readonly string[] | '*';
  /**
   * Epoch ms after which the credentials are no longer accepted (for a JWT: `exp` plus the clock leeway),
   * if they expire. A live session is ended then unless a `token` refresh moved it (docs/security.md).
   */
  readonly expiresAt: number | undefined;
  /**
   * A cap on room size that this principal's grant adds: it may join a room only while the room holds
   * fewer peers than this (and fewer than the server's `maxPeersPerRoom`). Absent: only the server cap.
   */
  readonly maxPeersPerRoom?: number;
}

/** The request facts an authenticator may look at. */
export interface AuthRequest {
  /** The token from `Authorization: Bearer …`, the `access_token` query parameter, or `hello.token`. */
  readonly token: string | undefined;
  readonly remoteAddress: string;
  readonly origin: string | undefined;
}

export type AuthResult =
  | { readonly ok: true; readonly principal: Principal }
  | {
      readonly ok: false;
      readonly code: Extract<ErrorCode, 'UNAUTHORIZED' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED'>;
      readonly message: string;
    };

/** Pluggable authentication. Implementations must not log tokens. */
export interface Authenticator {
  /** Authenticate a new connection or a token refresh. */
  authenticate(request: AuthRequest): Promise<AuthResult>;
  /**
   * The same answer without a promise, for an authenticator that needs no I/O to give it; `undefined` when
   * it cannot answer now (then `authenticate` is used). Optional: the server's connect path runs without a
   * promise hop when it is there (BENCHMARKS.md, "Connect pass 3").
   */
  authenticateNow?(request: AuthRequest): AuthResult | undefined;
}

/**
 * Every anonymous connection's answer. One frozen object for all: a principal is never changed in place
 * (a token refresh replaces it), and each session keeps its principal for its whole life.
 */
const ANONYMOUS: AuthResult = Object.freeze({
  ok: true,
  principal: Object.freeze({ identity: undefined, rooms: '*', expiresAt: undefined }),
});

/** The default: everyone is anonymous and may join any room. */
export class AnonymousAuthenticator implements Authenticator {
  authenticate(): Promise<AuthResult> {
    return Promise.resolve(ANONYMOUS);
  }

  authenticateNow(): AuthResult {
    return ANONYMOUS;
  }
}
