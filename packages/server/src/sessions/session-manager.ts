/**
 * Session lifecycle on one node: hello, resume (on this node or taken over from another), the grace window
 * after a socket drops, expiry, bye and drain; and the execution of client requests in id order.
 *
 * Invariants:
 * - `#sessions` holds exactly the sessions whose socket is on this node, plus those whose detach is still
 *   running. Every lifecycle step of a session runs as a task on that session, never concurrently.
 * - A request id is executed at most once: ids <= `lastClientId` are acknowledged and dropped, and
 *   `lastClientId` is persisted before the session is detached, so a resume anywhere dedupes resends.
 * - A resume never silently loses state: it replays every frame after the client's `lastSeq`, or, when the
 *   session is gone, answers with a fresh session and `resumed: false`.
 */
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import {
  CLOSE_CODES,
  PROTOCOL_VERSION,
  type ClientRequest,
  type ErrorCode,
  type HelloMessage,
  type LeftReason,
  type Limits,
  type ResumeMessage,
  type SequencedServerMessage,
  type WelcomeMessage,
} from '@switchboard/protocol';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import type { ClusterBus, ClusterBusListener, SessionRecord } from '../bus/cluster-bus.js';
import type { ResolvedServerOptions } from '../config/server-options.js';
import type { IceServerProvider } from '../ice-server-provider.js';
import { IceRefreshScheduler } from '../ice/ice-refresh-scheduler.js';
import type { Presence, RequestOutcome } from '../rooms/presence.js';
import type { Relay } from '../relay/relay.js';
import type { ServerMetrics } from '../http/server-metrics.js';
import type { PeerSocket } from '../transport/peer-socket.js';
import type { AuthRequest } from '../auth/authenticator.js';
import { authenticateSafely } from '../auth/authenticate-safely.js';
import { Connection, type ConnectionHost } from './connection.js';
import { LocalSession, type SessionHost } from './local-session.js';
import {
  hashResumeSecret,
  newPeerId,
  newResumeSecret,
  newSessionId,
  resumeSecretMatches,
} from './session-secrets.js';
import { limitOfCode } from './limit-of-code.js';

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

export class SessionManager implements ClusterBusListener, ConnectionHost, SessionHost {
  readonly bus: ClusterBus;
  readonly ackDelayMs: number;
  readonly maxBufferedBytes: number;
  readonly maxFrameBytes: number;
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  readonly handshakeTimeoutMs: number;
  readonly #deps: SessionManagerDeps;
  readonly #limits: Limits;
  readonly #sessions = new Map<string, LocalSession>();
  readonly #connections = new Set<Connection>();
  /** Sessions detached by a node failure: when they expire, their reason is `node-failure`. */
  readonly #failedSessions = new Set<string>();
  /** Pushes fresh TURN credentials (`ice-servers`) to connected sessions before theirs expire. */
  readonly #iceRefresh = new IceRefreshScheduler();
  #sweepTimer: NodeJS.Timeout | undefined;
  #isSweeping = false;
  #isDraining = false;

  constructor(deps: SessionManagerDeps) {
    const o = deps.options;
    this.#deps = deps;
    this.bus = deps.bus;
    this.ackDelayMs = o.ackDelayMs;
    this.maxBufferedBytes = o.maxBufferedBytes;
    this.maxFrameBytes = o.maxFrameBytes;
    this.messagesPerSecond = o.messagesPerSecond;
    this.messageBurst = o.messageBurst;
    this.handshakeTimeoutMs = o.handshakeTimeoutMs;
    this.#limits = {
      maxFrameBytes: o.maxFrameBytes,
      messagesPerSecond: o.messagesPerSecond,
      messageBurst: o.messageBurst,
      maxRoomsPerSession: o.maxRoomsPerSession,
      maxOutbox: o.maxOutbox,
      maxPeersPerRoom: o.maxPeersPerRoom,
      graceMs: o.graceMs,
      pingIntervalMs: o.pingIntervalMs,
      ackDelayMs: o.ackDelayMs,
    };
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
    const every = Math.min(1000, Math.max(50, Math.floor(this.#deps.options.graceMs / 4)));
    this.#sweepTimer = setInterval(() => void this.#sweep(), every);
    this.#sweepTimer.unref();
  }

  /** A socket was accepted by the transport. */
  accept(socket: PeerSocket, auth: AuthRequest): Connection {
    const connection = new Connection(this, socket, auth);
    this.#connections.add(connection);
    return connection;
  }

  // ---- ClusterBusListener ---------------------------------------------------------------------------------

  onDeliver(sessionId: string, frames: readonly SequencedServerMessage[]): void {
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
    for (const id of sessionIds) this.#failedSessions.add(id);
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

  // ---- handshake -----------------------------------------------------------------------------------------

  async hello(connection: Connection, message: HelloMessage): Promise<void> {
    const principal = await this.#admit(connection, message.v, message.token);
    if (principal !== undefined) await this.#startFresh(connection, principal);
  }

  async resume(connection: Connection, message: ResumeMessage): Promise<void> {
    const principal = await this.#admit(connection, message.v, message.token);
    if (principal === undefined) return;
    const local = this.#sessions.get(message.sessionId);
    if (local !== undefined) {
      await new Promise<void>((resolve) =>
        local.enqueue(() => this.#resumeAttached(connection, message, principal, local).finally(resolve)),
      );
      return;
    }
    const record = await this.bus.getSession(message.sessionId);
    if (record === undefined) {
      await this.#startFresh(connection, principal);
      return;
    }
    if (!this.#mayResume(connection, record, message, principal)) return;
    const before = await this.bus.attachSession(message.sessionId);
    if (before === undefined) {
      await this.#startFresh(connection, principal);
      return;
    }
    const session = new LocalSession(this, { ...before, principal });
    this.#sessions.set(session.sessionId, session);
    await this.#completeResume(connection, session, message, before.nodeId === undefined);
  }

  async #resumeAttached(
    connection: Connection,
    message: ResumeMessage,
    principal: Principal,
    session: LocalSession,
  ): Promise<void> {
    const record = { resumeSecretHash: session.resumeSecretHash, identity: session.principal.identity };
    if (!this.#mayResume(connection, record, message, principal)) return;
    const previous = session.socket;
    session.socket = undefined;
    previous?.close(CLOSE_CODES.SESSION_REPLACED, 'SESSION_REPLACED');
    const before = await this.bus.attachSession(session.sessionId);
    if (before === undefined) {
      this.#sessions.delete(session.sessionId);
      await this.#startFresh(connection, principal);
      return;
    }
    session.principal = principal;
    this.#sessions.set(session.sessionId, session);
    await this.#completeResume(connection, session, message, before.nodeId === undefined);
  }

  async #completeResume(
    connection: Connection,
    session: LocalSession,
    message: ResumeMessage,
    wasDetached: boolean,
  ): Promise<void> {
    await this.bus.ackOutbox(session.sessionId, message.lastSeq);
    session.ackedSeq = Math.max(session.ackedSeq, message.lastSeq);
    session.lastSentSeq = message.lastSeq;
    session.resetAckSent();
    const pending = await this.bus.readOutbox(session.sessionId, message.lastSeq);
    this.#welcome(connection, session, message.resumeSecret, true, pending.at(-1)?.seq ?? message.lastSeq);
    session.push(pending);
    void session.fill();
    this.#failedSessions.delete(session.sessionId);
    if (wasDetached) await this.#deps.presence.announceState(session.peerId, session.rooms);
  }

  #mayResume(
    connection: Connection,
    record: Pick<SessionRecord, 'resumeSecretHash' | 'identity'>,
    message: ResumeMessage,
    principal: Principal,
  ): boolean {
    if (
      resumeSecretMatches(message.resumeSecret, record.resumeSecretHash) &&
      record.identity === principal.identity
    )
      return true;
    connection.sendError('RESUME_FORBIDDEN', 'this session cannot be resumed with these credentials');
    return false;
  }

  /** Version, drain and authentication checks common to hello and resume. */
  async #admit(connection: Connection, v: number, token: string | undefined): Promise<Principal | undefined> {
    if (v !== PROTOCOL_VERSION) {
      connection.fail(
        'UNSUPPORTED_VERSION',
        `protocol version ${v} is not supported; use ${PROTOCOL_VERSION}`,
        CLOSE_CODES.PROTOCOL_ERROR,
      );
      return undefined;
    }
    if (this.#isDraining) {
      connection.fail(
        'SERVER_DRAINING',
        'the server is draining; connect to another node',
        CLOSE_CODES.GOING_AWAY,
      );
      return undefined;
    }
    const result = await authenticateSafely(
      this.#deps.authenticator,
      { ...connection.auth, token: token ?? connection.auth.token },
      (error) => this.#deps.logger.warn({ err: error }, 'authenticator failed'),
    );
    if (result.ok) return result.principal;
    const closeCode =
      result.code === 'UNAUTHORIZED'
        ? CLOSE_CODES.UNAUTHORIZED
        : result.code === 'INTERNAL_ERROR'
          ? CLOSE_CODES.GOING_AWAY
          : CLOSE_CODES.FORBIDDEN;
    connection.fail(result.code, result.message, closeCode);
    return undefined;
  }

  async #startFresh(connection: Connection, principal: Principal): Promise<void> {
    const secret = newResumeSecret();
    const session = new LocalSession(this, {
      sessionId: newSessionId(),
      peerId: newPeerId(),
      resumeSecretHash: hashResumeSecret(secret),
      principal,
      rooms: [],
      lastClientId: 0,
    });
    await this.bus.createSession({
      sessionId: session.sessionId,
      peerId: session.peerId,
      resumeSecretHash: session.resumeSecretHash,
      identity: principal.identity,
      rooms: [],
      lastClientId: 0,
      nodeId: this.bus.nodeId,
      expiresAt: undefined,
    });
    this.#sessions.set(session.sessionId, session);
    this.#welcome(connection, session, secret, false, 0);
  }

  #welcome(
    connection: Connection,
    session: LocalSession,
    resumeSecret: string,
    resumed: boolean,
    seq: number,
  ): void {
    if (!connection.socket.isOpen) {
      // The socket went away while we were setting up: the session starts its grace window at once.
      session.enqueue(() => this.#detach(session));
      return;
    }
    const ice = this.#deps.iceServers(session.peerId);
    const welcome: WelcomeMessage = {
      type: 'welcome',
      v: PROTOCOL_VERSION,
      peerId: session.peerId,
      sessionId: session.sessionId,
      resumeSecret,
      resumed,
      lastClientId: session.lastClientId,
      seq,
      rooms: [...session.rooms],
      iceServers: ice.iceServers,
      ...(ice.expiresAt === undefined ? {} : { iceServersExpireAt: ice.expiresAt }),
      limits: this.#limits,
    };
    session.socket = connection.socket;
    session.client = connection.auth;
    session.sendUnsequenced(welcome);
    this.#iceRefresh.schedule(session.sessionId, ice.expiresAt, () => this.#refreshIceServers(session));
    connection.established(session);
  }

  // ---- requests ------------------------------------------------------------------------------------------

  request(session: LocalSession, message: ClientRequest): void {
    session.enqueue(() => this.#execute(session, message));
  }

  refuseRequest(session: LocalSession, ref: number, code: ErrorCode, message: string): void {
    session.enqueue(async () => {
      if (ref <= session.lastClientId) {
        session.socket?.send(JSON.stringify({ type: 'error', code, message, ref }));
        this.countError(code);
        return;
      }
      await this.#answerError(session, ref, code, message);
      session.markProcessed(ref);
    });
  }

  async #execute(session: LocalSession, message: ClientRequest): Promise<void> {
    if (message.id <= session.lastClientId) {
      session.reack(); // A resend of a request we already ran: acknowledge it again, run it never.
      return;
    }
    const outcome = await this.#run(session, message);
    if (outcome.ok) {
      if (outcome.responseSeq !== undefined)
        session.responseSeq = Math.max(session.responseSeq, outcome.responseSeq);
    } else {
      await this.#answerError(session, message.id, outcome.code, outcome.message);
    }
    session.markProcessed(message.id);
  }

  #run(session: LocalSession, message: ClientRequest): Promise<RequestOutcome> {
    const { presence, relay } = this.#deps;
    switch (message.type) {
      case 'signal':
        return relay.signal(session, message.to, message.data, {
          sessionId: session.sessionId,
          requestId: message.id,
        });
      case 'join':
        return presence.join(session, message.id, message.room, message.metadata);
      case 'leave':
        return presence.leave(session, message.room, 'left', message.id);
      case 'update':
        return presence.update(session, message.room, message.metadata);
      case 'token':
        return this.#refreshToken(session, message.token);
    }
  }

  async #refreshToken(session: LocalSession, token: string): Promise<RequestOutcome> {
    const result = await authenticateSafely(this.#deps.authenticator, { ...session.client, token }, (error) =>
      this.#deps.logger.warn({ err: error }, 'authenticator failed'),
    );
    if (!result.ok) return result;
    if (result.principal.identity !== session.principal.identity) {
      return {
        ok: false,
        code: 'TOKEN_INVALID',
        message: 'the token is for another identity than this session',
      };
    }
    session.principal = result.principal;
    return { ok: true };
  }

  /** Answer request `ref` with a sequenced error (part of the replayable stream). */
  async #answerError(session: LocalSession, ref: number, code: ErrorCode, message: string): Promise<void> {
    this.countError(code);
    const result = await this.bus.deliver(session.peerId, { type: 'error', code, message, ref });
    if (result.ok) session.responseSeq = Math.max(session.responseSeq, result.seq);
    else session.socket?.send(JSON.stringify({ type: 'error', code, message, ref }));
  }

  countError(code: ErrorCode): void {
    this.#deps.metrics.errors.inc({ code });
    const limit = limitOfCode(code);
    if (limit !== undefined) this.#deps.metrics.limitHits.inc({ limit });
  }

  // ---- endings -------------------------------------------------------------------------------------------

  bye(session: LocalSession): void {
    session.enqueue(async () => {
      const socket = session.socket;
      session.socket = undefined;
      session.cancelAck();
      await this.#deps.presence.removeEverywhere(session.peerId, session.rooms, 'left');
      session.rooms = [];
      await this.bus.deleteSession(session.sessionId);
      this.#sessions.delete(session.sessionId);
      socket?.close(CLOSE_CODES.NORMAL, 'bye');
    });
  }

  closed(connection: Connection): void {
    this.#connections.delete(connection);
    const session = connection.session;
    if (session === undefined || session.socket !== connection.socket) return;
    session.socket = undefined;
    session.cancelAck();
    session.enqueue(() => this.#detach(session));
  }

  async #detach(session: LocalSession): Promise<void> {
    if (session.socket !== undefined) return; // resumed on this node before the detach ran
    await session.persistClientId();
    await this.bus.detachSession(session.sessionId, Date.now() + this.#deps.options.graceMs);
    await this.#deps.presence.announceState(session.peerId, session.rooms);
    if (session.isDetached && this.#sessions.get(session.sessionId) === session)
      this.#sessions.delete(session.sessionId);
  }

  onSlowConsumer(session: LocalSession): void {
    const socket = session.socket;
    if (socket === undefined || !socket.isOpen) return;
    this.countError('SLOW_CONSUMER');
    socket.close(CLOSE_CODES.SLOW_CONSUMER, 'SLOW_CONSUMER');
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
    void (async () => {
      const sessionId = await this.bus.sessionOfPeer(peerId);
      if (sessionId === undefined) return;
      const local = this.#sessions.get(sessionId);
      const rooms = local?.rooms ?? (await this.bus.getSession(sessionId))?.rooms ?? [];
      if (local !== undefined) this.onSlowConsumer(local);
      await this.#deps.presence.removeEverywhere(peerId, rooms, 'timeout');
      await this.bus.deleteSession(sessionId);
      this.#sessions.delete(sessionId);
    })().catch((error: unknown) =>
      this.#deps.logger.error({ err: error, peerId }, 'evicting a session failed'),
    );
  }

  async #sweep(): Promise<void> {
    if (this.#isSweeping) return;
    this.#isSweeping = true;
    try {
      for (const record of await this.bus.expiredSessions(Date.now())) {
        // `failedNodeId` says so even when another node than the one told of the failure claims the expiry.
        const wasFailed = this.#failedSessions.delete(record.sessionId) || record.failedNodeId !== undefined;
        const reason: LeftReason = wasFailed ? 'node-failure' : 'timeout';
        await this.#deps.presence.removeEverywhere(record.peerId, record.rooms, reason);
        await this.bus.deleteSession(record.sessionId);
      }
    } catch (error) {
      this.#deps.logger.error({ err: error }, 'expiry sweep failed');
    } finally {
      this.#isSweeping = false;
    }
  }

  // ---- drain ---------------------------------------------------------------------------------------------

  /**
   * Tell every client to go (`server-going-away`), finish in-flight work, wait (bounded) until clients have
   * acknowledged what they were sent, then close every socket with 1001. Sessions stay in the bus.
   */
  async drain(reason: 'drain' | 'shutdown'): Promise<void> {
    this.#isDraining = true;
    clearInterval(this.#sweepTimer);
    for (const session of this.#sessions.values()) {
      session.sendUnsequenced({
        type: 'server-going-away',
        reason,
        reconnectInMs: 1000 + randomInt(0, 4000),
      });
    }
    const deadline = Date.now() + this.#deps.options.drainTimeoutMs;
    while (Date.now() < deadline && !(await this.#isSettled())) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const connection of this.#connections)
      connection.socket.close(CLOSE_CODES.GOING_AWAY, 'SERVER_DRAINING');
    await Promise.all([...this.#sessions.values()].map((s) => s.whenIdle()));
  }

  async #isSettled(): Promise<boolean> {
    const sessions = [...this.#sessions.values()];
    await Promise.all(sessions.map((s) => s.whenIdle()));
    return sessions.every((s) => s.isSettled);
  }

  /**
   * Send fresh ICE servers to a session still connected here, and return their expiry; `undefined` stops
   * the refreshes (the session ended or is detached: its resume's welcome carries fresh ones).
   */
  #refreshIceServers(session: LocalSession): number | undefined {
    if (this.#sessions.get(session.sessionId) !== session || session.socket === undefined) return undefined;
    const ice = this.#deps.iceServers(session.peerId);
    session.sendUnsequenced({
      type: 'ice-servers',
      iceServers: ice.iceServers,
      ...(ice.expiresAt === undefined ? {} : { expiresAt: ice.expiresAt }),
    });
    return ice.expiresAt;
  }

  /** Stop timers (after a drain, or when closing without one). */
  stop(): void {
    clearInterval(this.#sweepTimer);
    this.#iceRefresh.stop();
    for (const session of this.#sessions.values()) session.cancelAck();
  }
}
