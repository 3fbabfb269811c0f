import { afterEach, describe, expect, it, vi } from 'vitest';
import { jwtExpiryMs, TokenRefreshTimer } from './token-refresh-timer.js';

/** An unsigned JWT-shaped token: only the payload matters to the timer. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part(claims)}.sig`;
}

describe('jwtExpiryMs', () => {
  it('reads exp from a JWT payload, and nothing from anything else', () => {
    expect(jwtExpiryMs(jwt({ sub: 'a', exp: 1_700_000_000 }))).toBe(1_700_000_000_000);
    expect(jwtExpiryMs(jwt({ sub: 'a' }))).toBeUndefined();
    expect(jwtExpiryMs(jwt({ exp: 'soon' }))).toBeUndefined();
    expect(jwtExpiryMs('opaque-token')).toBeUndefined();
    expect(jwtExpiryMs('a.!!!not base64!!!.c')).toBeUndefined();
  });
});

describe('TokenRefreshTimer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refreshes 60 s before exp for a long token, and a quarter of the time left for a short one', () => {
    vi.useFakeTimers({ now: 0 });
    const refresh = vi.fn();
    const timer = new TokenRefreshTimer({ refresh });
    timer.schedule(jwt({ exp: 3600 }));
    vi.advanceTimersByTime(3_540_000 - 1);
    expect(refresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(refresh).toHaveBeenCalledTimes(1);

    timer.schedule(jwt({ exp: 3540 + 8 })); // 8 s left: refresh after 6 s
    vi.advanceTimersByTime(5_999);
    expect(refresh).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('plans nothing for an expired or unreadable token, and forgets its plan on cancel', () => {
    vi.useFakeTimers({ now: 10_000 });
    const refresh = vi.fn();
    const timer = new TokenRefreshTimer({ refresh });
    timer.schedule(jwt({ exp: 5 }));
    timer.schedule('opaque');
    timer.schedule(undefined);
    timer.schedule(jwt({ exp: 20 }));
    timer.cancel();
    vi.advanceTimersByTime(60_000);
    expect(refresh).not.toHaveBeenCalled();
  });
});
