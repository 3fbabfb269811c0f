import { describe, expect, it, vi } from 'vitest';
import { SwitchboardError } from '@switchboard/protocol';
import { sendWithRetry } from './send-with-retry.js';

describe('sendWithRetry', () => {
  it('retries a RATE_LIMITED send with growing delays until it goes through', async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      const send = (): Promise<void> =>
        ++calls < 3 ? Promise.reject(new SwitchboardError('RATE_LIMITED', 'slow down')) : Promise.resolve();
      const done = sendWithRetry(send, { maxAttempts: 5, stepDelayMs: 100 });
      await vi.advanceTimersByTimeAsync(100);
      expect(calls).toBe(2);
      await vi.advanceTimersByTimeAsync(200);
      await done;
      expect(calls).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects other errors at once, and RATE_LIMITED once attempts run out', async () => {
    await expect(
      sendWithRetry(() => Promise.reject(new SwitchboardError('PEER_NOT_FOUND', 'gone'))),
    ).rejects.toMatchObject({
      code: 'PEER_NOT_FOUND',
    });
    let calls = 0;
    const limited = (): Promise<void> => {
      calls++;
      return Promise.reject(new SwitchboardError('RATE_LIMITED', 'slow down'));
    };
    await expect(sendWithRetry(limited, { maxAttempts: 2, stepDelayMs: 1 })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect(calls).toBe(2);
  });
});
