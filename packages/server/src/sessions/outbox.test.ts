import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

const signal = (n: number) => ({ type: 'signal' as const, from: 'p', data: n });

describe('Outbox', () => {
  it('stamps a relayed signal with the fields, in the order, of the wire frame', () => {
    const stamped = new Outbox(10).append({ type: 'signal', from: 'p', data: { sdp: 'x' } });
    expect(JSON.stringify(stamped)).toBe('{"type":"signal","seq":1,"from":"p","data":{"sdp":"x"}}');
  });

  it('stamps seqs from 1 upward with no gaps', () => {
    const outbox = new Outbox(10);
    expect([1, 2, 3].map((n) => outbox.append(signal(n))?.seq)).toEqual([1, 2, 3]);
    expect(outbox.lastSeq).toBe(3);
    expect(outbox.depth).toBe(3);
  });

  it('replays every frame after a seq, in order', () => {
    const outbox = new Outbox(10);
    for (const n of [1, 2, 3, 4]) outbox.append(signal(n));
    expect(outbox.after(2).map((f) => f.seq)).toEqual([3, 4]);
    expect(outbox.after(0).map((f) => f.seq)).toEqual([1, 2, 3, 4]);
    expect(outbox.after(4)).toEqual([]);
  });

  it('drops acknowledged frames cumulatively, and ignores stale or future acks safely', () => {
    const outbox = new Outbox(10);
    for (const n of [1, 2, 3, 4]) outbox.append(signal(n));
    outbox.ack(2);
    expect(outbox.after(0).map((f) => f.seq)).toEqual([3, 4]);
    outbox.ack(1);
    expect(outbox.depth).toBe(2);
    outbox.ack(99);
    expect(outbox.depth).toBe(0);
    expect(outbox.append(signal(5))?.seq).toBe(5);
  });

  it('refuses to grow past its cap until frames are acknowledged', () => {
    const outbox = new Outbox(2);
    outbox.append(signal(1));
    outbox.append(signal(2));
    expect(outbox.append(signal(3))).toBeUndefined();
    expect(outbox.lastSeq).toBe(2);
    outbox.ack(1);
    expect(outbox.append(signal(3))?.seq).toBe(3);
  });

  it('stays consistent over many append/ack rounds (compaction)', () => {
    const outbox = new Outbox(1000);
    let acked = 0;
    for (let round = 0; round < 500; round += 1) {
      for (let i = 0; i < 3; i += 1) outbox.append(signal(round));
      acked += 2;
      outbox.ack(acked);
      expect(outbox.after(acked)[0]?.seq).toBe(acked + 1);
    }
    expect(outbox.depth).toBe(outbox.lastSeq - acked);
  });

  it('keeps seq order across the ring wrapping and growing while wrapped', () => {
    const outbox = new Outbox(100);
    for (const n of [1, 2, 3]) outbox.append(signal(n));
    outbox.ack(2); // the oldest waiting frame is now in the middle of the ring
    for (let n = 4; n <= 20; n += 1) outbox.append(signal(n)); // wraps, then grows twice
    expect(outbox.depth).toBe(18);
    expect(outbox.after(0).map((f) => f.seq)).toEqual(Array.from({ length: 18 }, (_, i) => i + 3));
    expect(outbox.after(17).map((f) => f.seq)).toEqual([18, 19, 20]);
    outbox.ack(19);
    expect(outbox.after(0).map((f) => f.seq)).toEqual([20]);
  });

  it('starts small again once a burst is acknowledged, and keeps counting seqs', () => {
    const outbox = new Outbox(1000);
    for (let n = 1; n <= 300; n += 1) outbox.append(signal(n));
    outbox.ack(300);
    expect(outbox.depth).toBe(0);
    expect(outbox.after(0)).toEqual([]);
    expect(outbox.append(signal(301))?.seq).toBe(301);
    expect(outbox.after(300).map((f) => f.seq)).toEqual([301]);
  });
});
