/**
 * Builds the server's `Authenticator` from the operator's settings (`--jwt-secret`, `--jwt-public-key`,
 * `--jwks-url`, `--require-auth`), so the CLI and embedding apps choose auth the same way.
 */
import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { AnonymousAuthenticator, type Authenticator } from './authenticator.js';
import { JwtAuthenticator, type PublicKeyInput } from './jwt-authenticator.js';

/** Auth settings as the operator gives them. */
export interface AuthSettings {
  /**
   * HS256 shared secret, ≥ 32 bytes (`--jwt-secret`, `SWITCHBOARD_JWT_SECRET`).
   * @default undefined
   */
  readonly jwtSecret?: string | undefined;
  /**
   * Path of a public key file: PEM, a JWK, or a JWK Set `{ "keys": [...] }` (`--jwt-public-key`).
   * @default undefined
   */
  readonly jwtPublicKeyPath?: string | undefined;
  /**
   * URL of a JWK Set served by the identity provider (`--jwks-url`).
   * @default undefined
   */
  readonly jwksUrl?: string | undefined;
  /**
   * Whether connections without a token are refused (`--require-auth`). Defaults to true as soon as a
   * key is configured: configuring a key and still letting anonymous users in should be a decision.
   * @default true with a key, false without
   */
  readonly requireAuth?: boolean | undefined;
  /**
   * Clock leeway for `exp`/`nbf`, in seconds.
   * @default 30
   */
  readonly jwtClockToleranceS?: number | undefined;
}

/**
 * Pick the authenticator: `JwtAuthenticator` when a key source is set, `AnonymousAuthenticator` otherwise.
 *
 * @throws Error with one sentence per mistake (two key sources, `--require-auth` without a key, unreadable key file)
 */
export function createAuthenticator(settings: AuthSettings): Authenticator {
  const { jwtSecret, jwtPublicKeyPath, jwksUrl, requireAuth, jwtClockToleranceS } = settings;
  const sources = [jwtSecret, jwtPublicKeyPath, jwksUrl].filter((s) => s !== undefined && s !== '');
  if (sources.length > 1) throw new Error('Give only one of --jwt-secret, --jwt-public-key and --jwks-url.');
  if (sources.length === 0) {
    if (requireAuth === true)
      throw new Error('--require-auth needs a key: set --jwt-secret, --jwt-public-key or --jwks-url.');
    return new AnonymousAuthenticator();
  }
  const common = {
    isTokenRequired: requireAuth ?? true,
    ...(jwtClockToleranceS === undefined ? {} : { clockToleranceS: jwtClockToleranceS }),
  };
  if (jwtSecret !== undefined && jwtSecret !== '')
    return new JwtAuthenticator({ ...common, secret: jwtSecret });
  if (jwksUrl !== undefined && jwksUrl !== '') return new JwtAuthenticator({ ...common, jwksUrl });
  return new JwtAuthenticator({ ...common, publicKey: readPublicKeys(jwtPublicKeyPath as string) });
}

function readPublicKeys(path: string): PublicKeyInput | readonly PublicKeyInput[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `--jwt-public-key ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      { cause: error },
    );
  }
  if (!text.trimStart().startsWith('{')) return text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`--jwt-public-key ${path} is neither PEM nor valid JSON.`, { cause: error });
  }
  const keys = (json as { keys?: unknown }).keys;
  if (Array.isArray(keys)) {
    if (keys.length === 0) throw new Error(`--jwt-public-key ${path} holds an empty key set.`);
    return keys as JWK[];
  }
  return json as JWK;
}
