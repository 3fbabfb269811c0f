import { describe, expect, it } from 'vitest';
import { normalizeAddress, resolveClientAddress } from './client-address.js';

describe('resolveClientAddress', () => {
  it('ignores X-Forwarded-For unless a proxy is trusted, so clients cannot pick their own address', () => {
    expect(resolveClientAddress('198.51.100.9', '203.0.113.7', false)).toBe('198.51.100.9');
    expect(resolveClientAddress('198.51.100.9', '203.0.113.7', 0)).toBe('198.51.100.9');
  });

  it('takes the entry the trusted proxy appended, not the ones the client typed', () => {
    expect(resolveClientAddress('10.0.0.2', '198.51.100.1, 203.0.113.7', true)).toBe('203.0.113.7');
    expect(resolveClientAddress('10.0.0.2', '198.51.100.1, 203.0.113.7, 10.0.0.1', 2)).toBe('203.0.113.7');
    expect(resolveClientAddress('10.0.0.2', ['198.51.100.1', '203.0.113.7'], 1)).toBe('203.0.113.7');
  });

  it('falls back to the socket address when the header is missing, short or garbage', () => {
    expect(resolveClientAddress('10.0.0.2', undefined, true)).toBe('10.0.0.2');
    expect(resolveClientAddress('10.0.0.2', 'not-an-ip', true)).toBe('10.0.0.2');
    expect(resolveClientAddress('10.0.0.2', '203.0.113.7', 5)).toBe('203.0.113.7');
  });

  it('normalizes mapped IPv4, ports and IPv6 case so one client counts once', () => {
    expect(resolveClientAddress('::ffff:127.0.0.1', undefined, false)).toBe('127.0.0.1');
    expect(normalizeAddress('[2001:DB8::1]:443')).toBe('2001:db8::1');
    expect(normalizeAddress('203.0.113.7:5555')).toBe('203.0.113.7');
    expect(normalizeAddress('x')).toBeUndefined();
  });
});
