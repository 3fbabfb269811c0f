/**
 * The drain of one node's sessions (PROTOCOL.md §Draining): every client is told to go, with a jittered
 * delay so that they do not all reconnect to the next node at once; acks still waiting for a frame to ride
 * on go out; the drain waits (bounded) until clients have acknowledged what they were sent; then every
 * socket closes with 1001. Sessions stay in the bus, so the clients resume elsewhere.
 */
import { randomInt } from 'node:crypto';
import { CLOSE_CODES } from '@switchboard/protocol';
import type { AckWheel } from './ack-wheel.js';
import type { Connection } from './connection.js';
import type { LocalSession } from './local-session.js';

/** What a drain works on. */
export interface DrainScope {
  readonly sessions: ReadonlyMap<string, LocalSession>;
  readonly connections: ReadonlySet<Connection>;
  /** The node's ack timers: flushed at once, since the drain waits for clients to have every ack. */
  readonly ackWheels: readonly AckWheel<LocalSession>[];
  readonly drainTimeoutMs: number;
}

/** Poll interval while waiting for sessions to settle. */
const SETTLE_POLL_MS = 20;

/** Drain `scope` for `reason`; resolves once every socket is closed and every session task is done. */
export async function drainSessions(scope: DrainScope, reason: 'drain' | 'shutdown'): Promise<void> {
  for (const session of scope.sessions.values()) {
    session.sendUnsequenced({
      type: 'server-going-away',
      reason,
      reconnectInMs: 1000 + randomInt(0, 4000),
    });
  }
  for (const wheel of scope.ackWheels) wheel.flushAll();
  const deadline = Date.now() + scope.drainTimeoutMs;
  while (Date.now() < deadline && !(await isSettled(scope.sessions))) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
  for (const connection of scope.connections)
    connection.socket.close(CLOSE_CODES.GOING_AWAY, 'SERVER_DRAINING');
  await Promise.all([...scope.sessions.values()].map((s) => s.whenIdle()));
}

async function isSettled(sessions: ReadonlyMap<string, LocalSession>): Promise<boolean> {
  const all = [...sessions.values()];
  await Promise.all(all.map((s) => s.whenIdle()));
  return all.every((s) => s.isSettled);
}
