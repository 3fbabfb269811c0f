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

  it('keeps pings frequent enough to notice a dead client within 15 s', () => {
    expect(messageOf(() => resolveServerOptions({ pingIntervalMs: 10_000 }))).toContain('from 100 to 7500');
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
