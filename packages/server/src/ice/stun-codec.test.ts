import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  StunAttr,
  StunMethod,
  decodeErrorCode,
  decodeMessageType,
  decodeStunMessage,
  decodeUnknownAttributes,
  encodeErrorCode,
  encodeMessageType,
  encodeStunMessage,
  encodeUnknownAttributes,
  findAttribute,
  findUnknownRequiredAttributes,
  verifyMessageIntegrity,
  type StunClass,
} from './stun-codec.js';
import { decodeXorAddress, encodeXorAddress } from './stun-address.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// RFC 5769 test vectors (§2.1-2.3), as embedded in pion/stun rfc5769_test.go; see platforms.md §3.2.
const PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';
const TRANSACTION_ID = hex('b7 e7 a7 01 bc 34 d6 86 fa 87 df ae');
const SAMPLE_REQUEST = hex(`
  00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf`);
const IPV4_RESPONSE = hex(`
  01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96`);
const IPV6_RESPONSE = hex(`
  01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
  80 28 00 04 c8 fb 0b 4c`);

/** Rebuild an RFC 5769 response from its inputs; the vectors pad SOFTWARE with 0x20. */
function buildVectorResponse(family: 'IPv4' | 'IPv6', address: string): Buffer {
  return encodeStunMessage({
    method: StunMethod.BINDING,
    messageClass: 'success',
    transactionId: TRANSACTION_ID,
    attributes: [
      { type: StunAttr.SOFTWARE, value: Buffer.from('test vector') },
      {
        type: StunAttr.XOR_MAPPED_ADDRESS,
        value: encodeXorAddress({ family, address, port: 32853 }, TRANSACTION_ID),
      },
    ],
    integrityKey: PASSWORD,
    fingerprint: true,
    paddingByte: 0x20,
  });
}

describe('RFC 5769 test vectors', () => {
  it('decodes the sample request and verifies its MESSAGE-INTEGRITY and FINGERPRINT (§2.1)', () => {
    const message = decodeStunMessage(SAMPLE_REQUEST);
    expect(message).not.toBeNull();
    expect(message!.method).toBe(StunMethod.BINDING);
    expect(message!.messageClass).toBe('request');
    expect(Buffer.from(findAttribute(message!, StunAttr.USERNAME)!).toString()).toBe('evtj:h6vY');
    expect(Buffer.from(findAttribute(message!, StunAttr.SOFTWARE)!).toString()).toBe('STUN test client');
    expect(verifyMessageIntegrity(message!, PASSWORD)).toBe(true);
    expect(verifyMessageIntegrity(message!, 'wrong password')).toBe(false);
  });

  it('decodes the IPv4 response to 192.0.2.1:32853 (§2.2)', () => {
    const message = decodeStunMessage(IPV4_RESPONSE)!;
    expect(message.messageClass).toBe('success');
    expect(verifyMessageIntegrity(message, PASSWORD)).toBe(true);
    const mapped = decodeXorAddress(
      findAttribute(message, StunAttr.XOR_MAPPED_ADDRESS)!,
      message.transactionId,
    );
    expect(mapped).toEqual({ family: 'IPv4', address: '192.0.2.1', port: 32853 });
  });

  it('decodes the IPv6 response to 2001:db8:1234:5678:11:2233:4455:6677 port 32853 (§2.3)', () => {
    const message = decodeStunMessage(IPV6_RESPONSE)!;
    expect(verifyMessageIntegrity(message, PASSWORD)).toBe(true);
    const mapped = decodeXorAddress(
      findAttribute(message, StunAttr.XOR_MAPPED_ADDRESS)!,
      message.transactionId,
    );
    expect(mapped).toEqual({ family: 'IPv6', address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
  });

  it('reproduces the IPv4 response byte for byte from its inputs', () => {
    expect(buildVectorResponse('IPv4', '192.0.2.1').toString('hex')).toBe(IPV4_RESPONSE.toString('hex'));
  });

  it('reproduces the IPv6 response byte for byte from its inputs', () => {
    const built = buildVectorResponse('IPv6', '2001:db8:1234:5678:11:2233:4455:6677');
    expect(built.toString('hex')).toBe(IPV6_RESPONSE.toString('hex'));
  });

  it('rejects a vector with one flipped bit anywhere in the fingerprinted bytes', () => {
    for (let i = 20; i < IPV4_RESPONSE.length - 8; i += 7) {
      const corrupted = Buffer.from(IPV4_RESPONSE);
      corrupted[i] = (corrupted[i] ?? 0) ^ 0x01;
      expect(decodeStunMessage(corrupted), `byte ${i}`).toBeNull();
    }
  });
});

describe('message type', () => {
  it('maps Binding and Allocate to the RFC values', () => {
    expect(encodeMessageType(StunMethod.BINDING, 'request')).toBe(0x0001);
    expect(encodeMessageType(StunMethod.BINDING, 'indication')).toBe(0x0011);
    expect(encodeMessageType(StunMethod.BINDING, 'success')).toBe(0x0101);
    expect(encodeMessageType(StunMethod.BINDING, 'error')).toBe(0x0111);
    expect(encodeMessageType(StunMethod.ALLOCATE, 'success')).toBe(0x0103);
    expect(encodeMessageType(StunMethod.ALLOCATE, 'error')).toBe(0x0113);
  });

  it('round-trips every 12-bit method and class', () => {
    const classes: StunClass[] = ['request', 'indication', 'success', 'error'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xfff }), fc.constantFrom(...classes), (method, messageClass) => {
        expect(decodeMessageType(encodeMessageType(method, messageClass))).toEqual({ method, messageClass });
      }),
    );
  });
});

describe('encodeStunMessage / decodeStunMessage', () => {
  const attribute = fc.record({
    type: fc
      .integer({ min: 0, max: 0xffff })
      .filter((t) => t !== StunAttr.FINGERPRINT && t !== StunAttr.MESSAGE_INTEGRITY),
    value: fc.uint8Array({ maxLength: 40 }),
  });

  it('round-trips arbitrary attributes, with and without integrity and fingerprint', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.array(attribute, { maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        (transactionId, attributes, withIntegrity, withFingerprint) => {
          const encoded = encodeStunMessage({
            method: StunMethod.BINDING,
            messageClass: 'request',
            transactionId,
            attributes,
            ...(withIntegrity ? { integrityKey: 'key' } : {}),
            fingerprint: withFingerprint,
          });
          expect(encoded.length % 4).toBe(0);
          const decoded = decodeStunMessage(encoded);
          expect(decoded).not.toBeNull();
          expect(Buffer.from(decoded!.transactionId)).toEqual(Buffer.from(transactionId));
          const plain = decoded!.attributes.filter(
            (a) => a.type !== StunAttr.MESSAGE_INTEGRITY && a.type !== StunAttr.FINGERPRINT,
          );
          expect(plain.map((a) => [a.type, Buffer.from(a.value).toString('hex')])).toEqual(
            attributes.map((a) => [a.type, Buffer.from(a.value).toString('hex')]),
          );
          expect(verifyMessageIntegrity(decoded!, 'key')).toBe(withIntegrity);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns null for every truncation of a valid message', () => {
    for (let length = 0; length < IPV4_RESPONSE.length; length++) {
      expect(decodeStunMessage(IPV4_RESPONSE.subarray(0, length)), `length ${length}`).toBeNull();
    }
  });

  it('returns null for random bytes instead of throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const decoded = decodeStunMessage(bytes);
        if (decoded !== null) expect(bytes.length).toBeGreaterThanOrEqual(20);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a wrong magic cookie, set top bits, an odd length and a length that overruns an attribute', () => {
    const base = encodeStunMessage({ method: 1, messageClass: 'request', transactionId: TRANSACTION_ID });
    const badCookie = Buffer.from(base);
    badCookie.writeUInt32BE(0x2112a443, 4);
    const topBits = Buffer.from(base);
    topBits[0] = 0x40;
    const oddLength = Buffer.concat([base, Buffer.alloc(2)]);
    oddLength.writeUInt16BE(2, 2);
    const overrun = Buffer.concat([base, hex('80 22 00 08 00 00 00 00')]);
    overrun.writeUInt16BE(8, 2);
    expect(decodeStunMessage(base)).not.toBeNull();
    for (const bad of [badCookie, topBits, oddLength, overrun]) expect(decodeStunMessage(bad)).toBeNull();
  });

  it('rejects an attribute after FINGERPRINT', () => {
    const withFingerprint = encodeStunMessage({
      method: 1,
      messageClass: 'request',
      transactionId: TRANSACTION_ID,
      fingerprint: true,
    });
    const extended = Buffer.concat([withFingerprint, hex('80 22 00 00')]);
    extended.writeUInt16BE(12, 2);
    expect(decodeStunMessage(extended)).toBeNull();
  });

  it('ignores attributes after MESSAGE-INTEGRITY except FINGERPRINT (RFC 8489 §14.5)', () => {
    const signed = encodeStunMessage({
      method: 1,
      messageClass: 'request',
      transactionId: TRANSACTION_ID,
      integrityKey: 'k',
    });
    const trailing = Buffer.concat([signed, hex('00 99 00 00')]);
    trailing.writeUInt16BE(trailing.length - 20, 2);
    const decoded = decodeStunMessage(trailing)!;
    expect(decoded.attributes.map((a) => a.type)).toEqual([StunAttr.MESSAGE_INTEGRITY]);
  });
});

describe('ERROR-CODE and UNKNOWN-ATTRIBUTES', () => {
  it('round-trips 420 Unknown Attribute', () => {
    expect(decodeErrorCode(encodeErrorCode(420, 'Unknown Attribute'))).toEqual({
      code: 420,
      reason: 'Unknown Attribute',
    });
    expect(Buffer.from(encodeErrorCode(401, '')).toString('hex')).toBe('00000401');
  });

  it('refuses codes outside 300-699 and malformed values', () => {
    expect(() => encodeErrorCode(200, 'x')).toThrow(RangeError);
    expect(decodeErrorCode(hex('00 00 02 00'))).toBeNull();
    expect(decodeErrorCode(hex('00 00'))).toBeNull();
  });

  it('lists each unknown comprehension-required type once and skips optional ones', () => {
    const message = decodeStunMessage(
      encodeStunMessage({
        method: 1,
        messageClass: 'request',
        transactionId: TRANSACTION_ID,
        attributes: [
          { type: 0x0077, value: new Uint8Array(0) },
          { type: 0x8077, value: new Uint8Array(0) },
          { type: 0x0077, value: new Uint8Array(1) },
          { type: StunAttr.USERNAME, value: Buffer.from('u') },
        ],
      }),
    )!;
    const unknown = findUnknownRequiredAttributes(message, new Set([StunAttr.USERNAME]));
    expect(unknown).toEqual([0x0077]);
    expect(decodeUnknownAttributes(encodeUnknownAttributes([0x0077, 0x7fff]))).toEqual([0x0077, 0x7fff]);
  });
});
