/**
 * The WebSocket close code that goes with an authentication refusal, wherever it happens (at the upgrade,
 * at hello or resume, or when a live session's token runs out), so a client reads the same code for the
 * same failure. The close reason is always the error code itself (docs/errors.md).
 */
import { CLOSE_CODES } from '@switchboard/protocol';
import type { SafeAuthResult } from './authenticate-safely.js';

/** A refusal code of `authenticateSafely`. */
export type AuthFailureCode = Extract<SafeAuthResult, { ok: false }>['code'];

/** The close code for a refused authentication. */
export function authCloseCode(code: AuthFailureCode): number {
  switch (code) {
    case 'UNAUTHORIZED':
      return CLOSE_CODES.UNAUTHORIZED;
    case 'TOKEN_EXPIRED':
      return CLOSE_CODES.TOKEN_EXPIRED;
    case 'TOKEN_INVALID':
      return CLOSE_CODES.FORBIDDEN;
    case 'INTERNAL_ERROR':
      // Not the client's fault: 1001 tells it to come back, as after a restart.
      return CLOSE_CODES.GOING_AWAY;
  }
}
