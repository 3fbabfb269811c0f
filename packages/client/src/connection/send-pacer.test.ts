import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SendPacer } from './send-pacer.js';

describe('SendPacer', () => {
  let sent: string[];
  let pacer: SendPacer;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    pacer = new SendPacer({ send: (text) => sent.push(text) });
  });
  afterEach(() => {
    pacer.clear();
    vi.useRealTimers();
  });

  it('sends at once while the bucket has tokens, keeping a margin below the server burst', () => {
    pacer.configure(50, 20); // margin 2, minus the hello: 17 free tokens
    for (let i = 0; i < 20; i += 1) pacer.send(`f${i}`);
    expect(sent).toHaveLength(17);
    expect(pacer.queued).toBe(3);
  });

  it('releases queued frames at the server rate, in order, instead of letting them be RATE_LIMITED', () => {
    pacer.configure(50, 20);
    for (let i = 0; i < 27; i += 1) pacer.send(`f${i}`);
    expect(sent).toHaveLength(17);
    vi.advanceTimersByTime(100); // 50/s: 5 more
    expect(sent).toHaveLength(22);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(Array.from({ length: 27 }, (_, i) => `f${i}`));
    expect(pacer.queued).toBe(0);
  });

  it('never lets a later frame overtake a queued one', () => {
    pacer.configure(10, 4); // margin 2, minus the hello: 1 token
    pacer.send('a');
    pacer.send('b');
    vi.advanceTimersByTime(100); // a token for b
    pacer.send('c'); // nothing free: waits behind nothing, but the bucket is empty
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['a', 'b', 'c']);
  });

  it('drops what waits when the socket goes down, and starts full on the next welcome', () => {
    pacer.configure(50, 20);
    for (let i = 0; i < 20; i += 1) pacer.send(`f${i}`);
    pacer.clear();
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(17);
    pacer.configure(50, 20);
    pacer.send('after');
    expect(sent.at(-1)).toBe('after');
  });

  it('passes everything through before the first welcome configures it', () => {
    for (let i = 0; i < 500; i += 1) pacer.send(`f${i}`);
    expect(sent).toHaveLength(500);
  });
});
