import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSelfSignedCert } from '@switchboard/testing';
import { AnonymousAuthenticator } from './authenticator.js';
import { composeSecurityOptions } from './compose-security-options.js';
import { JwtAuthenticator } from './jwt-authenticator.js';

describe('composeSecurityOptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sets nothing without flags, so the one-command start stays anonymous and plain', () => {
    expect(composeSecurityOptions({})).toEqual({});
  });

  it('builds a JWT authenticator, TLS, proxy trust and the origin list from their flags', () => {
    const { certPath, keyPath } = writeSelfSignedCert(dir);
    const options = composeSecurityOptions({
      jwtSecret: 'compose-security-options-secret-32-bytes',
      tlsCertPath: certPath,
      tlsKeyPath: keyPath,
      trustProxy: true,
      origins: ['https://app.example.com'],
    });
    expect(options.authenticator).toBeInstanceOf(JwtAuthenticator);
    expect(options.tls?.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(options.trustProxy).toBe(1);
    expect(options.allowedOrigins).toEqual(['https://app.example.com']);
    expect(composeSecurityOptions({ requireAuth: false }).authenticator).toBeInstanceOf(
      AnonymousAuthenticator,
    );
  });

  it('refuses half-given or wrong flags with one sentence naming them', () => {
    expect(() => composeSecurityOptions({ tlsCertPath: '/x.pem' })).toThrow(
      /--tls-cert and --tls-key go together/,
    );
    expect(() => composeSecurityOptions({ trustProxyHops: 2 })).toThrow(
      /--trust-proxy-hops needs --trust-proxy/,
    );
    expect(() => composeSecurityOptions({ origins: ['not an origin'] })).toThrow(/not an origin/);
    expect(() => composeSecurityOptions({ jwtSecret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => composeSecurityOptions({ requireAuth: true })).toThrow(/--require-auth needs a key/);
    expect(() => composeSecurityOptions({ typeRates: ['join=fast'] })).toThrow(
      /^--type-rate "join=fast" must look like type=perSecond\/burst/,
    );
  });

  it('reads per-type rate limits from --type-rate items', () => {
    expect(composeSecurityOptions({ typeRates: ['join=1/4', 'token=0.1/2'] }).messageRateLimits).toEqual({
      join: { perSecond: 1, burst: 4 },
      token: { perSecond: 0.1, burst: 2 },
    });
  });
});
