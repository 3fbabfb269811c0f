/**
 * A raw-protocol WebSocket client for the security, fault and soak tests: send frames as written, wait for
 * a frame by predicate (with a timeout, never a sleep), see the close code and reason.
 */
import WebSocket from 'ws';
import { withTimeout } from '@switchboard/testing';

/** A server frame as parsed JSON. */
export type Frame = Record<string, unknown> & { type: string };

/** How the socket ended. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

export class RawClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  readonly closed: Promise<CloseInfo>;
  #cursor = 0;
  readonly #taken = new Set<number>();
  #waiters = new Set<() => void>();
  #lastSeq = 0;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.#wake();
      });
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse((data as Buffer).toString()) as Frame;
      if (typeof frame['seq'] === 'number' && frame['seq'] > this.#lastSeq) this.#lastSeq = frame['seq'];
      this.frames.push(frame);
      this.#wake();
    });
    ws.on('error', () => undefined);
  }

  /**
   * Open a socket; resolves once it is open (rejects if the upgrade is refused).
   * @param ca the certificate to trust for `wss://` to a self-signed server
   */
  static async connect(
    url: string,
    headers: Record<string, string> = {},
    timeoutMs = 5000,
    ca?: string | Buffer,
  ): Promise<RawClient> {
    const ws = new WebSocket(url, ca === undefined ? { headers } : { headers, ca });
    const client = new RawClient(ws);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('unexpected-response', (_req, res) =>
          reject(
            new Error(`upgrade refused: ${res.statusCode} ${String(res.headers['x-switchboard-error'])}`),
          ),
        );
        ws.once('error', reject);
      }),
      timeoutMs,
      'open',
    );
    return client;
  }

  /** Connect and say hello; resolves with the welcome (or throws with the error that came instead). */
  static async hello(
    url: string,
    hello: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<{ client: RawClient; welcome: Frame }> {
    const client = await RawClient.connect(url, headers);
    client.send({ type: 'hello', v: 1, ...hello });
    const welcome = await client.next((f) => f.type === 'welcome' || f.type === 'error');
    if (welcome.type !== 'welcome') throw new Error(`hello refused: ${String(welcome['code'])}`);
    return { client, welcome };
  }

  /** The highest `seq` seen, for `resume.lastSeq` and `ack`. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first frame not yet returned that matches; rejects after `timeoutMs` or on close. */
  async next(predicate: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return withTimeout(
      new Promise<Frame>((resolve, reject) => {
        const check = (): void => {
          // Frames that do not match stay available to later waits; only the matching one is taken.
          for (let index = this.#cursor; index < this.frames.length; index += 1) {
            const frame = this.frames[index];
            if (frame === undefined || this.#taken.has(index) || !predicate(frame)) continue;
            this.#taken.add(index);
            while (this.#taken.has(this.#cursor)) this.#taken.delete(this.#cursor++);
            this.#waiters.delete(check);
            resolve(frame);
            return;
          }
          if (this.ws.readyState === WebSocket.CLOSED) {
            this.#waiters.delete(check);
            reject(new Error('socket closed while waiting for a frame'));
          }
        };
        this.#waiters.add(check);
        check();
      }),
      timeoutMs,
      'matching frame',
    );
  }

  /** Close abruptly (no close handshake). */
  terminate(): void {
    this.ws.terminate();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
