/**
 * What a WebSocket close means for the client. The server closes with one of `CLOSE_CODES` and puts the
 * error code in the close reason (docs/errors.md), so the reason is trusted first and the numeric code is
 * the fallback (a proxy may strip the reason). A close without either is a network failure.
 */
import { CLOSE_CODES, SwitchboardError, isErrorCode, type ErrorCode } from '@switchboard/protocol';

const BY_CLOSE_CODE: ReadonlyMap<number, ErrorCode> = new Map<number, ErrorCode>([
  [CLOSE_CODES.GOING_AWAY, 'SERVER_DRAINING'],
  [CLOSE_CODES.UNAUTHORIZED, 'UNAUTHORIZED'],
  // 4003 stands for TOKEN_INVALID or ORIGIN_FORBIDDEN; without the reason the client cannot tell which, but
  // both are fatal, so either name stops the reconnect loop that a browser would otherwise run forever.
  [CLOSE_CODES.FORBIDDEN, 'TOKEN_INVALID'],
  [CLOSE_CODES.HANDSHAKE_TIMEOUT, 'HANDSHAKE_TIMEOUT'],
  [CLOSE_CODES.SESSION_REPLACED, 'SESSION_REPLACED'],
  [CLOSE_CODES.TOO_LARGE, 'FRAME_TOO_LARGE'],
  [CLOSE_CODES.SLOW_CONSUMER, 'SLOW_CONSUMER'],
  [CLOSE_CODES.TOO_MANY_CONNECTIONS, 'TOO_MANY_CONNECTIONS'],
  [CLOSE_CODES.RATE_LIMITED, 'RATE_LIMITED'],
]);

/** Codes after which retrying cannot help: the same credentials or the same client would fail again. */
const FATAL: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNAUTHORIZED',
  'TOKEN_INVALID',
  'ORIGIN_FORBIDDEN',
  'UNSUPPORTED_VERSION',
  // Someone else resumed this session with its secret; fighting over it would only bounce both clients.
  'SESSION_REPLACED',
]);

/** The error a close stands for. */
export function errorFromClose(code: number, reason: string): SwitchboardError {
  const mapped = isErrorCode(reason) ? reason : (BY_CLOSE_CODE.get(code) ?? 'CONNECTION_LOST');
  const detail = reason === '' ? `${code}` : `${code} ${reason}`;
  return new SwitchboardError(mapped, `the connection closed (${detail})`);
}

/**
 * Whether the client must stop reconnecting after `error`. An expired token is fatal only when the token is
 * a fixed string: a token provider function is asked again on the next attempt and may return a fresh one.
 */
export function isFatalError(error: SwitchboardError, hasTokenProvider: boolean): boolean {
  if (error.code === 'TOKEN_EXPIRED') return !hasTokenProvider;
  return FATAL.has(error.code);
}
