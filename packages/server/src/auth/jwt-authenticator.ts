/**
 * JwtAuthenticator: verifies JSON Web Tokens with jose and turns their claims into a `Principal`
 * (claim table in principal-from-claims.ts).
 *
 * Keys come from exactly one source: shared secrets (HS256/384/512), public keys as PEM or JWK
 * (RS*, PS*, ES*, EdDSA), or a JWKS URL fetched and cached by jose's `createRemoteJWKSet`. The accepted
 * algorithms are pinned to the key type, so a token can never pick its own verification method (the
 * classic `alg: none` / HS-with-a-public-key confusion).
 *
 * Outcomes map to stable codes: no token while one is required → UNAUTHORIZED; expired or not yet valid
 * beyond the clock tolerance → TOKEN_EXPIRED; anything else wrong with the token → TOKEN_INVALID. When the
 * authenticator cannot decide at all (the JWKS endpoint is down), `authenticate()` rejects, so the server
 * answers INTERNAL_ERROR and the client retries instead of treating its good token as bad.
 */
import { createPublicKey, KeyObject, type JsonWebKey } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWK, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthRequest, AuthResult, Authenticator, Principal } from './authenticator.js';
import { principalFromClaims } from './principal-from-claims.js';

/** HMAC keys shorter than the hash output make HS256 tokens brute-forceable offline (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;
/** `hello.token` is capped at this length by the schema; header and query tokens get the same cap. */
export const MAX_TOKEN_LENGTH = 8192;

/** A public key: PEM text (SPKI or X.509 certificate), a JWK, or a Node KeyObject. */
export type PublicKeyInput = string | JWK | KeyObject;

/** Options of `JwtAuthenticator`. Give exactly one of `secret`, `publicKey` or `jwksUrl`. */
export interface JwtAuthenticatorOptions {
  /**
   * Shared HMAC secret(s), at least 32 bytes each. Several secrets allow rotation: a token verifies when
   * any of them matches.
   * @default undefined
   */
  readonly secret?: string | Uint8Array | readonly (string | Uint8Array)[];
  /**
   * Public key(s) for RS256/PS256/ES256/EdDSA tokens, as PEM or JWK. Several keys allow rotation.
   * @default undefined
   */
  readonly publicKey?: PublicKeyInput | readonly PublicKeyInput[];
  /**
   * URL of a JSON Web Key Set (e.g. `https://issuer/.well-known/jwks.json`); keys are picked by `kid`.
   * @default undefined
   */
  readonly jwksUrl?: string | URL;
  /**
   * Accepted `alg` values. Defaults to the algorithms that fit the configured key type.
   * @default by key type
   */
  readonly algorithms?: readonly string[];
  /**
   * Leeway for `exp` and `nbf` between the issuer's clock and ours, in seconds.
   * @default 30
   */
  readonly clockToleranceS?: number;
  /**
   * Whether a connection without a token is refused (UNAUTHORIZED). When false, it becomes an anonymous
   * principal that may join any room, while a token that is present must still verify.
   * @default true
   */
  readonly isTokenRequired?: boolean;
  /**
   * Whether a token without `exp` is refused: a token that never expires cannot be revoked by time.
   * @default true
   */
  readonly isExpiryRequired?: boolean;
  /**
   * Required `iss` value(s).
   * @default undefined (not checked)
   */
  readonly issuer?: string | readonly string[];
  /**
   * Required `aud` value(s).
   * @default undefined (not checked)
   */
  readonly audience?: string | readonly string[];
  /**
   * Timeout of one JWKS fetch, in milliseconds.
   * @default 5000
   */
  readonly jwksTimeoutMs?: number;
  /**
   * How long fetched JWKS keys are trusted before they are fetched again, in milliseconds.
   * @default 600000
   */
  readonly jwksCacheMaxAgeMs?: number;
}

const DEFAULTS = {
  clockToleranceS: 30,
  isTokenRequired: true,
  isExpiryRequired: true,
  jwksTimeoutMs: 5000,
  jwksCacheMaxAgeMs: 600_000,
} as const;

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const ASYMMETRIC_ALGORITHMS = [...RSA_ALGORITHMS, 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const ANONYMOUS: Principal = Object.freeze({ identity: undefined, rooms: '*', expiresAt: undefined });

type VerificationKey = KeyObject | Uint8Array;

/**
 * Verifies JWTs presented at upgrade, in `hello.token` / `resume.token`, or in a `token` refresh.
 *
 * @example
 * const authenticator = new JwtAuthenticator({ secret: process.env.SWITCHBOARD_JWT_SECRET });
 * createServer({ authenticator });
 */
export class JwtAuthenticator implements Authenticator {
  readonly #keys: readonly VerificationKey[];
  readonly #jwks: JWTVerifyGetKey | undefined;
  readonly #algorithms: string[];
  readonly #clockToleranceS: number;
  readonly #isTokenRequired: boolean;
  readonly #isExpiryRequired: boolean;
  readonly #issuer: string | string[] | undefined;
  readonly #audience: string | string[] | undefined;

  /** @throws TypeError with one exact sentence when the options are inconsistent */
  constructor(options: JwtAuthenticatorOptions) {
    const sources = [options.secret, options.publicKey, options.jwksUrl].filter(
      (s) => s !== undefined,
    ).length;
    if (sources !== 1) {
      throw new TypeError('JwtAuthenticator needs exactly one of `secret`, `publicKey` or `jwksUrl`.');
    }
    const clockToleranceS = options.clockToleranceS ?? DEFAULTS.clockToleranceS;
    if (!Number.isFinite(clockToleranceS) || clockToleranceS < 0 || clockToleranceS > 300) {
      throw new TypeError('`clockToleranceS` must be a number of seconds between 0 and 300.');
    }
    this.#clockToleranceS = clockToleranceS;
    this.#isTokenRequired = options.isTokenRequired ?? DEFAULTS.isTokenRequired;
    this.#isExpiryRequired = options.isExpiryRequired ?? DEFAULTS.isExpiryRequired;
    this.#issuer = copyList(options.issuer);
    this.#audience = copyList(options.audience);

    let fitting: string[];
    if (options.secret !== undefined) {
      this.#keys = toList(options.secret).map(secretBytes);
      this.#jwks = undefined;
      fitting = HMAC_ALGORITHMS;
    } else if (options.publicKey !== undefined) {
      const keys = toList(options.publicKey).map(publicKeyObject);
      this.#keys = keys;
      this.#jwks = undefined;
      fitting = [...new Set(keys.flatMap(algorithmsForKey))];
    } else {
      const url = new URL(options.jwksUrl as string | URL);
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new TypeError('`jwksUrl` must be an http(s) URL.');
      this.#keys = [];
      this.#jwks = createRemoteJWKSet(url, {
        timeoutDuration: options.jwksTimeoutMs ?? DEFAULTS.jwksTimeoutMs,
        cacheMaxAge: options.jwksCacheMaxAgeMs ?? DEFAULTS.jwksCacheMaxAgeMs,
      });
      fitting = ASYMMETRIC_ALGORITHMS;
    }
    const algorithms = options.algorithms === undefined ? fitting : [...options.algorithms];
    const unfit = algorithms.filter((alg) => !fitting.includes(alg));
    if (algorithms.length === 0 || unfit.length > 0) {
      throw new TypeError(
        `\`algorithms\` must be a non-empty subset of ${fitting.join(', ')} for the configured key.`,
      );
    }
    this.#algorithms = algorithms;
  }

  /** Verify the request's token. Rejects only when the key set cannot be fetched. */
  async authenticate(request: AuthRequest): Promise<AuthResult> {
    const { token } = request;
    if (token === undefined || token === '') {
      return this.#isTokenRequired
        ? { ok: false, code: 'UNAUTHORIZED', message: 'a token is required' }
        : { ok: true, principal: ANONYMOUS };
    }
    if (token.length > MAX_TOKEN_LENGTH)
      return invalid(`token is longer than ${MAX_TOKEN_LENGTH} characters`);
    let payload: JWTPayload;
    try {
      payload = await this.#verify(token);
    } catch (error) {
      return classify(error);
    }
    if (this.#isExpiryRequired && typeof payload.exp !== 'number') return invalid('token has no `exp` claim');
    const claims = principalFromClaims(payload);
    if (!claims.ok) return invalid(claims.message);
    // A live session ends when this server would stop accepting the token at hello: exp plus the leeway.
    const { expiresAt } = claims.principal;
    if (expiresAt === undefined) return claims;
    return {
      ok: true,
      principal: { ...claims.principal, expiresAt: expiresAt + this.#clockToleranceS * 1000 },
    };
  }

  async #verify(token: string): Promise<JWTPayload> {
    const options = {
      algorithms: this.#algorithms,
      clockTolerance: this.#clockToleranceS,
      ...(this.#issuer === undefined ? {} : { issuer: this.#issuer }),
      ...(this.#audience === undefined ? {} : { audience: this.#audience }),
    };
    if (this.#jwks !== undefined) return (await jwtVerify(token, this.#jwks, options)).payload;
    let lastError: unknown;
    // Rotation: try each key; only a signature mismatch moves on, any other fault is final.
    for (const key of this.#keys) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (error) {
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) throw error;
        lastError = error;
      }
    }
    throw lastError;
  }
}

function invalid(message: string): AuthResult {
  return { ok: false, code: 'TOKEN_INVALID', message };
}

/** jose errors → stable codes. Messages are ours: jose's may quote claim values from the token. */
function classify(error: unknown): AuthResult {
  if (error instanceof errors.JWTExpired)
    return { ok: false, code: 'TOKEN_EXPIRED', message: 'token has expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return { ok: false, code: 'TOKEN_EXPIRED', message: 'token is not valid yet' };
    return invalid(`token claim \`${error.claim}\` is not acceptable`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return invalid('token signature does not verify');
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid('token algorithm is not accepted');
  if (error instanceof errors.JWKSNoMatchingKey) return invalid('token was signed with an unknown key');
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWKInvalid ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return invalid('token is malformed');
  }
  // Key set unreachable, timed out or unparsable: not the token's fault, so do not say it is invalid.
  throw error;
}

function toList<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

function copyList(value: string | readonly string[] | undefined): string | string[] | undefined {
  return value === undefined || typeof value === 'string' ? value : [...value];
}

function secretBytes(secret: string | Uint8Array): Uint8Array {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (bytes.byteLength < MIN_SECRET_BYTES) {
    throw new TypeError(
      `A JWT secret must be at least ${MIN_SECRET_BYTES} bytes; generate one with \`openssl rand -base64 32\`.`,
    );
  }
  return bytes;
}

function publicKeyObject(key: PublicKeyInput): KeyObject {
  if (typeof key === 'string') return createPublicKey(key);
  if (key instanceof KeyObject) {
    if (key.type === 'secret')
      throw new TypeError('`publicKey` must be an asymmetric key; put shared secrets in `secret`.');
    return key.type === 'private' ? createPublicKey(key) : key;
  }
  if (key.kty === 'oct')
    throw new TypeError('`publicKey` must be an asymmetric key; put shared secrets in `secret`.');
  // Strip private members so a JWK with `d` never turns into a signing key here.
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = key;
  return createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' });
}

function algorithmsForKey(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return RSA_ALGORITHMS;
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return ['ES256'];
      if (curve === 'secp384r1') return ['ES384'];
      if (curve === 'secp521r1') return ['ES512'];
      throw new TypeError(
        `\`publicKey\` uses the unsupported curve ${curve ?? 'unknown'}; use P-256, P-384 or P-521.`,
      );
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      throw new TypeError(`\`publicKey\` has the unsupported key type ${key.asymmetricKeyType ?? key.type}.`);
  }
}
