import { describe, expect, it, vi } from 'vitest';
import { authenticateNowSafely, authenticateSafely } from './authenticate-safely.js';
import { AnonymousAuthenticator, type Authenticator } from './authenticator.js';

const REQUEST = { token: undefined, remoteAddress: '127.0.0.1', origin: undefined };

describe('authenticateSafely', () => {
  it('turns a rejecting authenticator into the retryable INTERNAL_ERROR, and reports the fault', async () => {
    const onError = vi.fn();
    const failing: Authenticator = { authenticate: () => Promise.reject(new Error('JWKS down')) };
    expect(await authenticateSafely(failing, REQUEST, onError)).toMatchObject({
      ok: false,
      code: 'INTERNAL_ERROR',
    });
    expect(onError).toHaveBeenCalledTimes(1);
  });
});

describe('authenticateNowSafely', () => {
  it('answers at once for the anonymous authenticator', () => {
    expect(authenticateNowSafely(new AnonymousAuthenticator(), REQUEST)).toMatchObject({
      ok: true,
      principal: { identity: undefined, rooms: '*' },
    });
  });

  it('gives undefined for an authenticator that can only answer with a promise', () => {
    const asyncOnly: Authenticator = { authenticate: () => new AnonymousAuthenticator().authenticate() };
    expect(authenticateNowSafely(asyncOnly, REQUEST)).toBeUndefined();
  });

  it('passes on "cannot answer now" from an authenticator that has authenticateNow', () => {
    const sometimes: Authenticator = {
      authenticate: () => new AnonymousAuthenticator().authenticate(),
      authenticateNow: () => undefined,
    };
    expect(authenticateNowSafely(sometimes, REQUEST)).toBeUndefined();
  });

  it('turns a throwing authenticateNow into INTERNAL_ERROR, and reports the fault', () => {
    const onError = vi.fn();
    const throwing: Authenticator = {
      authenticate: () => new AnonymousAuthenticator().authenticate(),
      authenticateNow: () => {
        throw new Error('bug');
      },
    };
    expect(authenticateNowSafely(throwing, REQUEST, onError)).toMatchObject({
      ok: false,
      code: 'INTERNAL_ERROR',
    });
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
