/**
 * Server-side helper for apps that issue their own Switchboard tokens (HS256 with the server's secret).
 * The claims are the ones `JwtAuthenticator` reads (principal-from-claims.ts).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { parseDurationMs } from './parse-duration.js';

/** Options of `mintToken`. */
export interface MintTokenOptions {
  /** The identity (`sub`). Several sessions may share one identity (devices). */
  readonly sub: string;
  /**
   * Rooms the holder may join (`rooms` claim); `'*'` for any room.
   * @default '*'
   */
  readonly rooms?: readonly string[] | '*';
  /**
   * Lifetime: seconds as a number, or a duration such as `'30m'`, `'1h'`, `'2d'`.
   * @default '1h'
   */
  readonly ttl?: number | string;
  /** The shared secret the server verifies with (`SWITCHBOARD_JWT_SECRET`); the server requires ≥ 32 bytes. */
  readonly secret: string | Uint8Array;
  /**
   * `false` issues a signal-only token that may join no room (`join` claim).
   * @default true
   */
  readonly join?: boolean;
  /**
   * Join only rooms holding fewer peers than this (`maxPeers` claim).
   * @default undefined (the server's cap only)
   */
  readonly maxPeers?: number;
  /**
   * `iss` claim.
   * @default undefined
   */
  readonly issuer?: string;
  /**
   * `aud` claim.
   * @default undefined
   */
  readonly audience?: string;
  /**
   * HMAC algorithm.
   * @default 'HS256'
   */
  readonly algorithm?: 'HS256' | 'HS384' | 'HS512';
  /**
   * The issue time, in epoch ms (tests and pre-dated tokens).
   * @default Date.now()
   */
  readonly nowMs?: number;
}

/**
 * Mint a signed token for one identity.
 *
 * @throws RangeError or TypeError with one exact sentence when an option is wrong
 * @example
 * const token = await mintToken({ sub: 'alice', rooms: ['standup'], ttl: '1h', secret });
 * // the browser connects to wss://host/?access_token=<token> or sends it in hello.token
 */
export async function mintToken(options: MintTokenOptions): Promise<string> {
  const { sub, secret } = options;
  if (typeof sub !== 'string' || sub.length === 0) throw new TypeError('`sub` must be a non-empty string.');
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (key.byteLength === 0) throw new TypeError('`secret` must not be empty.');
  const ttl = options.ttl ?? '1h';
  const ttlS = Math.max(1, Math.round((typeof ttl === 'number' ? ttl * 1000 : parseDurationMs(ttl)) / 1000));
  if (!Number.isFinite(ttlS)) throw new RangeError('`ttl` must be a finite number of seconds.');
  const maxPeers = options.maxPeers;
  if (maxPeers !== undefined && !(Number.isSafeInteger(maxPeers) && maxPeers > 0)) {
    throw new RangeError('`maxPeers` must be a positive integer.');
  }
  const nowS = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const rooms = options.rooms ?? '*';
  const claims: Record<string, unknown> = { rooms: rooms === '*' ? '*' : [...rooms] };
  if (options.join === false) claims['join'] = false;
  if (maxPeers !== undefined) claims['maxPeers'] = maxPeers;

  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.algorithm ?? 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt(nowS)
    .setNotBefore(nowS)
    .setExpirationTime(nowS + ttlS)
    // A unique id so that two tokens minted in the same second differ, and a log can name one by its jti.
    .setJti(randomUUID());
  if (options.issuer !== undefined) jwt = jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt = jwt.setAudience(options.audience);
  return jwt.sign(key);
}
