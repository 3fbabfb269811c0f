/**
 * How sessions end on one node. For good: a `bye`, a token that ran out without a refresh, or an eviction
 * (an outbox that overflowed on a presence frame); the peer leaves every room and the session is deleted.
 * Or into the grace window: the socket went away, the session is detached and may be resumed anywhere.
 * A slow consumer's socket is closed, which is the second kind. The drain is drain-sessions.ts.
 *
 * Each ending of a session runs as a task on that session (see session-manager.ts), except an eviction,
 * which may concern a session held by another node.
 */
import type { Logger } from 'pino';
import { CLOSE_CODES, type ErrorCode } from '@switchboard/protocol';
import { TokenExpiryWatch } from '../auth/token-expiry-watch.js';
import type { ClusterBus } from '../bus/cluster-bus.js';
import type { ServerMetrics } from '../http/server-metrics.js';
import type { Presence } from '../rooms/presence.js';
import type { Connection } from './connection.js';
import type { LocalSession } from './local-session.js';

/** The collaborators of the endings. */
export interface SessionEndingsDeps {
  readonly bus: ClusterBus;
  readonly presence: Presence;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** How long a detached session may be resumed, in ms. */
  readonly graceMs: number;
  /** Count an error sent to a client (metrics). */
  readonly countError: (code: ErrorCode) => void;
}

/** Ends the sessions of one node, for good or into their grace window. */
export class SessionEndings {
  readonly #deps: SessionEndingsDeps;
  readonly #sessions: Map<string, LocalSession>;
  /** Ends sessions whose token ran out without a refresh (docs/security.md). */
  readonly #tokenExpiry = new TokenExpiryWatch<LocalSession>((session) => this.#expireToken(session));

  /** @param sessions the node's sessions, by id: an ending removes its session */
  constructor(deps: SessionEndingsDeps, sessions: Map<string, LocalSession>) {
    this.#deps = deps;
    this.#sessions = sessions;
  }

  /** The client said goodbye: its peer leaves every room at once (no grace window). */
  bye(session: LocalSession): void {
    this.#end(session, 'left', CLOSE_CODES.NORMAL, 'bye');
  }

  /** Watch the token of the session just welcomed on `connection`, if it expires. */
  watchToken(connection: Connection): void {
    const session = connection.session;
    if (session !== undefined && session.socket === connection.socket) this.#tokenExpiry.watch(session);
  }

  /** `connection` closed: if it was its session's socket, the session starts its grace window. */
  closed(connection: Connection): void {
    const session = connection.session;
    if (session === undefined || session.socket !== connection.socket) return;
    this.#tokenExpiry.unwatch(session); // a resume presents a token again and is watched anew
    session.socket = undefined;
    session.cancelAck();
    session.enqueue(() => this.detach(session));
  }

  /** Start the grace window of `session`, whose socket is gone (a task of that session). */
  async detach(session: LocalSession): Promise<void> {
    if (session.socket !== undefined) return; // resumed on this node before the detach ran
    await session.persistClientId();
    await this.#deps.bus.detachSession(session.sessionId, Date.now() + this.#deps.graceMs);
    await this.#deps.presence.announceState(session.peerId, session.rooms);
    if (session.isDetached && this.#sessions.get(session.sessionId) === session)
      this.#sessions.delete(session.sessionId);
  }

  /** The socket's unsent buffer passed `maxBufferedBytes`: close it; the session may resume. */
  slowConsumer(session: LocalSession): void {
    const socket = session.socket;
    if (socket === undefined || !socket.isOpen) return;
    this.#deps.countError('SLOW_CONSUMER');
    socket.close(CLOSE_CODES.SLOW_CONSUMER, 'SLOW_CONSUMER');
  }

  /** End a session whose outbox overflowed on a presence frame: it could no longer be resumed faithfully. */
  evict(peerId: string): void {
    const { bus, presence, logger } = this.#deps;
    void (async () => {
      const sessionId = await bus.sessionOfPeer(peerId);
      if (sessionId === undefined) return;
      const local = this.#sessions.get(sessionId);
      const rooms = local?.rooms ?? (await bus.getSession(sessionId))?.rooms ?? [];
      if (local !== undefined) this.slowConsumer(local);
      await presence.removeEverywhere(peerId, rooms, 'timeout');
      await bus.deleteSession(sessionId);
      this.#sessions.delete(sessionId);
    })().catch((error: unknown) => logger.error({ err: error, peerId }, 'evicting a session failed'));
  }

  /** Stop the token timers. */
  stop(): void {
    this.#tokenExpiry.stop();
  }

  /** End `session` for good: leave every room, delete it, then close its socket (a task of the session). */
  #end(session: LocalSession, reason: 'left' | 'kicked', closeCode: number, closeReason: string): void {
    this.#tokenExpiry.unwatch(session);
    session.enqueue(async () => {
      const socket = session.socket;
      session.socket = undefined;
      session.cancelAck();
      await this.#deps.presence.removeEverywhere(session.peerId, session.rooms, reason);
      session.rooms = [];
      await this.#deps.bus.deleteSession(session.sessionId);
      this.#sessions.delete(session.sessionId);
      socket?.close(closeCode, closeReason);
    });
  }

  /** The session's token ran out without a refresh: tell it why, then end it (peers see it `kicked`). */
  #expireToken(session: LocalSession): void {
    if (this.#sessions.get(session.sessionId) !== session || session.socket === undefined) return;
    this.#deps.metrics.tokenExpiries.inc();
    this.#deps.countError('TOKEN_EXPIRED');
    session.sendUnsequenced({
      type: 'error',
      code: 'TOKEN_EXPIRED',
      message: 'the token expired and was not refreshed; connect again with a fresh token',
    });
    this.#end(session, 'kicked', CLOSE_CODES.TOKEN_EXPIRED, 'TOKEN_EXPIRED');
  }
}
