/**
 * The contract between a `LocalSession` and the node that holds it, and the fields a session is built from.
 * `SessionManager` implements the host; the node's one host serves every session, so a session holds a
 * reference to it instead of closures (idle sessions are many). The host runs queued requests
 * (`QueueRunner.execute`) and hears of tasks that threw (`QueueRunner.onTaskError`): log it, the session
 * carries on.
 */
import type { ClientRequest } from '@switchboard/protocol';
import type { Principal } from '../auth/authenticator.js';
import type { ClusterBus } from '../bus/cluster-bus.js';
import type { AckWheel } from './ack-wheel.js';
import type { LocalSession } from './local-session.js';
import type { QueueRunner } from './serial-task-queue.js';

/** What a session needs from the node that holds it. */
export interface SessionHost extends QueueRunner<LocalSession, ClientRequest> {
  readonly bus: ClusterBus;
  readonly maxBufferedBytes: number;
  /** The node's one timer for standalone acks (`limits.ackDelayMs`). */
  readonly acks: AckWheel<LocalSession>;
  /** The node's timer for acks an app is likely awaiting (`update`, `token`): `PROMPT_ACK_DELAY_MS`. */
  readonly promptAcks: AckWheel<LocalSession>;
  /** The socket's unsent buffer passed `maxBufferedBytes`. */
  onSlowConsumer(session: LocalSession): void;
  /**
   * Run `request` to completion now, without a promise, if it can be (a signal over an in-process bus).
   * Returns false, having done nothing, when it cannot.
   */
  executeNow(session: LocalSession, request: ClientRequest): boolean;
}

/** The fields a session is built from. */
export interface LocalSessionInit {
  readonly sessionId: string;
  readonly peerId: string;
  readonly resumeSecretHash: string;
  readonly principal: Principal;
  readonly rooms: readonly string[];
  readonly lastClientId: number;
}
