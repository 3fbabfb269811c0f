/**
 * A session as this node holds it while its socket (if any) is here: the pushing side of the outbox and the
 * serial executor of everything that changes the session.
 *
 * Invariants:
 * - Sequenced frames reach the socket strictly in seq order, each at most once per socket: a frame is sent
 *   only when its seq is `lastSentSeq + 1`. A gap (a wake-up that skipped frames, or frames appended while no
 *   socket was here) is filled by reading the durable outbox, so wake-ups may be duplicated or lost safely.
 * - Tasks (client requests, resume, detach, bye) run one at a time in arrival order, so request ids are
 *   processed in order and lifecycle changes never interleave with a half-done request.
 * - A request ack (standalone `ack{id}`, or the `ack` field piggybacked on any frame going out) is sent only
 *   after `lastClientId` is persisted and every response frame of the acknowledged requests has been pushed
 *   (or rides in the same frame), so a client never sees an ack overtake the error that answered a request.
 * - With traffic toward the client, acks cost no frame: they ride on it. A standalone ack goes out only when
 *   nothing did within `ackDelayMs` (one node-wide timer, `AckWheel`).
 */
import type { ClientRequest, SequencedServerMessage } from '@switchboard/protocol';
import type { AuthRequest, Principal } from '../auth/authenticator.js';
import type { DeliverySink, InlineSessionOps } from '../bus/cluster-bus.js';
import type { PeerSocket } from '../transport/peer-socket.js';
import { NO_ROOMS } from '../rooms/no-rooms.js';
import { fillFromOutbox, type FillState } from './fill-from-outbox.js';
import { encodeFrame, isKnownAscii, withAck } from './frame-encoder.js';
import { SerialTaskQueue, type Task } from './serial-task-queue.js';
import type { LocalSessionInit, SessionHost } from './session-host.js';

export type { LocalSessionInit, SessionHost } from './session-host.js';

/** Until a socket is welcomed: shared, so a session costs no object for it (idle sessions are many). */
const NO_CLIENT: AuthRequest = Object.freeze({ token: undefined, remoteAddress: '', origin: undefined });

export class LocalSession implements DeliverySink {
  readonly sessionId: string;
  readonly peerId: string;
  readonly resumeSecretHash: string;
  principal: Principal;
  /** Rooms this session is in, in join order (a copy of the bus record's, kept in step by the presence code). */
  rooms: readonly string[];
  /** Highest client request id processed. */
  lastClientId: number;
  /** Highest seq sent on the current socket (or the client's `lastSeq` at resume). */
  lastSentSeq = 0;
  /** Highest seq the client acknowledged. */
  ackedSeq = 0;
  /** Highest seq of a frame that answers a request (it must be pushed before the matching ack). */
  responseSeq = 0;
  /** The socket, once welcomed; `undefined` while detached or before the welcome is out. */
  socket: PeerSocket | undefined;
  /** Facts about the current client connection, for token refreshes. */
  client: AuthRequest = NO_CLIENT;
  /** Whether an outbox fill runs, and whether it must read again (fill-from-outbox.ts owns it). */
  fillState: FillState = 'idle';

  readonly #host: SessionHost;
  readonly #tasks: SerialTaskQueue<LocalSession, ClientRequest>;
  /** This session's own operations on an in-process bus, once this node holds it (local-session-map.ts). */
  #inline: InlineSessionOps | undefined;
  #persistedClientId: number;
  #ackSentId = 0;
  /** A resent request was dropped as a duplicate: its ack must go out again even if the id was acked. */
  #isReackDue = false;
  #isAckScheduled = false;
  /** An ack went out (on a frame or alone) since the standalone ack was scheduled (see `flushAck`). */
  #hasAckGoneSinceScheduled = false;
  #isPromptAckScheduled = false;

  constructor(host: SessionHost, init: LocalSessionInit) {
    this.#host = host;
    this.#tasks = new SerialTaskQueue(host, this);
    this.sessionId = init.sessionId;
    this.peerId = init.peerId;
    this.resumeSecretHash = init.resumeSecretHash;
    this.principal = init.principal;
    // Never mutated, only replaced (presence.ts), so most sessions, in no room, share one empty array.
    this.rooms = init.rooms.length === 0 ? NO_ROOMS : [...init.rooms];
    this.lastClientId = init.lastClientId;
    this.#persistedClientId = init.lastClientId;
    this.#ackSentId = init.lastClientId;
  }

  /** The bus's operations bound to this session (`InlineClusterOps.hold`), or `undefined` to go by id. */
  bindInline(ops: InlineSessionOps | undefined): void {
    this.#inline = ops;
  }

  /** Whether no socket is here (detached, or before the welcome). */
  get isDetached(): boolean {
    return this.socket === undefined;
  }

  /** The authenticated identity (for the signal policy). */
  get identity(): string | undefined {
    return this.principal.identity;
  }

  /** Nothing running or pending, every request acknowledged and every sent frame acknowledged by the client. */
  get isSettled(): boolean {
    if (!this.#tasks.isIdle || this.#isAckScheduled || this.#isPromptAckScheduled) return false;
    return (
      this.socket === undefined || (this.lastSentSeq <= this.ackedSeq && this.#ackSentId >= this.lastClientId)
    );
  }

  // ---- tasks ----------------------------------------------------------------------------------------

  /** Run `task` after every task queued before it. Errors are reported to the host, never thrown. */
  enqueue(task: Task): void {
    this.#tasks.push(task);
  }

  /** Queue client request `request`, to run after everything queued before it. */
  enqueueRequest(request: ClientRequest): void {
    // Nothing ahead of it: run it now when it can complete synchronously (no promise chain per signal).
    if (this.#tasks.isIdle && this.#host.executeNow(this, request)) return;
    this.#tasks.push(request);
  }

  /** Resolves when no task is queued or running. */
  whenIdle(): Promise<void> {
    return this.#tasks.whenIdle();
  }

  // ---- client requests and acks ------------------------------------------------------------------------

  /**
   * Record that request `id` was processed and schedule the cumulative ack; `isPrompt`: the app is likely
   * awaiting it (an `update` or `token`), so a standalone ack goes after `PROMPT_ACK_DELAY_MS` already.
   */
  markProcessed(id: number, isPrompt = false): void {
    if (id > this.lastClientId) this.lastClientId = id;
    this.scheduleAck(isPrompt);
  }

  /** A request id <= `lastClientId` arrived again: acknowledge it again (the first ack may have been lost). */
  reack(): void {
    this.#isReackDue = true;
    this.scheduleAck();
  }

  /** Make sure an `ack` for `lastClientId` goes out within `ackDelayMs`, on a frame or on its own. */
  scheduleAck(isPrompt = false): void {
    if (this.socket === undefined) return;
    if (!this.#isAckScheduled) {
      this.#isAckScheduled = true;
      this.#hasAckGoneSinceScheduled = false;
      this.#host.acks.add(this);
    }
    if (isPrompt && !this.#isPromptAckScheduled) {
      this.#isPromptAckScheduled = true;
      this.#host.promptAcks.add(this);
    }
  }

  /**
   * Called by the ack wheel: send the standalone ack, unless a frame carried it meanwhile or acks are
   * riding on frames anyway. `isForced`: send what is owed now (a drain).
   */
  flushAck(isForced = false): void {
    this.#isAckScheduled = false;
    // Acks went out since this was scheduled, so frames flow toward the client and the ack owed now rides
    // on the next of them: wait another delay instead of a frame that the next one makes redundant. In the
    // open loop about half the sessions owe an ack at any moment (they sent after they last received), so
    // without this each tick of the wheel wrote a burst of standalone acks: 0.6–0.8 % of all frames. Once
    // traffic stops, the ack goes at the next flush (at most two delays after the request). A drain forces.
    if (!isForced && this.#hasAckGoneSinceScheduled && this.#isAckOwed()) {
      this.scheduleAck();
      return;
    }
    this.#flushOwedAck();
  }

  /** Called by the prompt ack wheel: the same, sooner. */
  flushPromptAck(): void {
    this.#isPromptAckScheduled = false;
    this.#flushOwedAck();
  }

  #flushOwedAck(): void {
    if (!this.#isAckOwed()) return;
    if (this.#host.bus.inline !== undefined && this.lastSentSeq >= this.responseSeq)
      this.#sendStandaloneAck();
    else this.enqueue(() => this.#flushAckAsync());
  }

  /** Persist `lastClientId` if it moved (before a detach or an ack). */
  async persistClientId(): Promise<void> {
    if (this.lastClientId <= this.#persistedClientId) return;
    const id = this.lastClientId;
    if (!this.#persistNow(id)) await this.#host.bus.updateSession(this.sessionId, { lastClientId: id });
    this.#persistedClientId = Math.max(this.#persistedClientId, id);
  }

  /** Persist `lastClientId` = `id` synchronously, when the bus is in this process; false when it is not. */
  #persistNow(id: number): boolean {
    const inline = this.#host.bus.inline;
    if (this.#inline !== undefined) this.#inline.persistClientId(id);
    else if (inline !== undefined) inline.persistClientId(this.sessionId, id);
    else return false;
    return true;
  }

  async #flushAckAsync(): Promise<void> {
    await this.persistClientId();
    if (this.lastSentSeq < this.responseSeq) await this.fill();
    if (this.#isAckOwed() && this.lastSentSeq >= this.responseSeq) this.#sendStandaloneAck();
  }

  #sendStandaloneAck(): void {
    const ack = this.#takeAck(this.lastSentSeq);
    if (ack !== undefined && this.socket !== undefined) this.#send(this.socket, `{"type":"ack","id":${ack}}`);
  }

  #isAckOwed(): boolean {
    return this.socket !== undefined && (this.lastClientId > this.#ackSentId || this.#isReackDue);
  }

  /**
   * The request ack a frame may carry once every frame up to `sentSeq` is out, or `undefined`. It covers
   * only persisted ids (an in-process bus persists here, synchronously; another bus by `#flushAckAsync`)
   * and only when every answer of the acknowledged requests has seq <= `sentSeq`.
   */
  #takeAck(sentSeq: number): number | undefined {
    if (!this.#isAckOwed() || sentSeq < this.responseSeq) return undefined;
    if (this.lastClientId > this.#persistedClientId && this.#persistNow(this.lastClientId))
      this.#persistedClientId = this.lastClientId;
    const id = this.#persistedClientId;
    if (id <= this.#ackSentId && !this.#isReackDue) return undefined;
    this.#ackSentId = Math.max(this.#ackSentId, id);
    this.#hasAckGoneSinceScheduled = true;
    this.#isReackDue = false;
    return this.#ackSentId;
  }

  /** The client acknowledged every frame up to `seq`: let the bus drop them. */
  acknowledge(seq: number): void {
    const upTo = Math.min(seq, this.lastSentSeq);
    if (upTo <= this.ackedSeq) return;
    this.ackedSeq = upTo;
    if (this.#inline !== undefined) {
      this.#inline.ackOutbox(upTo);
      return;
    }
    const inline = this.#host.bus.inline;
    if (inline !== undefined) {
      inline.ackOutbox(this.sessionId, upTo);
      return;
    }
    this.#host.bus
      .ackOutbox(this.sessionId, upTo)
      .catch((error: unknown) => this.#host.onTaskError(this, error));
  }

  /** Stop the pending standalone ack (the socket is gone, or the session is leaving this node). */
  cancelAck(): void {
    this.#isAckScheduled = false;
    this.#isPromptAckScheduled = false;
    this.#host.acks.delete(this);
    this.#host.promptAcks.delete(this);
  }

  /** Forget the ack already sent on a previous socket: the next socket needs its own ack. */
  resetAckSent(): void {
    this.#ackSentId = 0;
  }

  // ---- pushing frames ------------------------------------------------------------------------------------

  /** Push frames woken by the bus, in order; a gap triggers a fill from the outbox. */
  push(frames: readonly SequencedServerMessage[]): void {
    for (const frame of frames) if (!this.#pushOne(frame)) return;
  }

  /** `push` of one frame, as the bus wakes a session this node holds: no array per frame. */
  deliverOne(frame: SequencedServerMessage): void {
    this.#pushOne(frame);
  }

  /** Send `frame` if it is the next one; false when no later frame can follow it now (no socket, or a gap). */
  #pushOne(frame: SequencedServerMessage): boolean {
    const socket = this.socket;
    if (socket === undefined) return false;
    if (frame.seq <= this.lastSentSeq) return true;
    if (frame.seq !== this.lastSentSeq + 1) {
      void this.fill();
      return false;
    }
    this.lastSentSeq = frame.seq;
    this.#send(socket, encodeFrame(frame, this.#takeAck(frame.seq)), isKnownAscii(frame));
    return true;
  }

  /**
   * Send every outbox frame after `lastSentSeq`. Concurrent calls coalesce into one more pass. Never
   * rejects: a bus failure is reported to the host, and the next wake-up or resume fills again.
   */
  fill(): Promise<void> {
    return fillFromOutbox(this, this.#host);
  }

  /** A fill's step: send `frame`, the one after `lastSentSeq`, on `socket`, with the ack it may carry. */
  sendNext(socket: PeerSocket, frame: SequencedServerMessage): void {
    this.lastSentSeq = frame.seq;
    this.#send(socket, encodeFrame(frame, this.#takeAck(frame.seq)), isKnownAscii(frame));
  }

  /**
   * Send an unsequenced frame (welcome, pong, unsequenced error, ice-servers, server-going-away) if a socket
   * is here. `canCarryAck`: its schema has the piggybacked `ack` field (pong, error, ice-servers).
   */
  sendUnsequenced(frame: object, canCarryAck = false): void {
    if (this.socket === undefined) return;
    const json = JSON.stringify(frame);
    this.#send(this.socket, canCarryAck ? withAck(json, this.#takeAck(this.lastSentSeq)) : json);
  }

  #send(socket: PeerSocket, text: string, isAscii = false): void {
    socket.send(text, isAscii);
    if (socket.bufferedBytes > this.#host.maxBufferedBytes) this.#host.onSlowConsumer(this);
  }
}
