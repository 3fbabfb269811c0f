import { CLOSE_CODES } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { errorFromClose, isFatalError } from './close-reason.js';

describe('errorFromClose', () => {
  it('trusts an error code in the close reason', () => {
    expect(errorFromClose(CLOSE_CODES.UNAUTHORIZED, 'TOKEN_INVALID').code).toBe('TOKEN_INVALID');
  });

  it('falls back to the close code when a proxy stripped the reason', () => {
    expect(errorFromClose(CLOSE_CODES.SLOW_CONSUMER, '').code).toBe('SLOW_CONSUMER');
    expect(errorFromClose(CLOSE_CODES.GOING_AWAY, '').code).toBe('SERVER_DRAINING');
  });

  it('reads ORIGIN_FORBIDDEN from a 4003 close, and still stops on a 4003 whose reason was stripped', () => {
    const origin = errorFromClose(CLOSE_CODES.FORBIDDEN, 'ORIGIN_FORBIDDEN');
    expect(origin.code).toBe('ORIGIN_FORBIDDEN');
    expect(isFatalError(origin, true)).toBe(true);
    expect(isFatalError(errorFromClose(CLOSE_CODES.FORBIDDEN, ''), true)).toBe(true);
  });

  it('calls a close without code or reason a lost connection', () => {
    expect(errorFromClose(1006, '').code).toBe('CONNECTION_LOST');
    expect(errorFromClose(4999, 'something new').code).toBe('CONNECTION_LOST');
  });
});

describe('isFatalError', () => {
  it('stops on refusals that a retry would repeat', () => {
    expect(isFatalError(errorFromClose(4001, 'UNAUTHORIZED'), false)).toBe(true);
    expect(isFatalError(errorFromClose(4001, 'TOKEN_INVALID'), true)).toBe(true);
    expect(isFatalError(errorFromClose(CLOSE_CODES.SESSION_REPLACED, ''), false)).toBe(true);
  });

  it('retries an expired token only when a provider can mint a new one', () => {
    const expired = errorFromClose(4001, 'TOKEN_EXPIRED');
    expect(isFatalError(expired, false)).toBe(true);
    expect(isFatalError(expired, true)).toBe(false);
  });

  it('retries transient failures', () => {
    for (const reason of ['RATE_LIMITED', 'SLOW_CONSUMER', 'HANDSHAKE_TIMEOUT', 'SERVER_DRAINING', '']) {
      expect(isFatalError(errorFromClose(4000, reason), false)).toBe(false);
    }
  });
});
