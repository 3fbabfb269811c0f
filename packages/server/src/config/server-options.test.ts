import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '@switchboard/protocol';
import { DEFAULT_SERVER_OPTIONS, resolveServerOptions } from './server-options.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SwitchboardError);
    expect((error as SwitchboardError).code).toBe('INVALID_OPTIONS');
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

describe('resolveServerOptions', () => {
  it('fills in every default and freezes the result', () => {
    const options = resolveServerOptions({ port: 0 });
    expect(options.port).toBe(0);
    expect(options.graceMs).toBe(DEFAULT_SERVER_OPTIONS.graceMs);
    expect(Object.isFrozen(options)).toBe(true);
  });

  it('names the option, the range and the value in one sentence', () => {
    expect(messageOf(() => resolveServerOptions({ port: 70_000 }))).toBe(
      '`port` must be an integer from 0 to 65535, got 70000.',
    );
    expect(messageOf(() => resolveServerOptions({ graceMs: 1.5 }))).toBe(
      '`graceMs` must be an integer from 0 to 86400000, got 1.5.',
    );
    expect(messageOf(() => resolveServerOptions({ maxOutbox: 'many' as unknown as number }))).toBe(
      '`maxOutbox` must be an integer from 1 to 1000000, got "many".',
    );
  });

  it('keeps the heartbeat within the 15 s promise, and the pong timeout within the interval', () => {
    expect(resolveServerOptions({}).pongTimeoutMs).toBe(4_000);
    expect(
      resolveServerOptions({}).pingIntervalMs + resolveServerOptions({}).pongTimeoutMs,
    ).toBeLessThanOrEqual(15_000);
    // An interval set alone brings its own pong timeout (40 %), so a test's short heartbeat stays consistent.
    expect(resolveServerOptions({ pingIntervalMs: 200 }).pongTimeoutMs).toBe(80);
    expect(messageOf(() => resolveServerOptions({ pingIntervalMs: 12_000 }))).toBe(
      '`pingIntervalMs` (12000) plus `pongTimeoutMs` (4800) must be at most 15000: a dead client is noticed within their sum, and the promise is 15 s.',
    );
    expect(messageOf(() => resolveServerOptions({ pingIntervalMs: 16_000 }))).toContain('from 100 to 15000');
    expect(messageOf(() => resolveServerOptions({ pongTimeoutMs: 10_000 }))).toBe(
      '`pongTimeoutMs` must be from a tenth of `pingIntervalMs` (10000) to below it, got 10000.',
    );
    expect(messageOf(() => resolveServerOptions({ pongTimeoutMs: 999 }))).toContain('from a tenth of');
    expect(resolveServerOptions({ pingIntervalMs: 8_000, pongTimeoutMs: 7_000 }).pongTimeoutMs).toBe(7_000);
  });

  it('rejects unknown options, bad policies and log levels', () => {
    expect(messageOf(() => resolveServerOptions({ prot: 1 } as never))).toBe(
      '`prot` is not a server option.',
    );
    expect(messageOf(() => resolveServerOptions({ signalPolicy: 'friends' as never }))).toContain(
      "'same-room', 'any'",
    );
    expect(messageOf(() => resolveServerOptions({ logLevel: 'loud' as never }))).toContain(
      'fatal, error, warn, info',
    );
  });

  it('uses the caller’s names for options in its sentences', () => {
    const message = messageOf(() => resolveServerOptions({ maxFrameBytes: 10 }, (key) => `--${key}`));
    expect(message).toBe('--maxFrameBytes must be an integer from 1024 to 16777216, got 10.');
  });

  it('accepts a function or an object as the signal policy', () => {
    expect(resolveServerOptions({ signalPolicy: () => true }).signalPolicy).toBeTypeOf('function');
    expect(resolveServerOptions({ signalPolicy: { mayRelay: () => false } }).signalPolicy).toBeTypeOf(
      'object',
    );
  });
});
