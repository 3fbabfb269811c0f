/**
 * The heartbeat of a node's sockets: one timer for all of them, with each socket pinged once per interval
 * on a phase of its own, counted from when it opened.
 *
 * A single interval that pings every socket at once (the `ws` README's heartbeat) pings all of a node's
 * sockets in one turn of the event loop, a stall that grows with their number, and gives each socket its
 * first ping at a random age below one interval: half an interval early on average, so a burst of connects
 * paid about half a ping and its pong per connect (each about 19 µs of server CPU; BENCHMARKS.md) that a
 * ping per interval of each socket's life does not need.
 * Here the interval is cut into `SLOTS` ticks; a socket joins the slot that was just pinged, so its first
 * ping comes between `(SLOTS - 1) / SLOTS` and one interval after it opened, and the next one interval
 * later. Each tick pings one slot: an eighth of the sockets.
 *
 * The liveness rule is the same as before: a socket that has not answered the previous ping (or sent any
 * frame) when its next one is due is terminated. Its pings are one interval apart, so a dead client is
 * still noticed within two intervals of its last sign of life.
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
const SLOTS = 8;

export class PingWheel<T extends Pingable> {
  readonly #slots: Set<T>[] = Array.from({ length: SLOTS }, () => new Set<T>());
  /** The slot the last tick pinged; sockets that open now join it. */
  #lastPinged = SLOTS - 1;
  readonly #timer: NodeJS.Timeout;

  /** @param intervalMs how long between two pings of the same socket */
  constructor(intervalMs: number) {
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
    for (const socket of this.#slots[this.#lastPinged] as Set<T>) {
      if (!socket.isAlive) {
        // Its close event takes it off the wheel (`delete`), possibly during this loop: a Set allows that.
        socket.terminate();
        continue;
      }
      socket.isAlive = false;
      socket.ping();
    }
  }
}
