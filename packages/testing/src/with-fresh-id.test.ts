import { describe, expect, it } from 'vitest';
import { withFreshId } from './with-fresh-id.js';

const text = (data: string) => ({ data, isBinary: false, kind: 'test' });

describe('withFreshId', () => {
  it('rewrites a leading id in the text, keeping the spelling of the rest', () => {
    const frame = text('{"type":"join","id":7,"room":"r","metadata":{"nickname":"a"},"maxPeers":6.0}');
    expect(withFreshId(frame, () => 42).data).toBe(
      '{"type":"join","id":42,"room":"r","metadata":{"nickname":"a"},"maxPeers":6.0}',
    );
  });

  it('rewrites an id elsewhere by serializing again', () => {
    expect(withFreshId(text('{"room":"r","id":3,"type":"leave"}'), () => 9).data).toBe(
      '{"room":"r","id":9,"type":"leave"}',
    );
  });

  it('leaves frames without a usable id alone, and does not spend an id on them', () => {
    let next = 0;
    for (const data of ['{"type":"ack","seq":1}', '{"type":"join","id":0}', '{"type":"join","id":1.5}', '{'])
      expect(withFreshId(text(data), () => ++next).data).toBe(data);
    expect(next).toBe(0);
  });
});
