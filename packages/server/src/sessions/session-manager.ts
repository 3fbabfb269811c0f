/**
 * Session lifecycle on one node: it owns the node's sessions and connections, answers the cluster bus's
 * callbacks, and hands each step to the module beside it that does it: establishing a session
 * (session-handshake.ts), running client requests (request-executor.ts), the endings (socket closed, bye,
 * token expiry, eviction: session-endings.ts), the drain (drain-sessions.ts), and the end of the grace
 * window (expiry-sweep.ts).
 *
 * Invariants:
 * - `#sessions` holds exactly the sessions whose socket is on this node, plus those whose detach is still
 *   running. Every lifecycle step of a session runs as a task on that session, never concurrently.
 * - `lastClientId` is persisted before a session is detached, so a resume anywhere dedupes resends.
 */
import type { Logger } from 'pino';
import {
  CLOSE_CODES,
  type ClientRequest,
  type ErrorCode,
  type HelloMessage,
  type ResumeMessage,
  type SequencedServerMessage,
} from '@switchboard/protocol';
import type { AuthRequest, Authenticator, Principal } from '../auth/authenticator.js';
import type { ClusterBus, ClusterBusListener } from '../bus/cluster-bus.js';
import type { ResolvedServerOptions } from '../config/server-options.js';
import type { ServerMetrics } from '../http/server-metrics.js';
import type { IceServerProvider } from '../ice-server-provider.js';
import type { Relay } from '../relay/relay.js';
import type { Presence } from '../rooms/presence.js';
import { MessageRateLimitPolicy } from '../transport/message-rate-limits.js';
import type { PeerSocket } from '../transport/peer-socket.js';
import { AckWheel } from './ack-wheel.js';
import { Connection, type ConnectionHost } from './connection.js';
import { drainSessions } from './drain-sessions.js';
import { ExpirySweep } from './expiry-sweep.js';
import { limitOfCode } from './limit-of-code.js';
import type { LocalSession } from './local-session.js';
import { LocalSessionMap } from './local-session-map.js';
import { RequestExecutor } from './request-executor.js';
import { SessionEndings } from './session-endings.js';
import { SessionHandshake, type HandshakeHost } from './session-handshake.js';

/**
 * How long an ack of `update` or `token` may wait for a frame to ride on. Apps await those (a status
 * toggle, a token refresh) and they are rare, so they are not held for the full `ackDelayMs`; signals,
 * the bulk of requests, are (PROTOCOL.md §Requests and acknowledgements).
 */
export const PROMPT_ACK_DELAY_MS = 20;

/** The collaborators of a session manager. */
export interface SessionManagerDeps {
  readonly bus: ClusterBus;
  readonly options: ResolvedServerOptions;
  readonly authenticator: Authenticator;
  readonly presence: Presence;
  readonly relay: Relay;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  readonly iceServers: IceServerProvider;
}

/** The sessions and connections of one node, and their lifecycle (see the invariants above). */
export class SessionManager implements ClusterBusListener, ConnectionHost, HandshakeHost {
  readonly bus: ClusterBus;
  readonly maxBufferedBytes: number;
  readonly acks: AckWheel<LocalSession>;
  readonly promptAcks: AckWheel<LocalSession>;
  readonly maxFrameBytes: number;
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  readonly handshakeTimeoutMs: number;
  readonly messageRateLimits: MessageRateLimitPolicy;
  readonly #deps: SessionManagerDeps;
  readonly #sessions: LocalSessionMap;
  readonly #connections = new Set<Connection>();
  readonly #handshake: SessionHandshake;
  readonly #requests: RequestExecutor;
  readonly #expiry: ExpirySweep;
  readonly #endings: SessionEndings;
  #isDraining = false;

  constructor(deps: SessionManagerDeps) {
    const o = deps.options;
    this.#deps = deps;
    this.bus = deps.bus;
    this.#sessions = new LocalSessionMap(deps.bus.inline);
    this.acks = new AckWheel(o.ackDelayMs, (session, isForced) => session.flushAck(isForced));
    this.promptAcks = new AckWheel(Math.min(o.ackDelayMs, PROMPT_ACK_DELAY_MS), (session) =>
      session.flushPromptAck(),
    );
    this.maxBufferedBytes = o.maxBufferedBytes;
    this.maxFrameBytes = o.maxFrameBytes;
    this.messagesPerSecond = o.messagesPerSecond;
    this.messageBurst = o.messageBurst;
    this.handshakeTimeoutMs = o.handshakeTimeoutMs;
    this.messageRateLimits = new MessageRateLimitPolicy(o.messageRateLimits, (type) =>
      deps.metrics.typeRateLimited.inc({ type }),
    );
    this.#handshake = new SessionHandshake(deps, this, this.#sessions);
    const countError = (code: ErrorCode): void => this.countError(code);
    this.#requests = new RequestExecutor({ ...deps, countError });
    this.#endings = new SessionEndings({ ...deps, graceMs: o.graceMs, countError }, this.#sessions);
    this.#expiry = new ExpirySweep(deps, o.graceMs);
  }

  /** Sessions whose socket is on this node. */
  get sessions(): ReadonlyMap<string, LocalSession> {
    return this.#sessions;
  }

  /** Open connections, established or not. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Whether a drain has begun. */
  get isDraining(): boolean {
    return this.#isDraining;
  }

  /** Start the expiry sweep. */
  start(): void {
    this.#expiry.start();
  }

  /** A socket was accepted by the transport; `urlHello` is the hello its upgrade's URL carried, if any. */
  accept(socket: PeerSocket, auth: AuthRequest, principal: Principal, urlHello?: HelloMessage): Connection {
    const connection = new Connection(this, socket, auth, principal, urlHello);
    this.#connections.add(connection);
    connection.start();
    return connection;
  }

  // ---- ClusterBusListener ---------------------------------------------------------------------------------

  onDeliver(sessionId: string, frames: readonly SequencedServerMessage[]): void {
    // A bus without `inline` operations (Redis) wakes every session here; the in-memory one only those this
    // node does not hold (yet): it pushes into a held `LocalSession` directly (local-session-map.ts).
    this.#sessions.get(sessionId)?.push(frames);
  }

  onSessionTaken(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return;
    this.#sessions.delete(sessionId);
    const socket = session.socket;
    session.socket = undefined;
    session.cancelAck();
    socket?.close(CLOSE_CODES.SESSION_REPLACED, 'SESSION_REPLACED');
  }

  onNodeFailure(nodeId: string, sessionIds: readonly string[]): void {
    this.#deps.logger.warn(
      { nodeId, sessions: sessionIds.length },
      'cluster node failed; its sessions are in their grace window',
    );
    this.#expiry.markFailed(sessionIds);
    void (async () => {
      for (const id of sessionIds) {
        const record = await this.bus.getSession(id);
        if (record !== undefined) await this.#deps.presence.announceState(record.peerId, record.rooms);
      }
    })().catch((error: unknown) =>
      this.#deps.logger.error({ err: error }, 'announcing a node failure failed'),
    );
  }

  onReadyChange(ready: boolean): void {
    this.#deps.logger.info({ ready }, 'cluster bus readiness changed');
  }

  // ---- ConnectionHost, HandshakeHost ------------------------------------------------------------------------

  hello(connection: Connection, message: HelloMessage): Promise<void> {
    return this.#handshake.hello(connection, message).then(() => this.#endings.watchToken(connection));
  }

  helloNow(connection: Connection, message: HelloMessage): boolean {
    if (!this.#handshake.helloNow(connection, message)) return false;
    this.#endings.watchToken(connection);
    return true;
  }

  resume(connection: Connection, message: ResumeMessage): Promise<void> {
    return this.#handshake.resume(connection, message).then(() => this.#endings.watchToken(connection));
  }

  onResumed(sessionId: string): void {
    this.#expiry.forget(sessionId);
  }

  request(session: LocalSession, message: ClientRequest): void {
    session.enqueueRequest(message);
  }

  execute(session: LocalSession, message: ClientRequest): Promise<void> {
    return this.#requests.execute(session, message);
  }

  executeNow(session: LocalSession, message: ClientRequest): boolean {
    return this.#requests.executeNow(session, message);
  }

  refuseRequest(session: LocalSession, ref: number, code: ErrorCode, message: string): void {
    session.enqueue(() => this.#requests.refuse(session, ref, code, message));
  }

  countError(code: ErrorCode): void {
    this.#deps.metrics.errors.inc({ code });
    const limit = limitOfCode(code);
    if (limit !== undefined) this.#deps.metrics.limitHits.inc({ limit });
  }

  // ---- endings (session-endings.ts) ----------------------------------------------------------------------

  bye(session: LocalSession): void {
    this.#endings.bye(session);
  }

  closed(connection: Connection): void {
    this.#connections.delete(connection);
    this.#endings.closed(connection);
  }

  /** Start the grace window of `session`, whose socket is gone (a task of that session). */
  detach(session: LocalSession): Promise<void> {
    return this.#endings.detach(session);
  }

  onSlowConsumer(session: LocalSession): void {
    this.#endings.slowConsumer(session);
  }

  onEstablishError(connection: Connection, error: unknown): void {
    this.#deps.logger.error(
      { err: error, remoteAddress: connection.auth.remoteAddress },
      'establishing a session failed',
    );
  }

  onTaskError(session: LocalSession, error: unknown): void {
    this.#deps.logger.error({ err: error, sessionId: session.sessionId }, 'session task failed');
  }

  /** End a session whose outbox overflowed on a presence frame: it could no longer be resumed faithfully. */
  evict(peerId: string): void {
    this.#endings.evict(peerId);
  }

  // ---- drain ---------------------------------------------------------------------------------------------

  /**
   * Tell every client to go (`server-going-away`), finish in-flight work, wait (bounded) until clients have
   * acknowledged what they were sent, then close every socket with 1001. Sessions stay in the bus.
   */
  async drain(reason: 'drain' | 'shutdown'): Promise<void> {
    this.#isDraining = true;
    this.#expiry.stop();
    const scope = {
      sessions: this.#sessions,
      connections: this.#connections,
      ackWheels: [this.acks, this.promptAcks],
      drainTimeoutMs: this.#deps.options.drainTimeoutMs,
    };
    await drainSessions(scope, reason);
  }

  /** Stop timers (after a drain, or when closing without one). */
  stop(): void {
    this.#expiry.stop();
    this.#handshake.stop();
    this.#endings.stop();
    this.acks.stop();
    this.promptAcks.stop();
  }
}
