import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckScheduler } from './ack-scheduler.js';
import { InboundSequencer } from './inbound-sequencer.js';

describe('AckScheduler', () => {
  let inbound: InboundSequencer;
  let sent: string[];
  let canSend: boolean;
  let acks: AckScheduler;

  beforeEach(() => {
    vi.useFakeTimers();
    inbound = new InboundSequencer();
    sent = [];
    canSend = true;
    acks = new AckScheduler({
      inbound,
      delayMs: () => 20,
      canSend: () => canSend,
      send: (text) => sent.push(text),
    });
  });
  afterEach(() => {
    acks.cancel();
    vi.useRealTimers();
  });

  function process(seq: number): void {
    inbound.accept(seq);
    acks.schedule();
  }

  it('coalesces a burst into one cumulative ack after the delay', () => {
    for (let seq = 1; seq <= 30; seq += 1) process(seq);
    vi.advanceTimersByTime(19);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['{"type":"ack","seq":30}']);
  });

  it('sends nothing when a request already carried the ack', () => {
    process(1);
    expect(acks.takePiggyback()).toBe(1);
    vi.advanceTimersByTime(20);
    expect(sent).toEqual([]);
  });

  it('leaves the ack to the resume while the socket is down', () => {
    process(1);
    canSend = false;
    vi.advanceTimersByTime(20);
    expect(sent).toEqual([]);
    expect(inbound.ackedSeq).toBe(0);
  });

  it('acks at once when frames pile up, so the server outbox stays small', () => {
    const eager = new AckScheduler({
      inbound,
      delayMs: () => 1000,
      everyFrames: () => 4,
      canSend: () => canSend,
      send: (text) => sent.push(text),
    });
    for (let seq = 1; seq <= 9; seq += 1) {
      inbound.accept(seq);
      eager.schedule();
    }
    expect(sent).toEqual(['{"type":"ack","seq":4}', '{"type":"ack","seq":8}']);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['{"type":"ack","seq":4}', '{"type":"ack","seq":8}', '{"type":"ack","seq":9}']);
    eager.cancel();
  });

  it('flushes on demand (the server is going away and wants its acks)', () => {
    process(1);
    process(2);
    acks.flush();
    expect(sent).toEqual(['{"type":"ack","seq":2}']);
    vi.advanceTimersByTime(20);
    expect(sent).toHaveLength(1);
  });
});
