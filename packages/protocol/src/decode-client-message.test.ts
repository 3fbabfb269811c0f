import { describe, expect, it } from 'vitest';
import { decodeClientMessage, DEFAULT_MAX_FRAME_BYTES } from './decode-client-message.js';
import type { ClientMessage } from './messages.js';
import { RawJson } from './raw-json.js';
import { CLIENT_MESSAGE_SCHEMAS } from './schemas.js';

/** One valid example of every client message type (the test below checks none is missing). */
const EXAMPLES: Record<ClientMessage['type'], ClientMessage[]> = {
  hello: [
    { type: 'hello', v: 1 },
    { type: 'hello', v: 1, token: 'eyJ.x.y' },
  ],
  resume: [{ type: 'resume', v: 1, sessionId: 's1', resumeSecret: 'secret', lastSeq: 0 }],
  join: [
    { type: 'join', id: 1, room: 'lobby', metadata: { nickname: 'Ada' } },
    {
      type: 'join',
      id: 2,
      room: 'r-1_x',
      metadata: { nickname: 'Ada', status: 'busy', extra: { avatar: 3 } },
      ack: 4,
    },
  ],
  leave: [{ type: 'leave', id: 3, room: 'lobby' }],
  update: [
    { type: 'update', id: 4, metadata: { status: 'away' } },
    { type: 'update', id: 5, room: 'lobby', metadata: {} },
  ],
  signal: [
    { type: 'signal', id: 6, to: 'peer_1', data: { sdp: 'v=0' } },
    { type: 'signal', id: 7, to: 'peer-2', data: null, ack: 10 },
    { type: 'signal', id: 8, to: 'p', data: [1, 'two', { three: 3 }] },
  ],
  token: [{ type: 'token', id: 9, token: 'new.jwt.token' }],
  ack: [
    { type: 'ack', seq: 0 },
    { type: 'ack', seq: 12 },
  ],
  ping: [{ type: 'ping' }, { type: 'ping', t: 123.5 }],
  bye: [{ type: 'bye' }],
};

describe('decodeClientMessage', () => {
  it('has an example for every client message type', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(Object.keys(CLIENT_MESSAGE_SCHEMAS).sort());
  });

  for (const [type, examples] of Object.entries(EXAMPLES)) {
    it(`round-trips ${type} through JSON text and UTF-8 bytes`, () => {
      for (const message of examples) {
        const text = JSON.stringify(message);
        const expected = { ok: true, message };
        expect(decodeClientMessage(text)).toEqual(expected);
        expect(decodeClientMessage(new TextEncoder().encode(text))).toEqual(expected);
        // Raw, a signal's data is the sender's own text, which the relay forwards as it is.
        const raw = decodeClientMessage(text, DEFAULT_MAX_FRAME_BYTES, { rawSignalData: true });
        expect(raw).toEqual(
          message.type === 'signal'
            ? { ok: true, message: { ...message, data: new RawJson(JSON.stringify(message.data)) } }
            : expected,
        );
      }
    });
  }

  it("gives a signal's data as the sender's own text, wherever the key is and however it is spelled", () => {
    const cases: [string, string][] = [
      ['{"data" : { "a" : [1, "}\\"", {}] } ,"type":"signal","id":1,"to":"p"}', '{ "a" : [1, "}\\"", {}] }'],
      ['{"type":"signal","id":1,"data":"x","to":"p","data":[true]}', '[true]'],
      ['{"type":"signal","id":1,"to":"p","d\\u0061ta":-1.5e3 }', '-1.5e3'],
      ['{"type":"signal","id":1,"to":"p","data":null}', 'null'],
      ['{"type":"signal","id":1,"to":"p","data":"a\\\\"}', '"a\\\\"'],
    ];
    for (const [text, dataJson] of cases) {
      const result = decodeClientMessage(text, DEFAULT_MAX_FRAME_BYTES, { rawSignalData: true });
      expect(result).toMatchObject({ ok: true, message: { data: new RawJson(dataJson) } });
      const parsed = decodeClientMessage(text);
      expect(parsed.ok && (parsed.message as { data: unknown }).data).toEqual(JSON.parse(dataJson));
      // What a bus that serialises the frame writes is the value itself.
      expect(result.ok && (JSON.parse(JSON.stringify(result.message)) as unknown)).toEqual(
        parsed.ok && parsed.message,
      );
    }
  });

  it('marks raw data ASCII only when the frame came as bytes, one byte per character', () => {
    const raw = { rawSignalData: true };
    const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
    const ascii = '{"type":"signal","id":1,"to":"p","data":{"sdp":"v=0"}}';
    const accented = '{"type":"signal","id":1,"to":"p","data":{"nick":"Zoë"}}';
    const unusual = '{"type":"signal","id":1.0,"to":"p","data":{"sdp":"v=0"}}'; // the general path
    const dataOf = (result: ReturnType<typeof decodeClientMessage>): RawJson =>
      (result.ok && result.message.type === 'signal' ? result.message.data : undefined) as RawJson;
    expect(dataOf(decodeClientMessage(bytes(ascii), DEFAULT_MAX_FRAME_BYTES, raw)).isAscii).toBe(true);
    expect(dataOf(decodeClientMessage(bytes(unusual), DEFAULT_MAX_FRAME_BYTES, raw)).isAscii).toBe(true);
    expect(dataOf(decodeClientMessage(bytes(accented), DEFAULT_MAX_FRAME_BYTES, raw)).isAscii).toBe(false);
    // A string's bytes were never counted, so its ASCII-ness is not known.
    expect(dataOf(decodeClientMessage(ascii, DEFAULT_MAX_FRAME_BYTES, raw)).isAscii).toBe(false);
  });

  it('reads a plain signal on the fast path and leaves anything unusual to the general one, same result', () => {
    const plain = '{"type":"signal","id":9,"to":"p-1","data":{"sdp":"v=0\\r\\n"},"ack":3}';
    expect(decodeClientMessage(plain, DEFAULT_MAX_FRAME_BYTES, { rawSignalData: true })).toEqual({
      ok: true,
      message: { type: 'signal', id: 9, to: 'p-1', data: new RawJson('{"sdp":"v=0\\r\\n"}'), ack: 3 },
    });
    // Each is valid but unusual: the general path must give the same message as JSON.parse would.
    for (const text of [
      '{"type":"signal","id":1.0,"to":"p","data":1}',
      '{"type":"signal","id":1e0,"to":"p","data":1}',
      '{"t\\u0079pe":"signal","id":1,"to":"p","data":1}',
      '{"type":"signal","id":1,"to":"p","data":1,"id":2}',
      ' \n{ "type" : "signal" , "id" : 1 , "to" : "p" , "data" : [ ] } \t',
    ]) {
      const raw = decodeClientMessage(text, DEFAULT_MAX_FRAME_BYTES, { rawSignalData: true });
      expect(raw.ok && (JSON.parse(JSON.stringify(raw.message)) as unknown)).toEqual(JSON.parse(text));
    }
    // Each is invalid, in its data or its envelope: the same code as the general path gives.
    const refused: [string, string][] = [
      ['{"type":"signal","id":1,"to":"p","data":{"a":01}}', 'INVALID_JSON'],
      ['{"type":"signal","id":1,"to":"p","data":"tab\t"}', 'INVALID_JSON'],
      ['{"type":"signal","id":1,"to":"p","data":"\\x"}', 'INVALID_JSON'],
      ['{"type":"signal","id":1,"to":"p","data":[1,]}', 'INVALID_JSON'],
      ['{"type":"signal","id":1,"to":"p","data":1} x', 'INVALID_JSON'],
      ['{"type":"signal","id":0,"to":"p","data":1}', 'INVALID_FRAME'],
      ['{"type":"signal","id":1,"to":"p q","data":1}', 'INVALID_FRAME'],
      ['{"type":"signal","id":1,"to":"p","data":1,"from":"x"}', 'INVALID_FRAME'],
      ['{"type":"signal","id":1,"to":"p"}', 'INVALID_FRAME'],
      [`{"type":"signal","id":1,"to":"p","data":${'['.repeat(64)}${']'.repeat(64)}}`, 'INVALID_FRAME'],
    ];
    for (const [text, code] of refused) {
      expect(decodeClientMessage(text, DEFAULT_MAX_FRAME_BYTES, { rawSignalData: true })).toMatchObject({
        ok: false,
        code,
      });
    }
    const deepest = `{"type":"signal","id":1,"to":"p","data":${'['.repeat(63)}${']'.repeat(63)}}`;
    expect(decodeClientMessage(deepest, DEFAULT_MAX_FRAME_BYTES, { rawSignalData: true }).ok).toBe(true);
  });

  it('rejects text that is not JSON with INVALID_JSON', () => {
    expect(decodeClientMessage('{"type":')).toMatchObject({ ok: false, code: 'INVALID_JSON' });
    expect(decodeClientMessage('')).toMatchObject({ ok: false, code: 'INVALID_JSON' });
  });

  it('rejects JSON that is not an object with INVALID_FRAME', () => {
    for (const frame of ['[]', '"hello"', '42', 'null']) {
      expect(decodeClientMessage(frame)).toMatchObject({ ok: false, code: 'INVALID_FRAME' });
    }
  });

  it('rejects bytes that are not UTF-8 with INVALID_FRAME', () => {
    expect(decodeClientMessage(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toMatchObject({
      ok: false,
      code: 'INVALID_FRAME',
    });
  });

  it('rejects a missing or non-string type with INVALID_FRAME, an unknown type with UNKNOWN_TYPE', () => {
    expect(decodeClientMessage('{"id":3}')).toMatchObject({ ok: false, code: 'INVALID_FRAME', ref: 3 });
    expect(decodeClientMessage('{"type":7}')).toMatchObject({ ok: false, code: 'INVALID_FRAME' });
    expect(decodeClientMessage('{"type":"teleport","id":4}')).toEqual({
      ok: false,
      code: 'UNKNOWN_TYPE',
      message: 'unknown message type "teleport"',
      ref: 4,
    });
    expect(decodeClientMessage('{"type":"__proto__"}')).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE' });
    expect(decodeClientMessage('{"type":"toString"}')).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE' });
  });

  it('rejects a missing field with INVALID_FRAME naming it, and keeps the request id as ref', () => {
    const result = decodeClientMessage('{"type":"signal","id":5,"data":1}');
    expect(result).toMatchObject({ ok: false, code: 'INVALID_FRAME', ref: 5 });
    expect(!result.ok && result.message).toContain('to');
  });

  it('rejects an extra field with INVALID_FRAME (a client cannot send `from`)', () => {
    const result = decodeClientMessage('{"type":"signal","id":5,"to":"p","data":1,"from":"victim"}');
    expect(result).toMatchObject({ ok: false, code: 'INVALID_FRAME', ref: 5 });
    expect(
      decodeClientMessage('{"type":"join","id":1,"room":"r","metadata":{"nickname":"a","admin":true}}'),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_FRAME',
    });
  });

  it('rejects a field of the wrong type or out of range with INVALID_FRAME', () => {
    for (const frame of [
      '{"type":"join","id":"1","room":"r","metadata":{"nickname":"a"}}',
      '{"type":"join","id":0,"room":"r","metadata":{"nickname":"a"}}',
      '{"type":"join","id":1.5,"room":"r","metadata":{"nickname":"a"}}',
      '{"type":"join","id":1,"room":"no spaces","metadata":{"nickname":"a"}}',
      '{"type":"join","id":1,"room":"r","metadata":{"nickname":"a","status":"asleep"}}',
      '{"type":"ack","seq":-1}',
      '{"type":"hello","v":"1"}',
      '{"type":"signal","id":1,"to":"bad/peer","data":1}',
    ]) {
      expect(decodeClientMessage(frame)).toMatchObject({ ok: false, code: 'INVALID_FRAME' });
    }
  });

  it('never gives a ref that is not a positive safe integer', () => {
    for (const id of ['"x"', '0', '-1', '1.5', '9007199254740993']) {
      const result = decodeClientMessage(`{"type":"teleport","id":${id}}`);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.ref).toBeUndefined();
    }
  });

  it('rejects an oversize frame with FRAME_TOO_LARGE before parsing it', () => {
    const big = JSON.stringify({ type: 'signal', id: 1, to: 'p', data: 'x'.repeat(DEFAULT_MAX_FRAME_BYTES) });
    expect(decodeClientMessage(big)).toMatchObject({ ok: false, code: 'FRAME_TOO_LARGE' });
    expect(decodeClientMessage(new TextEncoder().encode(big))).toMatchObject({
      ok: false,
      code: 'FRAME_TOO_LARGE',
    });
    // Not JSON at all, but too big: the size check comes first.
    expect(decodeClientMessage('{'.repeat(2000), 1024)).toMatchObject({ ok: false, code: 'FRAME_TOO_LARGE' });
  });

  it('measures the cap in UTF-8 bytes, not UTF-16 units', () => {
    const emoji = JSON.stringify({ type: 'signal', id: 1, to: 'p', data: '😀'.repeat(300) }); // 4 bytes each
    expect(emoji.length).toBeLessThan(1024);
    expect(decodeClientMessage(emoji, 1024)).toMatchObject({ ok: false, code: 'FRAME_TOO_LARGE' });
    expect(decodeClientMessage(emoji, 2048).ok).toBe(true);
  });
});
