/**
 * Client requests from the moment the app makes them until the server has answered them.
 *
 * Invariants:
 * - Ids are assigned once, strictly increasing, and entries are kept in id order. Requests made while the
 *   socket is down are tracked like sent ones, so "queue while reconnecting" and "resend after resume" are
 *   the same operation: send every entry with id > the server's `lastClientId`, in order, with the same ids.
 * - An entry settles exactly once and then leaves the tracker.
 * - `signal`, `update` and `token` settle on a cumulative ack or an error with their `ref`. `join` settles on
 *   its roster and `leave` on its `left` frame (both carry `ref`), because the app wants their result, not
 *   only the fact that they were processed.
 * - The timeout of a request runs only while it is on a live socket. A request queued for a socket that is
 *   down is not late: the reconnect policy, not the request timeout, decides how long to keep trying.
 */
import { SwitchboardError, type ClientRequest, type DistributiveOmit } from '@switchboard/protocol';

/** A request as it waits in the tracker: the wire frame without the piggybacked `ack`. */
export type TrackedFrame = DistributiveOmit<ClientRequest, 'ack'>;
/** A request body before it has an id. */
export type RequestBody = DistributiveOmit<ClientRequest, 'ack' | 'id'>;

interface Entry {
  frame: TrackedFrame;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: SwitchboardError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const SETTLED_BY_ACK: ReadonlySet<TrackedFrame['type']> = new Set(['signal', 'update', 'token']);

/** Pending client requests, in id order. */
export class RequestTracker {
  #nextId: number;
  readonly #entries = new Map<number, Entry>();

  /** @param firstId the id of the first request (ids never restart within a client). */
  constructor(firstId = 1) {
    this.#nextId = firstId;
  }

  /** How many requests are pending. */
  get size(): number {
    return this.#entries.size;
  }

  /** The highest id assigned so far (0 before the first request). */
  get lastAssignedId(): number {
    return this.#nextId - 1;
  }

  /** Track a new request; the promise settles when the server answers it (or it fails locally). */
  add<T>(body: RequestBody): { readonly frame: TrackedFrame; readonly promise: Promise<T> } {
    const frame: TrackedFrame = { ...body, id: this.#nextId++ };
    const promise = new Promise<T>((resolve, reject) => {
      this.#entries.set(frame.id, {
        frame,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer: undefined,
      });
    });
    return { frame, promise };
  }

  /** The pending request with this id. */
  get(id: number): TrackedFrame | undefined {
    return this.#entries.get(id)?.frame;
  }

  /** Whether a request with this id is pending. */
  has(id: number): boolean {
    return this.#entries.has(id);
  }

  /** Pending requests with id > `afterId`, in order: what to (re)send after a welcome. */
  after(afterId: number): TrackedFrame[] {
    const frames: TrackedFrame[] = [];
    for (const [id, entry] of this.#entries) if (id > afterId) frames.push(entry.frame);
    return frames;
  }

  /** The request went out on a live socket: start its timeout, which rejects it with `TIMEOUT`. */
  markSent(id: number, timeoutMs: number): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      // One more turn of the event loop first: after a stall (a loaded machine, a long pause) every overdue
      // timer runs before the socket is read, so an answer that came in time may still sit unread.
      entry.timer = setTimeout(() => {
        this.reject(
          id,
          new SwitchboardError(
            'TIMEOUT',
            `${entry.frame.type} request ${id} got no answer in ${timeoutMs} ms`,
          ),
        );
      }, 0);
    }, timeoutMs);
  }

  /** The socket went down: stop every timeout; they restart when the requests are sent again. */
  pauseTimers(): void {
    for (const entry of this.#entries.values()) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
    }
  }

  /** Settle one request successfully. Returns its frame, or `undefined` when it was not pending. */
  resolve(id: number, value?: unknown): TrackedFrame | undefined {
    const entry = this.#take(id);
    entry?.resolve(value);
    return entry?.frame;
  }

  /** Fail one request. Returns its frame, or `undefined` when it was not pending. */
  reject(id: number, error: SwitchboardError): TrackedFrame | undefined {
    const entry = this.#take(id);
    entry?.reject(error);
    return entry?.frame;
  }

  /**
   * The server processed every request with id <= `id`: settle those that an ack settles. Returns the
   * frames it settled, in order, so the caller can apply their effects (e.g. an `update`'s metadata).
   */
  ackUpTo(id: number): TrackedFrame[] {
    const settled: TrackedFrame[] = [];
    for (const [entryId, entry] of this.#entries) {
      if (entryId > id) break;
      if (!SETTLED_BY_ACK.has(entry.frame.type)) continue;
      this.#take(entryId);
      entry.resolve(undefined);
      settled.push(entry.frame);
    }
    return settled;
  }

  /** Fail every pending request for which `predicate` holds. */
  rejectWhere(predicate: (frame: TrackedFrame) => boolean, error: SwitchboardError): void {
    for (const [id, entry] of [...this.#entries]) if (predicate(entry.frame)) this.reject(id, error);
  }

  /** Fail every pending request. */
  rejectAll(error: SwitchboardError): void {
    this.rejectWhere(() => true, error);
  }

  /**
   * Start over in a new session: track `first` (e.g. the rejoins) with fresh ids, then give every request
   * that was already pending a fresh id after them, keeping their order. The new session must see ids that
   * increase in the order frames are sent, so the old ids cannot be reused. Returns the promises of `first`.
   */
  renumber(first: readonly RequestBody[] = []): Promise<unknown>[] {
    const pending = [...this.#entries.values()];
    this.#entries.clear();
    const promises = first.map((body) => this.add<unknown>(body).promise);
    for (const entry of pending) {
      entry.frame = { ...entry.frame, id: this.#nextId++ };
      this.#entries.set(entry.frame.id, entry);
    }
    return promises;
  }

  #take(id: number): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    clearTimeout(entry.timer);
    this.#entries.delete(id);
    return entry;
  }
}
