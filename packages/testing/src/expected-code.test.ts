import { describe, expect, it } from 'vitest';
import { expectedCode } from './expected-code.js';

const LIMITS = { maxFrameBytes: 65_536, maxMetadataBytes: 2_048, maxPeersPerRoom: 50 };
const text = (data: string) => ({ data, isBinary: false, kind: 'test' });
const join = (maxPeers: string, nickname = 'ada') =>
  text(`{"type":"join","id":1,"room":"r","metadata":{"nickname":"${nickname}"},"maxPeers":${maxPeers}}`);

describe('expectedCode', () => {
  it("takes the decoder's code for a frame it refuses", () => {
    expect(expectedCode(text('{'), LIMITS)).toBe('INVALID_JSON');
    expect(expectedCode({ data: new Uint8Array([1]), isBinary: true, kind: 'test' }, LIMITS)).toBe(
      'INVALID_FRAME',
    );
    for (const bad of ['0', '2.5', '100001', '1e400', '"6"', 'null'])
      expect(expectedCode(join(bad), LIMITS)).toBe('INVALID_FRAME');
  });

  it("expects INVALID_MAX_PEERS for a join asking for more than the server's limit", () => {
    expect(expectedCode(join('51'), LIMITS)).toBe('INVALID_MAX_PEERS');
    expect(expectedCode(join('1e2'), LIMITS)).toBe('INVALID_MAX_PEERS');
    expect(expectedCode(join('50'), LIMITS)).toBeUndefined();
    expect(expectedCode(join('6.0'), LIMITS)).toBeUndefined();
  });

  it('checks the nickname and the metadata size before maxPeers, as the server does', () => {
    expect(expectedCode(join('51', '!bad'), LIMITS)).toBe('INVALID_NICKNAME');
    expect(expectedCode(join('51', 'a'.repeat(30)), { ...LIMITS, maxMetadataBytes: 32 })).toBe(
      'INVALID_METADATA',
    );
  });

  it('does not judge other accepted messages', () => {
    expect(expectedCode(text('{"type":"leave","id":1,"room":"r"}'), LIMITS)).toBeUndefined();
  });
});
