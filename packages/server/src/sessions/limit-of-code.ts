/**
 * Which limit an error code reports, so every refusal by a limit is counted in
 * `switchboard_limit_hits_total{limit}` from one place (the code that sends the error).
 */
import type { ErrorCode } from '@switchboard/protocol';
import type { LimitName } from '../http/server-metrics.js';

const LIMIT_OF_CODE: Partial<Record<ErrorCode, LimitName>> = {
  FRAME_TOO_LARGE: 'frame_size',
  RATE_LIMITED: 'rate',
  OUTBOX_FULL: 'outbox',
  TOO_MANY_ROOMS: 'rooms_per_session',
  ROOM_FULL: 'peers_per_room',
  TOO_MANY_CONNECTIONS: 'connections_per_ip',
  HANDSHAKE_TIMEOUT: 'handshake_timeout',
  SLOW_CONSUMER: 'slow_consumer',
  INVALID_METADATA: 'metadata_size',
};

/** The limit behind `code`, or `undefined` when the code is not a limit. */
export function limitOfCode(code: ErrorCode): LimitName | undefined {
  return LIMIT_OF_CODE[code];
}
