/**
 * The security rows of `switchboard serve` (docs/security.md): authentication, TLS, proxies, origins and
 * abuse limits that are not plain numeric fields. They are composed into server options by
 * auth/compose-security-options.ts.
 */
import type { CliOption } from './cli-option.js';

/** Security options of `switchboard serve`. */
export const SECURITY_CLI_OPTIONS: readonly CliOption[] = [
  {
    flag: 'jwt-secret',
    kind: 'string',
    description: 'HS256 secret (>= 32 bytes) tokens are signed with; turns token auth on',
    defaultText: 'none (anonymous)',
  },
  {
    flag: 'jwt-public-key',
    kind: 'string',
    description: 'file with a PEM or JWK public key, or a JWK Set, for RS/PS/ES/EdDSA tokens',
    defaultText: 'none',
  },
  {
    flag: 'jwks-url',
    kind: 'string',
    description: "URL of the identity provider's JWK Set",
    defaultText: 'none',
  },
  {
    flag: 'require-auth',
    kind: 'boolean',
    description: 'refuse connections without a token (--no-require-auth admits anonymous users too)',
    defaultText: 'true with a JWT key, else false',
  },
  {
    flag: 'tls-cert',
    kind: 'string',
    description: 'PEM certificate chain: serve HTTPS and WSS directly (with --tls-key)',
    defaultText: 'none (plain HTTP)',
  },
  { flag: 'tls-key', kind: 'string', description: 'PEM private key of --tls-cert', defaultText: 'none' },
  {
    flag: 'trust-proxy',
    kind: 'boolean',
    description: 'take the client IP from X-Forwarded-For (only behind a reverse proxy)',
    defaultText: 'false',
  },
  {
    flag: 'trust-proxy-hops',
    kind: 'integer',
    description: 'reverse proxies in front that append to X-Forwarded-For',
    defaultText: '1',
  },
  {
    flag: 'origin',
    kind: 'list',
    description: 'Origin allowed to open WebSockets (repeat; https://*.example.com works)',
    defaultText: 'any',
  },
  {
    flag: 'type-rate',
    kind: 'list',
    description:
      'rate limit of one message type as type=perSecond/burst (join, leave, update, signal, token, ping; repeat)',
    defaultText: 'join=5/20 leave=5/20 update=10/20 token=0.5/5 ping=2/10',
  },
];
