import { describe, expect, it } from 'vitest';
import { flushAtTurnEnd, flushWaiting, type TurnEndFlushable } from './flush-at-turn-end.js';

/** A target that records when it was flushed, in one shared log. */
function target(name: string, log: string[], onFlush?: () => void): TurnEndFlushable {
  return {
    flushTurn() {
      log.push(name);
      onFlush?.();
    },
  };
}

describe('flushAtTurnEnd', () => {
  it('flushes after the turn’s callbacks, ticks and microtasks, once per request, in the order asked', async () => {
    const log: string[] = [];
    await new Promise<void>((resolve) => {
      // Two timers due together run in one timers phase: one turn, two callbacks.
      setTimeout(() => {
        flushAtTurnEnd(target('a', log));
        flushAtTurnEnd(target('b', log));
        process.nextTick(() => log.push('tick'));
        queueMicrotask(() => log.push('microtask'));
        log.push('first callback');
      }, 1);
      setTimeout(() => {
        flushAtTurnEnd(target('c', log));
        log.push('second callback');
        setImmediate(() => {
          log.push('later immediate');
          resolve();
        });
      }, 1);
    });
    expect(log).toEqual([
      'first callback',
      'tick',
      'microtask',
      'second callback',
      'a',
      'b',
      'c',
      'later immediate',
    ]);
  });

  it('puts a request made during a flush into the next turn’s flush', async () => {
    const log: string[] = [];
    await new Promise<void>((resolve) => {
      flushAtTurnEnd(
        target('first', log, () => {
          // Queued before the request: it runs first only if the request waits for the next turn's flush.
          setImmediate(() => log.push('immediate queued during the flush'));
          flushAtTurnEnd(target('next turn', log, resolve));
        }),
      );
    });
    expect(log).toEqual(['first', 'immediate queued during the flush', 'next turn']);
  });

  it('flushes every target even when one throws, then rethrows the first error', () => {
    const log: string[] = [];
    const boom = new Error('boom');
    flushAtTurnEnd(target('before', log));
    flushAtTurnEnd(
      target('thrower', log, () => {
        throw boom;
      }),
    );
    flushAtTurnEnd(
      target('second thrower', log, () => {
        throw new Error('later');
      }),
    );
    flushAtTurnEnd(target('after', log));
    // Run now rather than in the queued immediate (which then finds nothing), to catch what it throws.
    expect(() => flushWaiting()).toThrow(boom);
    expect(log).toEqual(['before', 'thrower', 'second thrower', 'after']);
  });
});
