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
 * - `ack{id}` is sent only after `lastClientId` is persisted and every response frame of the acknowledged
 *   requests has been pushed, so a client never sees an ack overtake the error that answered a request.
 */
import type { ClientRequest, SequencedServerMessage } from '@switchboard/protocol';
import type { AuthRequest, Principal } from '../auth/authenticator.js';
import type { ClusterBus } from '../bus/cluster-bus.js';
import type { PeerSocket } from '../transport/peer-socket.js';

/** What a session needs from the node that holds it. */
export interface SessionHost {
  readonly bus: ClusterBus;
  readonly ackDelayMs: number;
  readonly maxBufferedBytes: number;
  /** The socket's unsent buffer passed `maxBufferedBytes`. */
  onSlowConsumer(session: LocalSession): void;
  /** A task threw: log it; the session carries on. */
  onTaskError(session: LocalSession, error: unknown): void;
  /** Run one client request (queued with `enqueueRequest`). */
  execute(session: LocalSession, request: ClientRequest): Promise<void>;
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

type Task = () => Promise<void>;
/** A queued lifecycle step, or a client request kept as the message itself (no closure per request). */
type QueuedWork = Task | ClientRequest;

export class LocalSession {
  readonly sessionId: string;
  readonly peerId: string;
  readonly resumeSecretHash: string;
  principal: Principal;
  /** Rooms this session is in, in join order (a copy of the bus record's, kept in step by the presence code). */
  rooms: string[];
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
  client: AuthRequest = { token: undefined, remoteAddress: '', origin: undefined };

  readonly #host: SessionHost;
  readonly #tasks: QueuedWork[] = [];
  #isRunning = false;
  #idleWaiters: (() => void)[] = [];
  #persistedClientId: number;
  #ackSentId = 0;
  /** A resent request was dropped as a duplicate: its ack must go out again even if the id was acked. */
  #isReackDue = false;
  #ackTimer: NodeJS.Timeout | undefined;
  #isFilling = false;
  #needsFill = false;

  constructor(host: SessionHost, init: LocalSessionInit) {
    this.#host = host;
    this.sessionId = init.sessionId;
    this.peerId = init.peerId;
    this.resumeSecretHash = init.resumeSecretHash;
    this.principal = init.principal;
    this.rooms = [...init.rooms];
    this.lastClientId = init.lastClientId;
    this.#persistedClientId = init.lastClientId;
    this.#ackSentId = init.lastClientId;
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
    if (this.#isRunning || this.#ackTimer !== undefined) return false;
    return (
      this.socket === undefined || (this.lastSentSeq <= this.ackedSeq && this.#ackSentId >= this.lastClientId)
    );
  }

  // ---- tasks ----------------------------------------------------------------------------------------

  /** Run `task` after every task queued before it. Errors are reported to the host, never thrown. */
  enqueue(task: Task): void {
    this.#tasks.push(task);
    if (!this.#isRunning) void this.#run();
  }

  /** Queue client request `request`, to run after everything queued before it. */
  enqueueRequest(request: ClientRequest): void {
    this.#tasks.push(request);
    if (!this.#isRunning) void this.#run();
  }

  /** Resolves when no task is queued or running. */
  whenIdle(): Promise<void> {
    if (!this.#isRunning) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #run(): Promise<void> {
    this.#isRunning = true;
    for (let task = this.#tasks.shift(); task !== undefined; task = this.#tasks.shift()) {
      try {
        if (typeof task === 'function') await task();
        else await this.#host.execute(this, task);
      } catch (error) {
        this.#host.onTaskError(this, error);
      }
    }
    this.#isRunning = false;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  // ---- client requests and acks ------------------------------------------------------------------------

  /** Record that request `id` was processed and schedule the cumulative ack. */
  markProcessed(id: number): void {
    if (id > this.lastClientId) this.lastClientId = id;
    this.scheduleAck();
  }

  /** A request id <= `lastClientId` arrived again: acknowledge it again (the first ack may have been lost). */
  reack(): void {
    this.#isReackDue = true;
    this.scheduleAck();
  }

  /** Schedule an `ack` for `lastClientId`, coalesced over `ackDelayMs`. */
  scheduleAck(): void {
    if (this.#ackTimer !== undefined) return;
    this.#ackTimer = setTimeout(() => {
      this.#ackTimer = undefined;
      this.enqueue(() => this.#flushAck());
    }, this.#host.ackDelayMs);
  }

  /** Persist `lastClientId` if it moved (before a detach or an ack). */
  async persistClientId(): Promise<void> {
    if (this.lastClientId <= this.#persistedClientId) return;
    const id = this.lastClientId;
    await this.#host.bus.updateSession(this.sessionId, { lastClientId: id });
    this.#persistedClientId = Math.max(this.#persistedClientId, id);
  }

  async #flushAck(): Promise<void> {
    await this.persistClientId();
    if (this.lastSentSeq < this.responseSeq) await this.fill();
    const socket = this.socket;
    if (socket === undefined || (this.lastClientId <= this.#ackSentId && !this.#isReackDue)) return;
    this.#ackSentId = this.lastClientId;
    this.#isReackDue = false;
    this.#send(socket, `{"type":"ack","id":${this.lastClientId}}`);
  }

  /** The client acknowledged every frame up to `seq`: let the bus drop them. */
  acknowledge(seq: number): void {
    const upTo = Math.min(seq, this.lastSentSeq);
    if (upTo <= this.ackedSeq) return;
    this.ackedSeq = upTo;
    void this.#host.bus
      .ackOutbox(this.sessionId, upTo)
      .catch((error: unknown) => this.#host.onTaskError(this, error));
  }

  /** Stop the pending ack timer (the session is leaving this node). */
  cancelAck(): void {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
  }

  /** Forget the ack already sent on a previous socket: the next socket needs its own ack. */
  resetAckSent(): void {
    this.#ackSentId = 0;
  }

  // ---- pushing frames ------------------------------------------------------------------------------------

  /** Push frames woken by the bus, in order; a gap triggers a fill from the outbox. */
  push(frames: readonly SequencedServerMessage[]): void {
    const socket = this.socket;
    if (socket === undefined) return;
    for (const frame of frames) {
      if (frame.seq <= this.lastSentSeq) continue;
      if (frame.seq !== this.lastSentSeq + 1) {
        void this.fill();
        return;
      }
      this.lastSentSeq = frame.seq;
      this.#send(socket, JSON.stringify(frame));
    }
  }

  /**
   * Send every outbox frame after `lastSentSeq`. Concurrent calls coalesce into one more pass. Never
   * rejects: a bus failure is reported to the host, and the next wake-up or resume fills again.
   */
  async fill(): Promise<void> {
    if (this.#isFilling) {
      this.#needsFill = true;
      return;
    }
    this.#isFilling = true;
    try {
      do {
        this.#needsFill = false;
        const socket = this.socket;
        if (socket === undefined) return;
        const frames = await this.#host.bus.readOutbox(this.sessionId, this.lastSentSeq);
        for (const frame of frames) {
          if (!this.#isOn(socket)) return; // the socket changed while we read
          if (frame.seq <= this.lastSentSeq) continue;
          this.lastSentSeq = frame.seq;
          this.#send(socket, JSON.stringify(frame));
        }
      } while (this.#isFillRequested()); // frames were woken while we read
    } catch (error) {
      this.#host.onTaskError(this, error);
    } finally {
      this.#isFilling = false;
    }
  }

  /** Send an unsequenced frame (welcome, pong, unsequenced error, server-going-away) if a socket is here. */
  sendUnsequenced(frame: object): void {
    if (this.socket !== undefined) this.#send(this.socket, JSON.stringify(frame));
  }

  #isFillRequested(): boolean {
    return this.#needsFill;
  }

  #isOn(socket: PeerSocket): boolean {
    return this.socket === socket;
  }

  #send(socket: PeerSocket, text: string): void {
    socket.send(text);
    if (socket.bufferedBytes > this.#host.maxBufferedBytes) this.#host.onSlowConsumer(this);
  }
}
