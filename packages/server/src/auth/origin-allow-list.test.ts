import { describe, expect, it } from 'vitest';
import { OriginAllowList } from './origin-allow-list.js';

describe('OriginAllowList', () => {
  const list = new OriginAllowList([
    'https://app.example.com',
    'http://localhost:5173',
    'https://*.example.org',
  ]);

  it('allows listed origins, ignoring case and default ports', () => {
    expect(list.isAllowed('https://app.example.com')).toBe(true);
    expect(list.isAllowed('HTTPS://APP.EXAMPLE.COM:443')).toBe(true);
    expect(list.isAllowed('http://localhost:5173')).toBe(true);
  });

  it('refuses other origins, schemes and ports', () => {
    expect(list.isAllowed('https://evil.example')).toBe(false);
    expect(list.isAllowed('http://app.example.com')).toBe(false);
    expect(list.isAllowed('http://localhost:5174')).toBe(false);
    expect(list.isAllowed('https://app.example.com.evil.example')).toBe(false);
    expect(list.isAllowed('null')).toBe(false);
    expect(list.isAllowed('not a url')).toBe(false);
  });

  it('matches wildcard subdomains but not the bare domain or look-alikes', () => {
    expect(list.isAllowed('https://a.example.org')).toBe(true);
    expect(list.isAllowed('https://a.b.example.org')).toBe(true);
    expect(list.isAllowed('https://example.org')).toBe(false);
    expect(list.isAllowed('https://evilexample.org')).toBe(false);
  });

  it('lets non-browser clients without Origin in unless told otherwise', () => {
    expect(list.isAllowed(undefined)).toBe(true);
    expect(
      new OriginAllowList(['https://a.example'], { isMissingOriginAllowed: false }).isAllowed(undefined),
    ).toBe(false);
  });

  it('allows everything with *, and refuses entries that are not origins', () => {
    expect(new OriginAllowList(['*']).isAllowed('https://anything.example')).toBe(true);
    expect(() => new OriginAllowList(['https://a.example/path'])).toThrow(/not an origin/);
    expect(() => new OriginAllowList(['ftp://a.example'])).toThrow(/not an origin/);
  });
});
