/** Turning `error` frames into `SwitchboardError`s. */
import { SwitchboardError, isErrorCode } from '@switchboard/protocol';

/**
 * A wire error as a `SwitchboardError` carrying the request `ref`. A code this SDK does not know (from a newer
 * server) becomes `INTERNAL_ERROR` with the original code in the message, so `code` is always a known one.
 */
export function errorFromWire(code: string, message: string, ref: number | undefined): SwitchboardError {
  const options = ref === undefined ? {} : { ref };
  if (isErrorCode(code)) return new SwitchboardError(code, message, options);
  return new SwitchboardError('INTERNAL_ERROR', `${code}: ${message}`, options);
}
