/**
 * Calls an `Authenticator` so that its faults can never escape as an unhandled rejection or a hung
 * request. An authenticator rejects when it cannot decide (the JWKS endpoint is down, a custom backend
 * times out). That is not the client's fault, so the answer is the retryable INTERNAL_ERROR, never
 * TOKEN_INVALID.
 */
import type { ErrorCode } from '@switchboard/protocol';
import type { AuthRequest, AuthResult, Authenticator } from './authenticator.js';

/** An `AuthResult`, or the refusal used when the authenticator itself failed. */
export type SafeAuthResult =
  | AuthResult
  | { readonly ok: false; readonly code: Extract<ErrorCode, 'INTERNAL_ERROR'>; readonly message: string };

/** The answer when the authenticator itself failed (one frozen object: it is never changed). */
const UNAVAILABLE: SafeAuthResult = Object.freeze({
  ok: false,
  code: 'INTERNAL_ERROR',
  message: 'authentication is unavailable right now; retry shortly',
});

/**
 * Authenticate, turning a rejection (or a throw) into an INTERNAL_ERROR refusal.
 *
 * @param onError told about the failure, for the operator's logs (the token is not passed on)
 */
export async function authenticateSafely(
  authenticator: Authenticator,
  request: AuthRequest,
  onError: (error: unknown) => void = () => undefined,
): Promise<SafeAuthResult> {
  try {
    return await authenticator.authenticate(request);
  } catch (error) {
    onError(error);
    return UNAVAILABLE;
  }
}

/**
 * `authenticateSafely` without a promise, when the authenticator can answer now (`authenticateNow`);
 * `undefined` when it cannot, and the caller goes through `authenticateSafely`.
 */
export function authenticateNowSafely(
  authenticator: Authenticator,
  request: AuthRequest,
  onError: (error: unknown) => void = () => undefined,
): SafeAuthResult | undefined {
  if (authenticator.authenticateNow === undefined) return undefined;
  try {
    return authenticator.authenticateNow(request);
  } catch (error) {
    onError(error);
    return UNAVAILABLE;
  }
}
