/**
 * Short-lived TURN credentials in the "TURN REST API" scheme (draft-uberti-behave-turn-rest-00) that
 * coturn checks with `use-auth-secret`: the username is `<expiry>:<peerId>` (expiry in Unix seconds) and
 * the password is base64(HMAC-SHA1(secret, username)). coturn recomputes the HMAC with each secret it
 * knows and refuses a username whose expiry is in the past, so a leaked credential dies on its own.
 *
 * Rotation: we sign with the FIRST secret only. coturn must list ALL secrets that may still be in use
 * (`static-auth-secret` repeated, or the `turn_secret` table), so new credentials and credentials issued
 * before a rotation both verify until they expire. Order to rotate: add the new secret to coturn, then
 * put it first here, then after one TTL remove the old one from both.
 */
import { createHmac } from 'node:crypto';

/** Limits on the credential lifetime. */
export const TURN_TTL_LIMITS_S = { min: 300, max: 86_400, default: 3600 } as const;

/** Options of `TurnCredentialIssuer`. */
export interface TurnCredentialOptions {
  /** Shared secrets, newest first; credentials are signed with the first. Must not be empty. */
  readonly secrets: readonly string[];
  /**
   * Credential lifetime in seconds, clamped to [300, 86400]: shorter would expire mid-negotiation on slow
   * networks, longer defeats the point of ephemeral credentials.
   * @default 3600
   */
  readonly ttlS?: number;
  /** Clock in epoch milliseconds (tests). @default Date.now */
  readonly now?: () => number;
}

/** One issued credential, in the shape an `RTCIceServer` wants. */
export interface TurnCredential {
  readonly username: string;
  readonly credential: string;
  /** Epoch ms at which coturn starts refusing it (the username's timestamp, in ms). */
  readonly expiresAt: number;
}

/** base64(HMAC-SHA1(secret, username)): the password coturn expects for a REST username. */
export function signTurnUsername(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** Clamp a TTL to `TURN_TTL_LIMITS_S`; a non-finite value gets the default. */
export function clampTurnTtlS(ttlS: number | undefined): number {
  if (ttlS === undefined || !Number.isFinite(ttlS)) return TURN_TTL_LIMITS_S.default;
  return Math.min(TURN_TTL_LIMITS_S.max, Math.max(TURN_TTL_LIMITS_S.min, Math.floor(ttlS)));
}

/**
 * Issues TURN REST credentials for a peer. Secrets are kept in private fields, so they never appear when
 * the issuer is logged or serialised.
 *
 * @example
 * const issuer = new TurnCredentialIssuer({ secrets: [process.env.TURN_SECRET!], ttlS: 3600 });
 * const { username, credential, expiresAt } = issuer.issue(peerId);
 */
export class TurnCredentialIssuer {
  readonly #secret: string;
  readonly #ttlS: number;
  readonly #now: () => number;

  constructor(options: TurnCredentialOptions) {
    const [secret] = options.secrets;
    if (secret === undefined || secret.length === 0 || options.secrets.some((s) => s.length === 0)) {
      throw new RangeError('TURN secrets must be a non-empty list of non-empty strings');
    }
    this.#secret = secret;
    this.#ttlS = clampTurnTtlS(options.ttlS);
    this.#now = options.now ?? Date.now;
  }

  /** The effective lifetime in seconds, after clamping. */
  get ttlS(): number {
    return this.#ttlS;
  }

  /** A credential for `peerId` that expires `ttlS` from now. */
  issue(peerId: string): TurnCredential {
    // coturn compares the timestamp with its clock in whole seconds (userdb.c: accept while ts >= now).
    const expiresS = Math.floor(this.#now() / 1000) + this.#ttlS;
    const username = `${expiresS}:${peerId}`;
    return { username, credential: signTurnUsername(this.#secret, username), expiresAt: expiresS * 1000 };
  }

  /** Keep secrets out of logs even if someone serialises the issuer. */
  toJSON(): { ttlS: number } {
    return { ttlS: this.#ttlS };
  }
}
