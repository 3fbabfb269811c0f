/**
 * Writes leave once per turn of the event loop, after all of that turn's I/O
 * (docs/adr/0022-writes-at-turn-end.md).
 *
 * A socket that is sent a frame keeps it and asks for one flush; the flushes of every such socket run in one
 * `setImmediate`, which Node runs right after the poll phase, that is after every I/O callback of the turn.
 * So the frames one socket gets in a turn leave in one write, whichever reads, timers or bus deliveries sent
 * them, and the turn's writes leave back to back instead of one between each read and the next.
 *
 * Why back to back matters (BENCHMARKS.md, "Twelfth pass"): a write to a peer whose reader is asleep also
 * pays to wake it, and on a virtual machine that wake-up is an interrupt to another CPU, charged to the
 * writer as system time. Interleaved, a busy server woke its idle readers once per frame; batched, a reader
 * woken by the first write of a turn is still running when the rest arrive.
 *
 * The cost: a frame waits for the rest of its turn's callbacks, which is nothing on an idle server and, under
 * load, the time the turn takes anyway.
 */

/** A socket with frames waiting: it writes them when its turn's flush runs. */
export interface TurnEndFlushable {
  flushTurn(): void;
}

let waiting: TurnEndFlushable[] = [];
let isQueued = false;

/** @internal The turn's flush (what the `setImmediate` runs); exported for its tests. */
export function flushWaiting(): void {
  isQueued = false;
  // Swapped first: a flush that sends again (it should not, but a socket may) lands in the next turn.
  const targets = waiting;
  waiting = [];
  // One socket's failure must not leave the others' frames unwritten: they would wait forever, since a
  // socket asks for a flush only when its first frame of a turn arrives. The first error is rethrown after.
  let isFailed = false;
  let failure: unknown;
  for (const target of targets) {
    try {
      target.flushTurn();
    } catch (error) {
      if (!isFailed) failure = error;
      isFailed = true;
    }
  }
  if (isFailed) throw failure;
}

/**
 * Flush `target` at the end of this turn. The caller asks once per turn (when its first frame of the turn
 * arrives); a target asked twice is flushed twice, which finds nothing left the second time.
 */
export function flushAtTurnEnd(target: TurnEndFlushable): void {
  waiting.push(target);
  if (!isQueued) {
    isQueued = true;
    setImmediate(flushWaiting);
  }
}
