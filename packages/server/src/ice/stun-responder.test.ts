import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  StunAttr,
  StunMethod,
  decodeErrorCode,
  decodeStunMessage,
  decodeUnknownAttributes,
  encodeStunMessage,
  findAttribute,
  type StunAttribute,
} from './stun-codec.js';
import { decodeXorAddress } from './stun-address.js';
import { respondToStun } from './stun-responder.js';

const source = { family: 'IPv4', address: '203.0.113.11', port: 40000 } as const;

function request(attributes: StunAttribute[] = [], method: number = StunMethod.BINDING): Buffer {
  return encodeStunMessage({ method, messageClass: 'request', transactionId: randomBytes(12), attributes });
}

describe('respondToStun', () => {
  it('answers a Binding request with the source as XOR-MAPPED-ADDRESS, the same transaction id and a FINGERPRINT', () => {
    const packet = request();
    const reply = respondToStun(packet, source);
    expect(reply.kind).toBe('success');
    if (reply.kind !== 'success') return;
    const response = decodeStunMessage(reply.response)!;
    expect(response.messageClass).toBe('success');
    expect(response.method).toBe(StunMethod.BINDING);
    expect(Buffer.from(response.transactionId)).toEqual(packet.subarray(8, 20));
    expect(
      decodeXorAddress(findAttribute(response, StunAttr.XOR_MAPPED_ADDRESS)!, response.transactionId),
    ).toEqual(source);
    expect(response.attributes.at(-1)?.type).toBe(StunAttr.FINGERPRINT);
    expect(findAttribute(response, StunAttr.SOFTWARE)).toBeUndefined();
  });

  it('answers IPv6 sources with an IPv6 XOR-MAPPED-ADDRESS', () => {
    const v6 = { family: 'IPv6', address: '2001:db8::1', port: 1234 } as const;
    const reply = respondToStun(request(), v6);
    if (reply.kind !== 'success') throw new Error(reply.kind);
    const response = decodeStunMessage(reply.response)!;
    expect(
      decodeXorAddress(findAttribute(response, StunAttr.XOR_MAPPED_ADDRESS)!, response.transactionId),
    ).toEqual(v6);
  });

  it('answers 420 with UNKNOWN-ATTRIBUTES for an unknown comprehension-required attribute', () => {
    const reply = respondToStun(
      request([
        { type: StunAttr.CHANGE_REQUEST, value: new Uint8Array(4) },
        { type: 0x7abc, value: new Uint8Array(1) },
        { type: 0xc001, value: new Uint8Array(1) },
      ]),
      source,
    );
    expect(reply.kind).toBe('error');
    if (reply.kind !== 'error') return;
    const response = decodeStunMessage(reply.response)!;
    expect(response.messageClass).toBe('error');
    expect(decodeErrorCode(findAttribute(response, StunAttr.ERROR_CODE)!)?.code).toBe(420);
    expect(decodeUnknownAttributes(findAttribute(response, StunAttr.UNKNOWN_ATTRIBUTES)!)).toEqual([
      StunAttr.CHANGE_REQUEST,
      0x7abc,
    ]);
  });

  it('ignores unknown comprehension-optional attributes and the ICE attributes of a connectivity check', () => {
    const reply = respondToStun(
      request([
        { type: 0x8abc, value: new Uint8Array(3) },
        { type: StunAttr.PRIORITY, value: new Uint8Array(4) },
        { type: StunAttr.USERNAME, value: Buffer.from('a:b') },
      ]),
      source,
    );
    expect(reply.kind).toBe('success');
  });

  it('answers 400 to a request for another method', () => {
    const reply = respondToStun(request([], StunMethod.ALLOCATE), source);
    expect(reply.kind === 'error' && reply.code).toBe(400);
  });

  it('does not answer indications, responses or garbage', () => {
    const tid = randomBytes(12);
    const indication = encodeStunMessage({ method: 1, messageClass: 'indication', transactionId: tid });
    const success = encodeStunMessage({ method: 1, messageClass: 'success', transactionId: tid });
    expect(respondToStun(indication, source).kind).toBe('indication');
    expect(respondToStun(success, source).kind).toBe('dropped');
    expect(respondToStun(Buffer.from('GET / HTTP/1.1\r\n\r\n'), source).kind).toBe('dropped');
    expect(respondToStun(new Uint8Array(0), source).kind).toBe('dropped');
  });

  it('adds SOFTWARE when configured', () => {
    const reply = respondToStun(request(), source, { software: 'switchboard' });
    if (reply.kind !== 'success') throw new Error(reply.kind);
    expect(
      Buffer.from(findAttribute(decodeStunMessage(reply.response)!, StunAttr.SOFTWARE)!).toString(),
    ).toBe('switchboard');
  });
});
