/**
 * Ids and secrets of a session. All come from the CSPRNG: PeerServer's ids came from Math.random, which
 * let anyone guess them (shared/reference/peers.md §3.1). Only a hash of the resume secret is stored, and
 * it is compared in constant time so the comparison leaks nothing through timing.
 */
import { hash, randomFillSync, timingSafeEqual } from 'node:crypto';

/** Bytes of CSPRNG output fetched per refill: enough for 68 sessions (60 bytes each). */
const POOL_BYTES = 4096;

/**
 * Fresh session ids, peer ids and resume secrets, from the CSPRNG. The random bytes are fetched in 4 KiB
 * batches, as Node's own `randomUUID` does: one `randomBytes` call costs about as much as a whole batch, and
 * three per connection were a measurable share of the cost of a connect (BENCHMARKS.md). Each byte is handed
 * out once.
 */
export class SessionSecrets {
  readonly #pool = Buffer.allocUnsafeSlow(POOL_BYTES);
  #offset = POOL_BYTES;

  /** A new session id (128 random bits, base64url). */
  newSessionId(): string {
    return this.#take(16);
  }

  /** A new peer id (96 random bits, base64url: 16 characters of `[A-Za-z0-9_-]`). */
  newPeerId(): string {
    return this.#take(12);
  }

  /** A new resume secret (256 random bits, base64url). */
  newResumeSecret(): string {
    return this.#take(32);
  }

  #take(bytes: number): string {
    if (this.#offset + bytes > POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    const start = this.#offset;
    this.#offset += bytes;
    const text = this.#pool.toString('base64url', start, start + bytes);
    this.#pool.fill(0, start, start + bytes); // used bytes do not linger in memory
    return text;
  }
}

/** SHA-256 of a resume secret, hex: the only form in which it is stored. */
export function hashResumeSecret(secret: string): string {
  // The one-shot `hash` (Node 20.12+) makes no `Hash` object: 2.5 % of a connect with `createHash`.
  return hash('sha256', secret, 'hex');
}

/** Whether `secret` hashes to `expectedHash`, compared in constant time. */
export function resumeSecretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashResumeSecret(secret), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
