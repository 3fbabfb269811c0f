/**
 * Ids and secrets of a session. All come from the CSPRNG: PeerServer's ids came from Math.random, which
 * let anyone guess them (shared/reference/peers.md §3.1). Only a hash of the resume secret is stored, and
 * it is compared in constant time so the comparison leaks nothing through timing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new session id (128 random bits, base64url). */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** A new peer id (96 random bits, base64url: 16 characters of `[A-Za-z0-9_-]`). */
export function newPeerId(): string {
  return randomBytes(12).toString('base64url');
}

/** A new resume secret (256 random bits, base64url). */
export function newResumeSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a resume secret, hex: the only form in which it is stored. */
export function hashResumeSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether `secret` hashes to `expectedHash`, compared in constant time. */
export function resumeSecretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashResumeSecret(secret), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
