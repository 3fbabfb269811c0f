/**
 * A raw-protocol peer for multi-node suites that must see seqs and request outcomes exactly (the SDK hides
 * both): hello, join, signal requests answered by `ack` or `error`, and a record of the signals received.
 */
import { PROTOCOL_VERSION, type ServerMessage, type WelcomeMessage } from '@switchboard/protocol';
import { RawClient } from '@switchboard/testing';
import { ConditionWaiter } from './condition-waiter.js';

/** A signal as received, with its seq. */
export interface SeenSignal {
  readonly seq: number;
  readonly from: string;
  readonly data: unknown;
}

/** How a request ended: acknowledged with no error, acknowledged with an error code, or unanswered. */
export type RequestEnd = 'ok' | 'unanswered' | { readonly error: string };

/** One raw peer on one socket. */
export class RawPeer {
  readonly client: RawClient;
  readonly welcome: WelcomeMessage;
  readonly signals: SeenSignal[] = [];
  #acked = 0;
  readonly #waiter = new ConditionWaiter();

  private constructor(client: RawClient, welcome: WelcomeMessage) {
    this.client = client;
    this.welcome = welcome;
    client.onFrame((frame) => this.#onFrame(frame));
    for (const frame of client.received) this.#onFrame(frame);
  }

  get peerId(): string {
    return this.welcome.peerId;
  }

  /** Connect with a fresh session. */
  static async hello(url: string): Promise<RawPeer> {
    const { client, welcome } = await RawClient.hello(url);
    return new RawPeer(client, welcome);
  }

  /** Resume `session` on `url` after `lastSeq`; the welcome and the replay land in the new peer. */
  static async resume(url: string, session: WelcomeMessage, lastSeq: number): Promise<RawPeer> {
    const client = await RawClient.connect(url);
    client.send({
      type: 'resume',
      v: PROTOCOL_VERSION,
      sessionId: session.sessionId,
      resumeSecret: session.resumeSecret,
      lastSeq,
    });
    const welcome = (await client.next((f) => f.type === 'welcome')) as WelcomeMessage;
    return new RawPeer(client, welcome);
  }

  /** Join `room` and wait for the roster. */
  async join(room: string, nickname: string): Promise<void> {
    const id = this.client.id();
    this.client.send({ type: 'join', id, room, metadata: { nickname } });
    await this.client.next((f) => f.type === 'roster' && f.ref === id, 10_000);
  }

  /**
   * Send one signal as request `id` and wait up to `timeoutMs` for its answer. The server pushes an error
   * answering a request before the ack that covers it, so an ack with no error before it means success.
   */
  async signal(id: number, to: string, data: unknown, timeoutMs: number): Promise<RequestEnd> {
    this.client.send({ type: 'signal', id, to, data });
    const answered = await this.until(() => this.#acked >= id, timeoutMs).then(
      () => true,
      () => false,
    );
    if (!answered) return 'unanswered';
    const error = this.client.all('error').find((e) => e.ref === id);
    return error === undefined ? 'ok' : { error: error.code };
  }

  /** Acknowledge every frame up to `seq` (the outbox may drop them). */
  ack(seq: number): void {
    this.client.send({ type: 'ack', seq });
  }

  /** Resolve when `predicate` holds, checking after every frame; reject after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
    return this.#waiter.until(predicate, timeoutMs, what);
  }

  #onFrame(frame: ServerMessage): void {
    if (frame.type === 'ack') this.#acked = Math.max(this.#acked, frame.id);
    if (frame.type === 'signal') this.signals.push({ seq: frame.seq, from: frame.from, data: frame.data });
    this.#waiter.wake();
  }
}
