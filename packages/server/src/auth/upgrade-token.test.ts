import { describe, expect, it } from 'vitest';
import { readUpgradeQuery, readUpgradeToken, redactUrl } from './upgrade-token.js';

describe('readUpgradeToken', () => {
  it('reads a Bearer token from the Authorization header, case-insensitively', () => {
    expect(readUpgradeToken('Bearer abc.def.ghi', '/')).toBe('abc.def.ghi');
    expect(readUpgradeToken('bearer   abc', undefined)).toBe('abc');
  });

  it('reads the access_token query parameter when there is no usable header', () => {
    expect(readUpgradeToken(undefined, '/ws?x=1&access_token=tok%2Ben')).toBe('tok+en');
    expect(readUpgradeToken('Basic Zm9vOmJhcg==', '/?access_token=q')).toBe('q');
  });

  it('prefers the header over the query parameter', () => {
    expect(readUpgradeToken('Bearer header', '/?access_token=query')).toBe('header');
  });

  it('returns undefined when neither carries a token', () => {
    expect(readUpgradeToken(undefined, '/')).toBeUndefined();
    expect(readUpgradeToken(undefined, '/?access_token=')).toBeUndefined();
    expect(readUpgradeToken('Bearer', undefined)).toBeUndefined();
  });
});

describe('readUpgradeQuery', () => {
  it('reads the hello version and the token from one query', () => {
    expect(readUpgradeQuery('/ws?v=1&access_token=tok%2Ben')).toEqual({ token: 'tok+en', helloVersion: '1' });
  });

  it("reads the SDK's plain URL hello, and nothing that only ends like it", () => {
    expect(readUpgradeQuery('/?v=1')).toEqual({ token: undefined, helloVersion: '1' });
    expect(readUpgradeQuery('/ws?v=1')).toEqual({ token: undefined, helloVersion: '1' });
    expect(readUpgradeQuery('/?v=11')).toEqual({ token: undefined, helloVersion: '11' });
    expect(readUpgradeQuery('/?xv=1')).toEqual({ token: undefined, helloVersion: undefined });
    expect(readUpgradeQuery('/?access_token=t&v=1')).toEqual({ token: 't', helloVersion: '1' });
  });

  it('keeps the hello version as given, so the server can say what was wrong with it', () => {
    expect(readUpgradeQuery('/?v=two').helloVersion).toBe('two');
    expect(readUpgradeQuery('/?v=').helloVersion).toBe('');
  });

  it('finds no hello when there is no v parameter or no query', () => {
    expect(readUpgradeQuery('/?access_token=t')).toEqual({ token: 't', helloVersion: undefined });
    expect(readUpgradeQuery('/ws')).toEqual({ token: undefined, helloVersion: undefined });
    expect(readUpgradeQuery(undefined)).toEqual({ token: undefined, helloVersion: undefined });
  });
});

describe('redactUrl', () => {
  it('hides token values and keeps everything else', () => {
    const redacted = redactUrl('/ws?room=r&access_token=eyJsecret&token=also');
    expect(redacted).not.toContain('eyJsecret');
    expect(redacted).not.toContain('also');
    expect(redacted).toContain('room=r');
    expect(redactUrl('/plain?x=1')).toBe('/plain?x=1');
  });
});
