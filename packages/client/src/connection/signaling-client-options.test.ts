import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { resolveSignalingClientOptions } from './signaling-client-options.js';

describe('resolveSignalingClientOptions', () => {
  it('fills in the defaults', () => {
    const options = resolveSignalingClientOptions({ url: 'ws://127.0.0.1:1/ws', WebSocket });
    expect(options).toMatchObject({ requestTimeoutMs: 10_000, silenceTimeoutMs: 15_000, pingAfterMs: 5_000 });
    expect(options).toMatchObject({ maxEarlySignals: 64, maxEarlySignalAgeMs: 10_000 });
    expect(options.ackDelayMs).toBeUndefined();
    expect(Object.isFrozen(options)).toBe(true);
  });

  it('tells a Node user without a global WebSocket to pass the one from ws', () => {
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    delete global.WebSocket;
    try {
      expect(() => resolveSignalingClientOptions({ url: 'ws://127.0.0.1:1' })).toThrow(/from 'ws'/);
    } finally {
      if (saved !== undefined) global.WebSocket = saved;
    }
  });

  it('rejects each mistake with one sentence naming the option', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ url: 'not a url' }, /^url must be an absolute ws: or wss: URL/],
      [{ url: 'http://x' }, /^url must use ws: or wss:, got http:/],
      [{ requestTimeoutMs: 0 }, /^requestTimeoutMs must be a positive number/],
      [{ silenceTimeoutMs: Number.NaN }, /^silenceTimeoutMs must be a positive number/],
      [{ pingAfterMs: 20_000 }, /^pingAfterMs \(20000\) must be less than silenceTimeoutMs \(15000\)/],
      [{ ackDelayMs: -1 }, /^ackDelayMs must be zero or a positive number/],
      [{ token: 42 }, /^token must be a string or a function/],
      [{ maxEarlySignals: 1.5 }, /^maxEarlySignals must be a whole number, 0 or more, got 1.5/],
      [{ maxEarlySignalAgeMs: 0 }, /^maxEarlySignalAgeMs must be a positive number/],
    ];
    for (const [patch, message] of cases) {
      const attempt = () => resolveSignalingClientOptions({ url: 'ws://127.0.0.1:1', WebSocket, ...patch });
      expect(attempt).toThrow(message);
      expect(attempt).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    }
  });

  it('keeps the ping before the silence timeout when only the timeout is shortened', () => {
    const options = resolveSignalingClientOptions({
      url: 'ws://127.0.0.1:1',
      WebSocket,
      silenceTimeoutMs: 3000,
    });
    expect(options.pingAfterMs).toBe(1000);
  });
});
