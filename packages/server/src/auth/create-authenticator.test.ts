import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { AnonymousAuthenticator } from './authenticator.js';
import { createAuthenticator } from './create-authenticator.js';
import { JwtAuthenticator } from './jwt-authenticator.js';

const SECRET = 'create-authenticator-secret-32-bytes!!';
const req = (token: string | undefined) => ({ token, remoteAddress: '127.0.0.1', origin: undefined });

describe('createAuthenticator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-auth-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stays anonymous with no key, the one-command default', () => {
    expect(createAuthenticator({})).toBeInstanceOf(AnonymousAuthenticator);
  });

  it('requires tokens as soon as a secret is set, unless told otherwise', async () => {
    const required = createAuthenticator({ jwtSecret: SECRET });
    expect(required).toBeInstanceOf(JwtAuthenticator);
    expect(await required.authenticate(req(undefined))).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
    const optional = createAuthenticator({ jwtSecret: SECRET, requireAuth: false });
    expect(await optional.authenticate(req(undefined))).toMatchObject({ ok: true });
  });

  it('reads a public key file as PEM or as a JWK Set', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('a')
      .setExpirationTime('5m')
      .sign(privateKey);
    const pemPath = join(dir, 'key.pem');
    writeFileSync(pemPath, publicKey.export({ type: 'spki', format: 'pem' }));
    expect(await createAuthenticator({ jwtPublicKeyPath: pemPath }).authenticate(req(token))).toMatchObject({
      ok: true,
    });
    const jwksPath = join(dir, 'jwks.json');
    writeFileSync(jwksPath, JSON.stringify({ keys: [await exportJWK(publicKey)] }));
    expect(await createAuthenticator({ jwtPublicKeyPath: jwksPath }).authenticate(req(token))).toMatchObject({
      ok: true,
    });
  });

  it('refuses contradictory settings with one sentence each', () => {
    expect(() => createAuthenticator({ jwtSecret: SECRET, jwksUrl: 'https://x/jwks' })).toThrow(
      /only one of/,
    );
    expect(() => createAuthenticator({ requireAuth: true })).toThrow(/--require-auth needs a key/);
    expect(() => createAuthenticator({ jwtPublicKeyPath: join(dir, 'missing.pem') })).toThrow(
      /cannot be read/,
    );
  });
});
