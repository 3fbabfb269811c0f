/**
 * A raw-protocol peer that does what a correct SDK does about delivery, and counts what it sees, so the
 * server's exactly-once promise can be checked from the wire: it processes sequenced frames only in seq
 * order, acks them, keeps its requests until the server acks them, and on a new socket resumes with its
 * last processed seq and resends what the server had not processed.
 */
import { PROTOCOL_VERSION, type ServerMessage, type WelcomeMessage } from '@switchboard/protocol';
import { RawClient } from '@switchboard/testing';

type Request = { type: string; id: number } & Record<string, unknown>;

export class ResumingPeer {
  client!: RawClient;
  welcome!: WelcomeMessage;
  /** Highest seq processed. */
  lastSeq = 0;
  /** Sequenced frames that arrived again after being processed (must stay 0). */
  duplicates = 0;
  /** Sequenced frames that skipped a seq (must stay 0). */
  gaps = 0;
  /** Data of every relayed signal processed, in order. */
  readonly signals: unknown[] = [];
  /** Every sequenced frame processed, in order. */
  readonly processed: ServerMessage[] = [];
  /** Resumes that came back `resumed: true`. */
  resumes = 0;
  readonly #url: string;
  readonly #unacked = new Map<number, Request>();
  #nextId = 1;
  #ackTimer: NodeJS.Timeout | undefined;
  #signalWaiters: { count: number; resolve: () => void }[] = [];

  private constructor(url: string) {
    this.#url = url;
  }

  static async connect(url: string): Promise<ResumingPeer> {
    const peer = new ResumingPeer(url);
    peer.client = await RawClient.connect(url);
    peer.#listen();
    peer.client.send({ type: 'hello', v: PROTOCOL_VERSION });
    peer.welcome = (await peer.client.next((f) => f.type === 'welcome')) as WelcomeMessage;
    return peer;
  }

  get peerId(): string {
    return this.welcome.peerId;
  }

  /** Requests sent and not yet acknowledged by the server. */
  get unackedCount(): number {
    return this.#unacked.size;
  }

  /** Send a request (an id is added) and keep it until the server acks it. */
  request(frame: Record<string, unknown> & { type: string }): number {
    const id = this.#nextId++;
    const request = { ...frame, id } as Request;
    this.#unacked.set(id, request);
    if (this.client.isOpen) this.client.send(request);
    return id;
  }

  /** Resolves once `count` signals have been processed. */
  signalsReach(count: number): Promise<void> {
    if (this.signals.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#signalWaiters.push({ count, resolve }));
  }

  /** Resolves once every request has been acknowledged. */
  async allAcked(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#unacked.size > 0) {
      if (Date.now() > deadline) throw new Error(`${this.#unacked.size} requests never acknowledged`);
      await this.client.next((f) => f.type === 'ack' || 'ack' in f, deadline - Date.now());
    }
  }

  /** Destroy the TCP connection with no close frame (a network failure). */
  async kill(): Promise<void> {
    await this.client.destroy();
  }

  /** Open a new socket and resume; resends unprocessed requests in order. */
  async resume(): Promise<WelcomeMessage> {
    this.client = await RawClient.connect(this.#url);
    this.#listen();
    this.client.send({
      type: 'resume',
      v: PROTOCOL_VERSION,
      sessionId: this.welcome.sessionId,
      resumeSecret: this.welcome.resumeSecret,
      lastSeq: this.lastSeq,
    });
    const welcome = (await this.client.next((f) => f.type === 'welcome')) as WelcomeMessage;
    if (welcome.resumed) this.resumes += 1;
    this.welcome = welcome;
    for (const [id, request] of [...this.#unacked].sort((a, b) => a[0] - b[0])) {
      if (id <= welcome.lastClientId) this.#unacked.delete(id);
      else this.client.send(request);
    }
    return welcome;
  }

  #listen(): void {
    const client = this.client;
    client.onFrame((frame) => {
      if (client !== this.client) return;
      if (frame.type === 'ack') {
        this.#settle(frame.id);
        return;
      }
      this.#apply(frame);
      // A request ack may ride on any frame; it counts after the frame itself (PROTOCOL.md).
      const ack = (frame as { ack?: unknown }).ack;
      if (typeof ack === 'number') this.#settle(ack);
    });
  }

  #settle(ackId: number): void {
    for (const id of this.#unacked.keys()) if (id <= ackId) this.#unacked.delete(id);
  }

  #apply(frame: ServerMessage): void {
    const client = this.client;
    const seq = 'seq' in frame ? frame.seq : undefined;
    if (seq === undefined || frame.type === 'welcome') return;
    if (seq <= this.lastSeq) {
      this.duplicates += 1;
      return;
    }
    if (seq !== this.lastSeq + 1) this.gaps += 1;
    this.lastSeq = seq;
    this.processed.push(frame);
    if (frame.type === 'signal') {
      this.signals.push(frame.data);
      this.#signalWaiters = this.#signalWaiters.filter((w) =>
        this.signals.length >= w.count ? (w.resolve(), false) : true,
      );
    }
    // Ack like the SDK: coalesced over a delay (the server's limits.ackDelayMs).
    if (this.#ackTimer === undefined) {
      this.#ackTimer = setTimeout(() => {
        this.#ackTimer = undefined;
        if (client.isOpen) client.send({ type: 'ack', seq: this.lastSeq });
      }, this.welcome.limits.ackDelayMs);
    }
  }
}
