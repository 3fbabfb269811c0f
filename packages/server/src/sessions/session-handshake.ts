/**
 * Establishing a session on a socket: `hello` starts a fresh one; `resume` takes one over, from this node
 * or from another, or starts fresh when the session is gone. Both are answered with a `welcome`.
 *
 * Invariants:
 * - A resume never silently loses state: it replays every frame after the client's `lastSeq`, or, when the
 *   session is gone, answers with a fresh session and `resumed: false`.
 * - A resume of a session held on this node runs as a task of that session, so it never interleaves with a
 *   half-done request or detach of the same session.
 * - The resume secret is compared in constant time, and a resume with another identity is refused.
 */
import {
  CLOSE_CODES,
  PROTOCOL_VERSION,
  type HelloMessage,
  type Limits,
  type ResumeMessage,
  type WelcomeMessage,
} from '@switchboard/protocol';
import { authCloseCode } from '../auth/auth-close-code.js';
import { authenticateSafely } from '../auth/authenticate-safely.js';
import type { Principal } from '../auth/authenticator.js';
import type { SessionRecord } from '../bus/cluster-bus.js';
import { IceRefreshScheduler } from '../ice/ice-refresh-scheduler.js';
import { NO_ROOMS } from '../rooms/no-rooms.js';
import type { Connection } from './connection.js';
import { LocalSession, type SessionHost } from './local-session.js';
import type { SessionManagerDeps } from './session-manager.js';
import { hashResumeSecret, resumeSecretMatches, SessionSecrets } from './session-secrets.js';

/** `#admitNow`: the connection was failed (its error sent); nothing more to do. */
const REFUSED = Symbol('refused');
/** `#admitNow`: the credentials must be verified again, by the authenticator (a promise). */
const AUTHENTICATE = Symbol('authenticate');

/** What the handshake needs from the node's session manager. */
export interface HandshakeHost extends SessionHost {
  /** Whether a drain has begun (new sessions are refused). */
  readonly isDraining: boolean;
  /** Start the grace window of a session whose socket went away. */
  detach(session: LocalSession): Promise<void>;
  /** A session was resumed on this node. */
  onResumed(sessionId: string): void;
}

/** Answers `hello` and `resume` on the sockets of one node. */
export class SessionHandshake {
  readonly #deps: SessionManagerDeps;
  readonly #host: HandshakeHost;
  readonly #sessions: Map<string, LocalSession>;
  /** The welcome's `limits`, the same for every session of this node: serialised once. */
  readonly #limitsJson: string;
  /** Pushes fresh TURN credentials (`ice-servers`) to connected sessions before theirs expire. */
  readonly #iceRefresh = new IceRefreshScheduler();
  readonly #secrets = new SessionSecrets();

  /** @param sessions the node's sessions, by id: the handshake adds (and, on a failed takeover, removes) them */
  constructor(deps: SessionManagerDeps, host: HandshakeHost, sessions: Map<string, LocalSession>) {
    const o = deps.options;
    this.#deps = deps;
    this.#host = host;
    this.#sessions = sessions;
    const limits: Limits = {
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
    this.#limitsJson = JSON.stringify(limits);
  }

  /** Answer `hello`: a fresh session. */
  async hello(connection: Connection, message: HelloMessage): Promise<void> {
    const principal = await this.#admit(connection, message.v, message.token);
    if (principal !== undefined) await this.#startFresh(connection, principal);
  }

  /**
   * Answer `hello` now, without a promise, if nothing in it waits on I/O: the upgrade's credentials still
   * hold and the bus stores sessions in this process. Returns false, having done nothing, when it cannot;
   * then `hello` answers it. On the default node (anonymous, in-memory bus) a connect is this path only,
   * run inside the upgrade event: no promise, no microtask (BENCHMARKS.md, "Connect pass 3").
   */
  helloNow(connection: Connection, message: HelloMessage): boolean {
    const inline = this.#deps.bus.inline;
    if (inline === undefined) return false;
    const principal = this.#admitNow(connection, message.v, message.token);
    if (principal === AUTHENTICATE) return false;
    if (principal === REFUSED) return true;
    const { session, secret, record } = this.#newSession(principal);
    inline.createSession(record);
    this.#welcomeFresh(connection, session, secret);
    return true;
  }

  /** Answer `resume`: take the session over and replay, or start fresh when it is gone. */
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
    const bus = this.#deps.bus;
    const record = await bus.getSession(message.sessionId);
    if (record === undefined) {
      await this.#startFresh(connection, principal);
      return;
    }
    if (!this.#mayResume(connection, record, message, principal)) return;
    const before = await bus.attachSession(message.sessionId);
    if (before === undefined) {
      await this.#startFresh(connection, principal);
      return;
    }
    const session = new LocalSession(this.#host, { ...before, principal });
    this.#sessions.set(session.sessionId, session);
    await this.#completeResume(connection, session, message, before.nodeId === undefined);
  }

  /** Stop the ICE refresh timers. */
  stop(): void {
    this.#iceRefresh.stop();
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
    const before = await this.#deps.bus.attachSession(session.sessionId);
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
    const bus = this.#deps.bus;
    await bus.ackOutbox(session.sessionId, message.lastSeq);
    session.ackedSeq = Math.max(session.ackedSeq, message.lastSeq);
    session.lastSentSeq = message.lastSeq;
    session.resetAckSent();
    const pending = await bus.readOutbox(session.sessionId, message.lastSeq);
    this.#welcome(connection, session, message.resumeSecret, true, pending.at(-1)?.seq ?? message.lastSeq);
    session.push(pending);
    void session.fill();
    this.#host.onResumed(session.sessionId);
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
    const now = this.#admitNow(connection, v, token);
    if (now === REFUSED) return undefined;
    if (now !== AUTHENTICATE) return now;
    const result = await authenticateSafely(
      this.#deps.authenticator,
      { ...connection.auth, token: token ?? connection.auth.token },
      (error) => this.#deps.logger.warn({ err: error }, 'authenticator failed'),
    );
    if (result.ok) return result.principal;
    connection.fail(result.code, result.message, authCloseCode(result.code));
    return undefined;
  }

  /**
   * The checks of `#admit` that need no I/O: the principal when the upgrade's credentials still hold,
   * REFUSED when the connection was failed (version, drain), AUTHENTICATE when the authenticator must run.
   */
  #admitNow(
    connection: Connection,
    v: number,
    token: string | undefined,
  ): Principal | typeof REFUSED | typeof AUTHENTICATE {
    if (v !== PROTOCOL_VERSION) {
      connection.fail(
        'UNSUPPORTED_VERSION',
        `protocol version ${v} is not supported; use ${PROTOCOL_VERSION}`,
        CLOSE_CODES.PROTOCOL_ERROR,
      );
      return REFUSED;
    }
    if (this.#host.isDraining) {
      connection.fail(
        'SERVER_DRAINING',
        'the server is draining; connect to another node',
        CLOSE_CODES.GOING_AWAY,
      );
      return REFUSED;
    }
    // The upgrade already verified these credentials (ADR 0007); only a different token in `hello`, or one
    // that has expired since, needs the authenticator again.
    const admitted = connection.admitted;
    const isSameToken = token === undefined || token === connection.auth.token;
    if (isSameToken && (admitted.expiresAt === undefined || admitted.expiresAt > Date.now())) return admitted;
    return AUTHENTICATE;
  }

  async #startFresh(connection: Connection, principal: Principal): Promise<void> {
    const { session, secret, record } = this.#newSession(principal);
    await this.#deps.bus.createSession(record);
    this.#welcomeFresh(connection, session, secret);
  }

  /** A fresh session's record is on the bus: hold it on this node and welcome the client. */
  #welcomeFresh(connection: Connection, session: LocalSession, secret: string): void {
    this.#sessions.set(session.sessionId, session);
    this.#welcome(connection, session, secret, false, 0);
  }

  /** A fresh session for `principal`: the local session, its resume secret, and its record for the bus. */
  #newSession(principal: Principal): { session: LocalSession; secret: string; record: SessionRecord } {
    const secrets = this.#secrets;
    const secret = secrets.newResumeSecret();
    const record: SessionRecord = {
      sessionId: secrets.newSessionId(),
      peerId: secrets.newPeerId(),
      resumeSecretHash: hashResumeSecret(secret),
      identity: principal.identity,
      rooms: NO_ROOMS,
      lastClientId: 0,
      nodeId: this.#deps.bus.nodeId,
      expiresAt: undefined,
    };
    const session = new LocalSession(this.#host, {
      sessionId: record.sessionId,
      peerId: record.peerId,
      resumeSecretHash: record.resumeSecretHash,
      principal,
      rooms: NO_ROOMS,
      lastClientId: 0,
    });
    return { session, secret, record };
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
      session.enqueue(() => this.#host.detach(session));
      return;
    }
    const ice = this.#deps.iceServers(session.peerId);
    const welcome: Omit<WelcomeMessage, 'limits'> = {
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
    };
    session.socket = connection.socket;
    session.client = connection.auth;
    // The welcome is the session's first frame on this socket, so it goes straight to it (nothing is
    // buffered yet for the slow-consumer check to see), with the constant limits spliced in as text.
    connection.socket.send(`${JSON.stringify(welcome).slice(0, -1)},"limits":${this.#limitsJson}}`);
    this.#iceRefresh.schedule(session.sessionId, ice.expiresAt, () => this.#refreshIceServers(session));
    connection.established(session);
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
}
