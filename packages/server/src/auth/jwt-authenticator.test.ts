import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthRequest, AuthResult } from './authenticator.js';
import { JwtAuthenticator } from './jwt-authenticator.js';
import { mintToken } from './mint-token.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const nowS = () => Math.floor(Date.now() / 1000);
const request = (token: string | undefined): AuthRequest => ({
  token,
  remoteAddress: '127.0.0.1',
  origin: undefined,
});

async function sign(
  payload: JWTPayload,
  key: KeyObject | Uint8Array,
  alg: string,
  options: { kid?: string; expS?: number; sub?: string | null } = {},
): Promise<string> {
  let jwt = new SignJWT(payload)
    .setProtectedHeader({ alg, ...(options.kid === undefined ? {} : { kid: options.kid }) })
    .setIssuedAt()
    .setExpirationTime(options.expS ?? nowS() + 600);
  if (options.sub !== null) jwt = jwt.setSubject(options.sub ?? 'alice');
  return jwt.sign(key);
}

function failure(result: AuthResult): string {
  return result.ok ? 'ok' : result.code;
}

const secretKey = new TextEncoder().encode(SECRET);

describe('JwtAuthenticator with a shared secret', () => {
  const auth = new JwtAuthenticator({ secret: SECRET });

  it('accepts a valid HS256 token and maps its claims to a principal', async () => {
    const token = await sign({ rooms: ['standup', 'lobby'], maxPeers: 4 }, secretKey, 'HS256');
    const result = await auth.authenticate(request(token));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.principal.identity).toBe('alice');
    expect(result.principal.rooms).toEqual(['standup', 'lobby']);
    expect(result.principal.maxPeersPerRoom).toBe(4);
    expect(result.principal.expiresAt).toBeGreaterThan(Date.now());
  });

  it('grants every room when the token has no rooms claim, and none when join is false', async () => {
    const any = await auth.authenticate(request(await sign({}, secretKey, 'HS256')));
    expect(any.ok && any.principal.rooms).toBe('*');
    const none = await auth.authenticate(
      request(await sign({ rooms: '*', join: false }, secretKey, 'HS256')),
    );
    expect(none.ok && none.principal.rooms).toEqual([]);
  });

  it('refuses a missing token with UNAUTHORIZED', async () => {
    expect(failure(await auth.authenticate(request(undefined)))).toBe('UNAUTHORIZED');
    expect(failure(await auth.authenticate(request('')))).toBe('UNAUTHORIZED');
  });

  it('lets a missing token in anonymously when tokens are optional, but still checks a present one', async () => {
    const optional = new JwtAuthenticator({ secret: SECRET, isTokenRequired: false });
    const anonymous = await optional.authenticate(request(undefined));
    expect(anonymous.ok && anonymous.principal).toEqual({
      identity: undefined,
      rooms: '*',
      expiresAt: undefined,
    });
    const forged = await sign(
      {},
      new TextEncoder().encode('another-secret-that-is-also-32-bytes!!'),
      'HS256',
    );
    expect(failure(await optional.authenticate(request(forged)))).toBe('TOKEN_INVALID');
  });

  it('refuses an expired token with TOKEN_EXPIRED, but allows the clock tolerance', async () => {
    const expired = await sign({}, secretKey, 'HS256', { expS: nowS() - 120 });
    expect(failure(await auth.authenticate(request(expired)))).toBe('TOKEN_EXPIRED');
    const justExpired = await sign({}, secretKey, 'HS256', { expS: nowS() - 5 });
    expect(failure(await auth.authenticate(request(justExpired)))).toBe('ok');
    const strict = new JwtAuthenticator({ secret: SECRET, clockToleranceS: 0 });
    expect(failure(await strict.authenticate(request(justExpired)))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token that is not valid yet with TOKEN_EXPIRED', async () => {
    const future = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setNotBefore(nowS() + 3600)
      .setExpirationTime(nowS() + 7200)
      .sign(secretKey);
    expect(failure(await auth.authenticate(request(future)))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a wrong signature, a missing sub, a missing exp, alg none and garbage with TOKEN_INVALID', async () => {
    const wrongKey = new TextEncoder().encode('not-the-server-secret-but-32-bytes-long');
    const cases = [
      await sign({}, wrongKey, 'HS256'),
      await sign({}, secretKey, 'HS256', { sub: null }),
      await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').sign(secretKey),
      new UnsecuredJWT({ sub: 'alice', exp: nowS() + 600 }).encode(),
      'not.a.jwt',
      'x'.repeat(9000),
      await sign({ rooms: 'standup' }, secretKey, 'HS256'),
      await sign({ rooms: ['../etc'] }, secretKey, 'HS256'),
      await sign({ join: 'yes' }, secretKey, 'HS256'),
      await sign({ maxPeers: 0 }, secretKey, 'HS256'),
    ];
    for (const token of cases) expect(failure(await auth.authenticate(request(token)))).toBe('TOKEN_INVALID');
  });

  it('accepts any of several secrets, so a secret can be rotated', async () => {
    const next = 'the-next-secret-for-rotation-32-bytes+';
    const rotating = new JwtAuthenticator({ secret: [next, SECRET] });
    expect(failure(await rotating.authenticate(request(await sign({}, secretKey, 'HS256'))))).toBe('ok');
    const nextToken = await sign({}, new TextEncoder().encode(next), 'HS384');
    expect(failure(await rotating.authenticate(request(nextToken)))).toBe('ok');
  });

  it('verifies tokens from mintToken, with their grants', async () => {
    const token = await mintToken({ sub: 'bob', rooms: ['r1'], ttl: '30m', secret: SECRET, maxPeers: 2 });
    const result = await auth.authenticate(request(token));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.principal).toMatchObject({ identity: 'bob', rooms: ['r1'], maxPeersPerRoom: 2 });
    // exp plus the 30 s clock leeway: the moment this server stops accepting the token.
    expect(result.principal.expiresAt! - Date.now()).toBeGreaterThan(30 * 60_000);
    expect(result.principal.expiresAt! - Date.now()).toBeLessThanOrEqual(30 * 60_000 + 30_000);
  });

  it('refuses weak secrets and inconsistent options with one sentence each', () => {
    expect(() => new JwtAuthenticator({ secret: 'S' })).toThrow(/at least 32 bytes/);
    expect(() => new JwtAuthenticator({})).toThrow(/exactly one of/);
    expect(() => new JwtAuthenticator({ secret: SECRET, jwksUrl: 'https://x/jwks' })).toThrow(
      /exactly one of/,
    );
    expect(() => new JwtAuthenticator({ secret: SECRET, algorithms: ['RS256'] })).toThrow(/subset of HS256/);
    expect(() => new JwtAuthenticator({ secret: SECRET, clockToleranceS: -1 })).toThrow(/clockToleranceS/);
  });
});

describe('JwtAuthenticator with public keys', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');

  it('verifies RS256 with a PEM key', async () => {
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const auth = new JwtAuthenticator({ publicKey: pem });
    expect(failure(await auth.authenticate(request(await sign({}, rsa.privateKey, 'RS256'))))).toBe('ok');
    expect(failure(await auth.authenticate(request(await sign({}, ec.privateKey, 'ES256'))))).toBe(
      'TOKEN_INVALID',
    );
  });

  it('verifies ES256 with a JWK key and ignores private members of the JWK', async () => {
    const jwk = await exportJWK(ec.privateKey);
    const auth = new JwtAuthenticator({ publicKey: jwk });
    expect(failure(await auth.authenticate(request(await sign({}, ec.privateKey, 'ES256'))))).toBe('ok');
  });

  it('verifies EdDSA with a key object', async () => {
    const auth = new JwtAuthenticator({ publicKey: ed.publicKey });
    expect(failure(await auth.authenticate(request(await sign({}, ed.privateKey, 'EdDSA'))))).toBe('ok');
  });

  it('refuses an HS256 token signed with the public key itself (algorithm confusion)', async () => {
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const auth = new JwtAuthenticator({ publicKey: pem });
    const confused = await sign({}, new TextEncoder().encode(pem), 'HS256');
    expect(failure(await auth.authenticate(request(confused)))).toBe('TOKEN_INVALID');
  });
});

describe('JwtAuthenticator with a JWKS URL', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let server: Server;
  let url: string;
  let fetches = 0;

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(ec.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((req, res) => {
      fetches += 1;
      if (req.url === '/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(500).end('down');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('verifies a token whose kid is in the key set, fetching the set once', async () => {
    const auth = new JwtAuthenticator({ jwksUrl: `${url}/jwks.json` });
    const before = fetches;
    for (let i = 0; i < 3; i += 1) {
      const result = await auth.authenticate(
        request(await sign({ rooms: ['a'] }, ec.privateKey, 'ES256', { kid: 'k1' })),
      );
      expect(result.ok && result.principal.rooms).toEqual(['a']);
    }
    expect(fetches - before).toBe(1);
  });

  it('refuses a token signed by a key that is not in the set with TOKEN_INVALID', async () => {
    const auth = new JwtAuthenticator({ jwksUrl: `${url}/jwks.json` });
    const token = await sign({}, other.privateKey, 'ES256', { kid: 'k1' });
    expect(failure(await auth.authenticate(request(token)))).toBe('TOKEN_INVALID');
    const unknownKid = await sign({}, other.privateKey, 'ES256', { kid: 'nope' });
    expect(failure(await auth.authenticate(request(unknownKid)))).toBe('TOKEN_INVALID');
  });

  it('refuses HS256 tokens outright, whatever their kid', async () => {
    const auth = new JwtAuthenticator({ jwksUrl: `${url}/jwks.json` });
    const token = await sign({}, secretKey, 'HS256', { kid: 'k1' });
    expect(failure(await auth.authenticate(request(token)))).toBe('TOKEN_INVALID');
  });

  it('rejects (cannot decide) when the key set cannot be fetched, instead of blaming the token', async () => {
    const auth = new JwtAuthenticator({ jwksUrl: `${url}/broken` });
    const token = await sign({}, ec.privateKey, 'ES256', { kid: 'k1' });
    await expect(auth.authenticate(request(token))).rejects.toThrow();
  });
});
