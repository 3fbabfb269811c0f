/**
 * Runs a session's client requests (join, leave, update, signal, token) and answers the ones that fail.
 * It is called from the session's task queue, so requests of one session run one at a time, in id order.
 *
 * Invariants:
 * - A request id is run at most once: an id <= `lastClientId` is a resend, acknowledged again and dropped.
 * - Every request that is run is answered before the ack that covers it: by its response frame, or by an
 *   `error` with its `ref`. That holds when a bus call throws too (the bus lost its store, say): the
 *   client gets the error at once instead of waiting out its own request timeout.
 * - Errors that answer a request are sequenced (part of the replayable stream) whenever the bus can append
 *   them; only when it cannot are they sent unsequenced, on the current socket.
 */
import {
  SwitchboardError,
  type ClientRequest,
  type ErrorCode,
  type UnsequencedServerMessage,
} from '@switchboard/protocol';
import type { Logger } from 'pino';
import { authenticateSafely } from '../auth/authenticate-safely.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { ClusterBus } from '../bus/cluster-bus.js';
import type { Relay } from '../relay/relay.js';
import type { Presence, RequestOutcome } from '../rooms/presence.js';
import type { LocalSession } from './local-session.js';

/** The collaborators of a request executor. */
export interface RequestExecutorDeps {
  readonly bus: ClusterBus;
  readonly presence: Presence;
  readonly relay: Relay;
  readonly authenticator: Authenticator;
  readonly logger: Logger;
  /** Count an error sent to a client (metrics). */
  countError(code: ErrorCode): void;
}

/** Runs client requests for the sessions of one node (see the invariants above). */
export class RequestExecutor {
  readonly #deps: RequestExecutorDeps;

  constructor(deps: RequestExecutorDeps) {
    this.#deps = deps;
  }

  /** Run `message` for `session` (a task of that session), answer it if it fails, and mark it processed. */
  async execute(session: LocalSession, message: ClientRequest): Promise<void> {
    if (message.id <= session.lastClientId) {
      session.reack(); // A resend of a request we already ran: acknowledge it again, run it never.
      return;
    }
    let outcome: RequestOutcome;
    try {
      outcome = await this.#run(session, message);
    } catch (error) {
      outcome = this.#failed(session, message, error);
    }
    if (outcome.ok) {
      if (outcome.responseSeq !== undefined)
        session.responseSeq = Math.max(session.responseSeq, outcome.responseSeq);
    } else {
      await this.#answerError(session, message.id, outcome.code, outcome.message);
    }
    session.markProcessed(message.id, message.type === 'update' || message.type === 'token');
  }

  /**
   * Run a signal to completion synchronously when the bus and policy allow it (`Relay.signalNow`); returns
   * false, having done nothing, otherwise. Same steps and answers as `execute`, minus the promises.
   */
  executeNow(session: LocalSession, message: ClientRequest): boolean {
    if (message.type !== 'signal') return false;
    const inline = this.#deps.bus.inline;
    if (inline === undefined) return false;
    if (message.id <= session.lastClientId) {
      session.reack();
      return true;
    }
    let outcome: RequestOutcome | undefined;
    try {
      outcome = this.#deps.relay.signalNow(session, message.to, message.data);
    } catch (error) {
      outcome = this.#failed(session, message, error);
    }
    if (outcome === undefined) return false;
    if (!outcome.ok) {
      this.#deps.countError(outcome.code);
      const frame: UnsequencedServerMessage = {
        type: 'error',
        code: outcome.code,
        message: outcome.message,
        ref: message.id,
      };
      const result = inline.deliver(session.peerId, frame);
      if (result.ok) session.responseSeq = Math.max(session.responseSeq, result.seq);
      else session.sendUnsequenced(frame, true);
    }
    session.markProcessed(message.id);
    return true;
  }

  /** Answer request `ref`, refused at the edge (invalid or rate-limited), with `code` (a task of `session`). */
  async refuse(session: LocalSession, ref: number, code: ErrorCode, message: string): Promise<void> {
    if (ref <= session.lastClientId) {
      // Already processed under this id: the refusal is news only for this frame, so it is not replayed.
      this.#deps.countError(code);
      session.sendUnsequenced({ type: 'error', code, message, ref }, true);
      return;
    }
    await this.#answerError(session, ref, code, message);
    session.markProcessed(ref);
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
        return presence.join(session, message.id, message.room, message.metadata, message.maxPeers);
      case 'leave':
        return presence.leave(session, message.room, 'left', message.id);
      case 'update':
        return presence.update(session, message.room, message.metadata);
      case 'token':
        return this.#refreshToken(session, message.token);
    }
  }

  /**
   * A request threw (a bus call failed). Its effects may be partial, so it is answered, not retried: the
   * client may send it again under a new id. A coded error keeps its code (CLUSTER_UNAVAILABLE during a
   * Redis outage); anything else is INTERNAL_ERROR.
   */
  #failed(session: LocalSession, message: ClientRequest, error: unknown): RequestOutcome {
    this.#deps.logger.error(
      { err: error, sessionId: session.sessionId, request: message.type, id: message.id },
      'request failed',
    );
    if (error instanceof SwitchboardError) return { ok: false, code: error.code, message: error.message };
    return {
      ok: false,
      code: 'INTERNAL_ERROR',
      message: `the ${message.type} could not be completed; retry`,
    };
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

  /** Answer request `ref` with an error: sequenced when the bus takes it, else at least on this socket. */
  async #answerError(session: LocalSession, ref: number, code: ErrorCode, message: string): Promise<void> {
    this.#deps.countError(code);
    const frame: UnsequencedServerMessage = { type: 'error', code, message, ref };
    let seq: number | undefined;
    try {
      const result = await this.#deps.bus.deliver(session.peerId, frame);
      if (result.ok) seq = result.seq;
    } catch (error) {
      this.#deps.logger.warn({ err: error, sessionId: session.sessionId }, 'error answer not sequenced');
    }
    if (seq === undefined) session.sendUnsequenced(frame, true);
    else session.responseSeq = Math.max(session.responseSeq, seq);
  }
}
