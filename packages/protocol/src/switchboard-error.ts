import type { ErrorCode } from './error-codes.js';

/**
 * The one error type of Switchboard. `code` is stable and is the same string that travels in `error`
 * frames, so a server-side refusal and an SDK-side failure are handled alike.
 *
 * @example
 * try { await client.join('lobby', { nickname: 'ada' }); }
 * catch (err) { if (err instanceof SwitchboardError && err.code === 'NICKNAME_TAKEN') askAgain(); }
 */
export class SwitchboardError extends Error {
  /** The stable code (see docs/errors.md). */
  readonly code: ErrorCode;
  /** The client request id this error answers, when it came from the server. */
  readonly ref: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; ref?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SwitchboardError';
    this.code = code;
    this.ref = options?.ref;
  }
}
