/**
 * Ends sessions whose token runs out. Each watched subject has one timer, set for its principal's
 * `expiresAt`. When it fires, the expiry is read again: a `token` refresh replaces the principal, so a
 * refreshed session is simply rescheduled, and the refresh path needs no hook of its own.
 *
 * Invariants:
 * - A subject is reported at most once per watch, and never before its current `expiresAt`.
 * - Subjects without an expiry (anonymous, or a token without `exp`) cost nothing: no timer, no entry.
 */
import type { Principal } from './authenticator.js';

/** Something that holds credentials which may expire (a session). */
export interface ExpiringSubject {
  readonly principal: Pick<Principal, 'expiresAt'>;
}

/** setTimeout cannot wait longer than this (2^31 - 1 ms, about 24.8 days); longer waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Calls `onExpired(subject)` once the subject's credentials are no longer valid.
 *
 * @example
 * const watch = new TokenExpiryWatch<LocalSession>((session) => endSession(session, 'TOKEN_EXPIRED'));
 * watch.watch(session); // after welcome
 * watch.unwatch(session); // when the socket goes
 */
export class TokenExpiryWatch<T extends ExpiringSubject> {
  readonly #onExpired: (subject: T) => void;
  readonly #now: () => number;
  readonly #timers = new Map<T, NodeJS.Timeout>();

  constructor(onExpired: (subject: T) => void, now: () => number = Date.now) {
    this.#onExpired = onExpired;
    this.#now = now;
  }

  /** Subjects being watched. */
  get size(): number {
    return this.#timers.size;
  }

  /** Watch `subject` (again): any earlier timer for it is replaced. */
  watch(subject: T): void {
    this.unwatch(subject);
    const expiresAt = subject.principal.expiresAt;
    if (expiresAt === undefined) return;
    const delayMs = Math.min(Math.max(0, expiresAt - this.#now()), MAX_TIMER_MS);
    const timer = setTimeout(() => this.#check(subject), delayMs);
    timer.unref();
    this.#timers.set(subject, timer);
  }

  /** Stop watching `subject` (its socket went, or it ended). */
  unwatch(subject: T): void {
    const timer = this.#timers.get(subject);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(subject);
  }

  /** Cancel every timer. */
  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #check(subject: T): void {
    this.#timers.delete(subject);
    const expiresAt = subject.principal.expiresAt;
    if (expiresAt === undefined) return; // refreshed with a token that does not expire
    if (expiresAt > this.#now()) {
      this.watch(subject); // refreshed meanwhile, or a wait longer than one timer allows
      return;
    }
    this.#onExpired(subject);
  }
}
