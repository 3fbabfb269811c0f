/**
 * The heartbeat of a node's sockets: one timer for all of them, with each socket pinged once per interval
 * on a phase of its own, counted from when it opened, and dropped when it leaves a ping unanswered.
 *
 * A single interval that pings every socket at once (the `ws` README's heartbeat) pings all of a node's
 * sockets in one turn of the event loop, a stall that grows with their number, and gives each socket its
 * first ping at a random age below one interval: half an interval early on average, so a burst of connects
 * paid about half a ping and its pong per connect (each about 19 µs of server CPU; BENCHMARKS.md) that a
 * ping per interval of each socket's life does not need.
 * Here the interval is cut into `SLOTS` ticks; a socket joins the slot that was just pinged, so its first
 * ping comes between `(SLOTS - 1) / SLOTS` and one interval after it opened, and the next one interval
 * later. Each tick pings one slot: a tenth of the sockets.
 *
 * Liveness: a socket must answer a ping (a pong, or any frame) within the pong timeout, rounded down to
 * whole ticks (at least one); the tick that ends that wait terminates it if it has not. Its pings are one
 * interval apart, so a dead client is noticed within one interval plus the pong timeout of its last sign of
 * life (10 + 4 s by default, inside the 15 s promise). The interval and the timeout are separate (as in
 * socket.io and LiveKit) so that an idle socket costs a ping and a pong every 10 s instead of every 5 s
 * (the older rule, "unanswered when the next ping is due", needed two intervals inside the 15 s).
 */

/** What the wheel needs of a socket. */
export interface Pingable {
  /** Whether a pong (or any frame) arrived since the last ping. */
  isAlive: boolean;
  /** The slot the wheel keeps this socket in (set by the wheel). */
  pingSlot: number;
  ping(): void;
  terminate(): void;
}

/** Ticks per interval: each tick pings this fraction of the sockets. */
const SLOTS = 10;

/** Ticks a ping may wait for its answer: `pongTimeoutMs` rounded down to whole ticks, from 1 to SLOTS - 1. */
export function pongTimeoutTicks(intervalMs: number, pongTimeoutMs: number): number {
  const tickMs = intervalMs / SLOTS;
  return Math.min(SLOTS - 1, Math.max(1, Math.floor(pongTimeoutMs / tickMs + 1e-9)));
}

/** The longest a dead client can go unnoticed, in ms: one interval, plus the pong timeout in whole ticks. */
export function deadClientBoundMs(intervalMs: number, pongTimeoutMs: number): number {
  return intervalMs + (pongTimeoutTicks(intervalMs, pongTimeoutMs) * intervalMs) / SLOTS;
}

export class PingWheel<T extends Pingable> {
  readonly #slots: Set<T>[] = Array.from({ length: SLOTS }, () => new Set<T>());
  /** The slot the last tick pinged; sockets that open now join it. */
  #lastPinged = SLOTS - 1;
  /** How many ticks after its ping a socket must have answered. */
  readonly #timeoutTicks: number;
  readonly #timer: NodeJS.Timeout;

  /**
   * @param intervalMs how long between two pings of the same socket
   * @param pongTimeoutMs how long a ping may go unanswered (rounded down to whole ticks of `intervalMs / 10`)
   */
  constructor(intervalMs: number, pongTimeoutMs: number) {
    this.#timeoutTicks = pongTimeoutTicks(intervalMs, pongTimeoutMs);
    this.#timer = setInterval(() => this.#tick(), Math.max(1, Math.round(intervalMs / SLOTS)));
    this.#timer.unref();
  }

  /** Sockets on the wheel. */
  get size(): number {
    let size = 0;
    for (const slot of this.#slots) size += slot.size;
    return size;
  }

  /** Ping `socket` from one interval from now on (within one tick). */
  add(socket: T): void {
    socket.pingSlot = this.#lastPinged;
    (this.#slots[this.#lastPinged] as Set<T>).add(socket);
  }

  /** Forget `socket` (it closed). */
  delete(socket: T): void {
    (this.#slots[socket.pingSlot] as Set<T>).delete(socket);
  }

  /** Every socket on the wheel. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (const slot of this.#slots) yield* slot;
  }

  /** Stop pinging. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #tick(): void {
    this.#lastPinged = (this.#lastPinged + 1) % SLOTS;
    // The slot pinged `#timeoutTicks` ago: its sockets have had their time to answer. A socket that joined
    // that slot after its ping was never pinged, and is still alive from its open.
    const due = (this.#lastPinged - this.#timeoutTicks + SLOTS) % SLOTS;
    for (const socket of this.#slots[due] as Set<T>) {
      // Its close event takes it off the wheel (`delete`), possibly during this loop: a Set allows that.
      if (!socket.isAlive) socket.terminate();
    }
    for (const socket of this.#slots[this.#lastPinged] as Set<T>) {
      socket.isAlive = false;
      socket.ping();
    }
  }
}
