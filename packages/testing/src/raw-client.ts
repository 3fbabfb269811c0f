/**
 * A raw-protocol WebSocket client for server tests: it sends exactly the frames a test gives it and keeps
 * every frame it receives, so tests can speak the wire protocol (including malformed frames) and wait for
 * server frames by predicate. It never acks or resends by itself.
 */
import { PROTOCOL_VERSION, type ServerMessage, type WelcomeMessage } from '@switchboard/protocol';
import { WebSocket } from 'ws';

/** How a socket closed. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

type Waiter = { predicate: (frame: ServerMessage) => boolean; resolve: (frame: ServerMessage) => void };

export class RawClient {
  /** Every frame received, in order (parsed JSON). */
  readonly received: ServerMessage[] = [];
  /** Resolves when the socket closes. */
  readonly closed: Promise<CloseInfo>;
  readonly #ws: WebSocket;
  readonly #taken = new Set<number>();
  #waiters: Waiter[] = [];
  #listeners = new Set<(frame: ServerMessage) => void>();
  #nextId = 1;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as ServerMessage;
      const index = this.received.push(frame) - 1;
      for (const listener of this.#listeners) listener(frame);
      const waiter = this.#waiters.find((w) => w.predicate(frame));
      if (waiter !== undefined) {
        this.#taken.add(index);
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        waiter.resolve(frame);
      }
    });
  }

  /** Open a socket to `url`. */
  static connect(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused: ${response.statusCode}`)),
      );
    });
  }

  /** Connect and say hello; resolves with the welcome. */
  static async hello(url: string): Promise<{ client: RawClient; welcome: WelcomeMessage }> {
    const client = await RawClient.connect(url);
    client.send({ type: 'hello', v: PROTOCOL_VERSION });
    const welcome = (await client.next((f) => f.type === 'welcome')) as WelcomeMessage;
    return { client, welcome };
  }

  /** Call `listener` with every frame from now on; returns the unsubscribe function. */
  onFrame(listener: (frame: ServerMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A fresh request id (strictly increasing per client object). */
  id(): number {
    return this.#nextId++;
  }

  /** Use ids from `next` on (e.g. to continue a session's numbering after a resume on a new socket). */
  setNextId(next: number): void {
    this.#nextId = next;
  }

  /** Send an object as JSON, or a string / bytes exactly as given. */
  send(frame: object | string | Uint8Array, options: { binary?: boolean } = {}): void {
    const data = typeof frame === 'string' || frame instanceof Uint8Array ? frame : JSON.stringify(frame);
    this.#ws.send(data, { binary: options.binary ?? false });
  }

  /**
   * The first frame, not yet taken by an earlier `next`, that matches `predicate`; waits up to `timeoutMs`.
   * Rejects with the frames seen so far when none arrives in time.
   */
  next(predicate: (frame: ServerMessage) => boolean, timeoutMs = 5000): Promise<ServerMessage> {
    const index = this.received.findIndex((f, i) => !this.#taken.has(i) && predicate(f));
    const found = this.received[index];
    if (found !== undefined) {
      this.#taken.add(index);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { predicate, resolve };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        const types = this.received.map((f) => f.type).join(',');
        reject(new Error(`no matching frame within ${timeoutMs} ms; received: ${types}`));
      }, timeoutMs);
      waiter.resolve = (frame) => {
        clearTimeout(timer);
        resolve(frame);
      };
      this.#waiters.push(waiter);
    });
  }

  /** Frames of one type received so far. */
  all<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.received.filter((f): f is Extract<ServerMessage, { type: T }> => f.type === type);
  }

  /** The highest `seq` received so far (0 when none). */
  get lastSeq(): number {
    let last = 0;
    for (const frame of this.received)
      if ('seq' in frame && typeof frame.seq === 'number') last = Math.max(last, frame.seq);
    return last;
  }

  /** Whether the socket is open. */
  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** Stop reading from the socket (a client that never reads). */
  pause(): void {
    this.#ws.pause();
  }

  /** Close politely. */
  close(code = 1000): Promise<CloseInfo> {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.close(code);
    return this.closed;
  }

  /** Destroy the TCP socket with no close frame, as a network failure would. */
  destroy(): Promise<CloseInfo> {
    this.#ws.terminate();
    return this.closed;
  }
}
