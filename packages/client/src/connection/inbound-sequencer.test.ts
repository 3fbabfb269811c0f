import { describe, expect, it } from 'vitest';
import { InboundSequencer } from './inbound-sequencer.js';

describe('InboundSequencer', () => {
  it('processes frames in order and drops replays of processed ones', () => {
    const sequencer = new InboundSequencer();
    expect([1, 2, 3].map((seq) => sequencer.accept(seq))).toEqual(['process', 'process', 'process']);
    expect(sequencer.accept(2)).toBe('duplicate');
    expect(sequencer.accept(3)).toBe('duplicate');
    expect(sequencer.accept(4)).toBe('process');
    expect(sequencer.lastSeq).toBe(4);
  });

  it('reports a gap without advancing, so a resume can ask for the hole', () => {
    const sequencer = new InboundSequencer();
    sequencer.accept(1);
    expect(sequencer.accept(3)).toBe('gap');
    expect(sequencer.lastSeq).toBe(1);
    expect(sequencer.accept(2)).toBe('process');
  });

  it('acknowledges only what was processed, once', () => {
    const sequencer = new InboundSequencer();
    expect(sequencer.takeAck()).toBeUndefined();
    sequencer.accept(1);
    sequencer.accept(2);
    expect(sequencer.takeAck()).toBe(2);
    expect(sequencer.takeAck()).toBeUndefined();
    sequencer.accept(3);
    expect(sequencer.takeAck()).toBe(3);
  });

  it('counts everything processed as acknowledged after a resume', () => {
    const sequencer = new InboundSequencer();
    sequencer.accept(1);
    sequencer.accept(2);
    sequencer.confirmResumed();
    expect(sequencer.ackedSeq).toBe(2);
    expect(sequencer.takeAck()).toBeUndefined();
  });

  it('starts over for a new session', () => {
    const sequencer = new InboundSequencer();
    sequencer.accept(1);
    sequencer.accept(2);
    sequencer.reset(0);
    expect(sequencer.lastSeq).toBe(0);
    expect(sequencer.accept(1)).toBe('process');
  });
});
