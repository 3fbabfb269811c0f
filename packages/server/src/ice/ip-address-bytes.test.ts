import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6, unmapIpv4 } from './ip-address-bytes.js';
import {
  decodeMappedAddress,
  decodeXorAddress,
  encodeMappedAddress,
  encodeXorAddress,
  toStunAddress,
} from './stun-address.js';

describe('ip-address-bytes', () => {
  it('parses and formats IPv4', () => {
    expect(Array.from(parseIpv4('192.0.2.1')!)).toEqual([192, 0, 2, 1]);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '', '1..2.3'])
      expect(parseIpv4(bad), bad).toBeNull();
  });

  it('formats IPv6 per RFC 5952', () => {
    const cases: [string, string][] = [
      ['2001:0db8:0000:0000:0000:0000:0002:0001', '2001:db8::2:1'],
      ['::1', '::1'],
      ['::', '::'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['::ffff:192.0.2.1', '::ffff:c000:201'],
      ['fe80::1%eth0', 'fe80::1'],
    ];
    for (const [input, expected] of cases) expect(formatIpv6(parseIpv6(input)!), input).toBe(expected);
  });

  it('rejects malformed IPv6', () => {
    for (const bad of [
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      'g::1',
      '1:2:3:4:5:6:7',
      ':::',
      '1:2:3:4:5:6:7:8::',
    ]) {
      expect(parseIpv6(bad), bad).toBeNull();
    }
  });

  it('round-trips any 16 bytes through text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(Array.from(parseIpv6(formatIpv6(bytes))!)).toEqual(Array.from(bytes));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
        expect(parseIpv4(formatIpv4(b))).toEqual(b);
      }),
    );
  });

  it('unmaps IPv4-mapped IPv6 only', () => {
    expect(Array.from(unmapIpv4(parseIpv6('::ffff:10.0.0.1')!)!)).toEqual([10, 0, 0, 1]);
    expect(unmapIpv4(parseIpv6('::1')!)).toBeNull();
  });
});

describe('stun-address', () => {
  const tid = Buffer.from('000102030405060708090a0b', 'hex');

  it('reports an IPv4 client on a dual-stack socket with its IPv4 address', () => {
    expect(toStunAddress('::ffff:203.0.113.11', 4000)).toEqual({
      family: 'IPv4',
      address: '203.0.113.11',
      port: 4000,
    });
    expect(toStunAddress('::1', 5)).toEqual({ family: 'IPv6', address: '::1', port: 5 });
    expect(toStunAddress('not an ip', 5)).toBeNull();
    expect(toStunAddress('1.2.3.4', 70000)).toBeNull();
  });

  it('round-trips XOR and plain addresses for both families', () => {
    for (const address of [
      { family: 'IPv4', address: '203.0.113.11', port: 65535 },
      { family: 'IPv6', address: '2001:db8::7', port: 1 },
    ] as const) {
      expect(decodeXorAddress(encodeXorAddress(address, tid), tid)).toEqual(address);
      expect(decodeMappedAddress(encodeMappedAddress(address))).toEqual(address);
    }
  });

  it('XORs the IPv4 address with the magic cookie so it is not visible on the wire', () => {
    const value = encodeXorAddress({ family: 'IPv4', address: '192.0.2.1', port: 32853 }, tid);
    expect(Buffer.from(value).toString('hex')).toBe('0001a147e112a643');
  });

  it('rejects an unknown family and a wrong length', () => {
    expect(decodeXorAddress(Buffer.from('0003a147e112a643', 'hex'), tid)).toBeNull();
    expect(decodeXorAddress(Buffer.from('0001a147e112a6', 'hex'), tid)).toBeNull();
    expect(decodeXorAddress(Buffer.from('0002a147e112a643', 'hex'), tid)).toBeNull();
  });
});
