/**
 * Turns the security flags of `switchboard serve` into server options: the authenticator (`--jwt-*`,
 * `--require-auth`), TLS (`--tls-cert`, `--tls-key`), the client-IP rule (`--trust-proxy`) and the
 * Origin allow-list (`--origin`). Files are read and keys checked here, before the server listens, so a
 * mistake stops the start with one sentence.
 */
import type { TrustProxy } from '../edge/client-address.js';
import { parseTypeRateLimit, type MessageRateLimits } from '../transport/message-rate-limits.js';
import { loadTlsMaterial, type TlsMaterial } from '../edge/tls-server.js';
import type { Authenticator } from './authenticator.js';
import { createAuthenticator, type AuthSettings } from './create-authenticator.js';
import { OriginAllowList } from './origin-allow-list.js';

/** The security flags as parsed (absent flags are undefined). */
export interface SecurityFlags extends Pick<
  AuthSettings,
  'jwtSecret' | 'jwtPublicKeyPath' | 'jwksUrl' | 'requireAuth'
> {
  readonly tlsCertPath?: string | undefined;
  readonly tlsKeyPath?: string | undefined;
  readonly trustProxy?: boolean | undefined;
  readonly trustProxyHops?: number | undefined;
  readonly origins?: readonly string[] | undefined;
  /** `--type-rate` items, `type=perSecond/burst`. */
  readonly typeRates?: readonly string[] | undefined;
}

/** The server options the flags set; absent ones keep the server defaults. */
export interface SecurityOptions {
  authenticator?: Authenticator;
  tls?: TlsMaterial;
  trustProxy?: TrustProxy;
  allowedOrigins?: readonly string[];
  messageRateLimits?: MessageRateLimits;
}

/**
 * @throws Error with one sentence naming the flag when a value is wrong or a file unusable
 */
export function composeSecurityOptions(flags: SecurityFlags): SecurityOptions {
  const options: SecurityOptions = {};
  const isAuthConfigured = [flags.jwtSecret, flags.jwtPublicKeyPath, flags.jwksUrl, flags.requireAuth].some(
    (v) => v !== undefined,
  );
  if (isAuthConfigured) {
    options.authenticator = createAuthenticator({
      jwtSecret: flags.jwtSecret,
      jwtPublicKeyPath: flags.jwtPublicKeyPath,
      jwksUrl: flags.jwksUrl,
      requireAuth: flags.requireAuth,
    });
  }
  if ((flags.tlsCertPath === undefined) !== (flags.tlsKeyPath === undefined)) {
    throw new Error(
      '--tls-cert and --tls-key go together: give both, or neither for plain HTTP behind a TLS proxy.',
    );
  }
  if (flags.tlsCertPath !== undefined && flags.tlsKeyPath !== undefined) {
    options.tls = loadTlsMaterial({ certPath: flags.tlsCertPath, keyPath: flags.tlsKeyPath });
  }
  if (flags.trustProxyHops !== undefined && flags.trustProxy !== true) {
    throw new Error('--trust-proxy-hops needs --trust-proxy.');
  }
  if (flags.trustProxy === true) options.trustProxy = flags.trustProxyHops ?? 1;
  if (flags.origins !== undefined && flags.origins.length > 0) {
    new OriginAllowList(flags.origins); // validates each entry, with a sentence naming the bad one
    options.allowedOrigins = [...flags.origins];
  }
  if (flags.typeRates !== undefined && flags.typeRates.length > 0) {
    const limits = flags.typeRates.map((item) => {
      try {
        return parseTypeRateLimit(item);
      } catch (error) {
        throw new Error(`--type-rate ${(error as Error).message}`, { cause: error });
      }
    });
    options.messageRateLimits = Object.fromEntries(limits);
  }
  return options;
}
