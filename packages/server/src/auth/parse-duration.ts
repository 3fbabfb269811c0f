/**
 * Parses the short durations that operators type on a command line (`30s`, `15m`, `1h`, `2d`, or bare
 * seconds), so `switchboard token --ttl 1h` and `mintToken({ ttl: '1h' })` read the same way.
 */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/;

/**
 * Convert a duration to milliseconds. A bare number counts seconds (the JWT unit).
 *
 * @throws RangeError with one exact sentence when the text is not a positive duration
 * @example parseDurationMs('30m') // 1_800_000
 */
export function parseDurationMs(text: string): number {
  const match = DURATION.exec(text.trim());
  if (match === null) {
    throw new RangeError(
      `"${text}" is not a duration: use a number followed by ms, s, m, h, d or w (for example 30m, 1h, 2d).`,
    );
  }
  const amount = Number(match[1]);
  const unit = (match[2] ?? 's') as keyof typeof UNIT_MS;
  const ms = Math.round(amount * UNIT_MS[unit]);
  if (ms <= 0 || !Number.isSafeInteger(ms)) {
    throw new RangeError(
      `"${text}" is not a duration: it must be greater than zero and at most ${Number.MAX_SAFE_INTEGER} ms.`,
    );
  }
  return ms;
}
