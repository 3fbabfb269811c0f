/**
 * Live-server fuzzing: many sockets send generated and mutated frames to a real server, and every frame
 * the decoder refuses must be answered with the code the decoder gives it (checked locally with the same
 * `decodeClientMessage`), or end the socket with a documented close code. A join the decoder accepts must
 * get the code of the server's first stateless join check it fails, such as INVALID_MAX_PEERS
 * (expected-code.ts). Used by packages/server/test/fuzz.test.ts (short) and scripts/fuzz.ts
 * (`npm run fuzz`, ≥ 1,000,000 frames).
 *
 * Correlation without timing: after each batch the fuzzer sends a marker request (`leave` of a room it never
 * joined, answered NOT_IN_ROOM with `ref`) and waits for its answer. Requests run through the session's
 * queue in order, and refusals without a request id are sent at once, so every answer to the batch has
 * arrived by then. Answers may interleave, so they are matched as a multiset of codes, not in order.
 */
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import WebSocket from 'ws';
import { CLOSE_CODES, isErrorCode, type ErrorCode } from '@switchboard/protocol';
import { DEFAULT_SERVER_OPTIONS } from '@switchboard/server';
import { fuzzFrame, type FuzzFrame } from './client-frame-arbitraries.js';
import { expectedCode, type ExpectedCodeLimits } from './expected-code.js';
import { withFreshId } from './with-fresh-id.js';
import { withTimeout } from './with-timeout.js';

const UNLIMITED = { perSecond: 1_000_000, burst: 1_000_000 };
/**
 * Server options that lift every rate limit (the connection's and each type's), so fuzzed frames reach the
 * decoder and the handlers instead of RATE_LIMITED; the limits have tests of their own.
 */
export const UNLIMITED_RATE_OPTIONS = Object.freeze({
  messagesPerSecond: 1_000_000,
  messageBurst: 1_000_000,
  messageRateLimits: Object.fromEntries(
    ['join', 'leave', 'update', 'signal', 'token', 'ping'].map((type) => [type, UNLIMITED]),
  ),
});

/** Options of `runLiveFuzz`. */
export interface LiveFuzzOptions {
  /** WebSocket URL of the server. */
  readonly url: string;
  /** Frames to send in total, across all sockets. */
  readonly frames: number;
  /** Sockets fuzzing in parallel. @default 4 */
  readonly connections?: number;
  /** Frames per ping marker. @default 8 */
  readonly batchSize?: number;
  /** The server's `maxFrameBytes`, so the local expectation matches. @default 65536 */
  readonly maxFrameBytes?: number;
  /** The server's `maxPeersPerRoom`: joins asking for more get INVALID_MAX_PEERS. @default 50 */
  readonly maxPeersPerRoom?: number;
  /** The server's `maxMetadataBytes`: joins with more get INVALID_METADATA. @default 2048 */
  readonly maxMetadataBytes?: number;
  /**
   * Frames longer than this are refused by the socket library itself (close 1009) instead of an `error`
   * frame: the server's transport cap. @default 2 × maxFrameBytes
   */
  readonly hardFrameBytes?: number;
  /** Stop early (with what was sent so far) after this long, in ms. @default 600000 */
  readonly deadlineMs?: number;
  /** Longest wait for one pong or welcome before the run fails, in ms. @default 15000 */
  readonly answerTimeoutMs?: number;
  /** fast-check seed, for reproducing a run. @default random */
  readonly seed?: number;
  /** Called about once per 1,000 frames with the running totals. */
  readonly onProgress?: (report: LiveFuzzReport) => void;
}

/** What a run saw. A clean run has empty `unanswered`, `undocumented` and `unexpectedCloses`. */
export interface LiveFuzzReport {
  framesSent: number;
  /** Frames the local decoder refuses (or binary frames), and joins the server's first checks refuse. */
  badFrames: number;
  /** Bad frames answered with exactly their expected code. */
  answered: number;
  /** Frames the socket library must refuse by closing (invalid UTF-8: 1007, over the hard cap: 1009) that did. */
  closedAsExpected: number;
  /** Frames that were in flight when the server closed the socket with a documented code. */
  cutOffByClose: number;
  /** Bad frames with no matching answer (first 20 kept, with the frame kind and expected code). */
  unanswered: { kind: string; expected: ErrorCode; got: string[] }[];
  unansweredCount: number;
  /** Codes in `error` frames that are not in ERROR_CODES. */
  undocumented: string[];
  /** Codes of every `error` frame received, by code (valid requests' own refusals included). */
  codes: Record<string, number>;
  /** Close codes seen, by code. */
  closes: Record<string, number>;
  /** Close codes that are neither ours (CLOSE_CODES) nor RFC 6455 protocol closes for bad framing. */
  unexpectedCloses: number[];
  /** Frames sent, by generator kind. */
  byKind: Record<string, number>;
  reconnects: number;
  elapsedMs: number;
}

/** RFC 6455 §7.4.1: the socket library's own answers to bad framing (1007 invalid UTF-8, 1009 too big). */
const PROTOCOL_CLOSES = new Set([1000, 1001, 1007, 1009]);
const DOCUMENTED_CLOSES = new Set<number>([...Object.values(CLOSE_CODES), ...PROTOCOL_CLOSES]);
/** A room the generators can never produce (they make names of at most 13 characters). */
const MARKER_ROOM = 'fuzz-marker-never-joined';

interface Expectation {
  readonly kind: string;
  /** The code the server must answer with, or undefined for frames the decoder accepts. */
  readonly code: ErrorCode | undefined;
  /** The close code the socket library answers with instead, for frames it refuses itself. */
  readonly closeCode: number | undefined;
}

/** Run the fuzzer until `frames` are sent or the deadline passes. Rejects only on a harness failure. */
export async function runLiveFuzz(options: LiveFuzzOptions): Promise<LiveFuzzReport> {
  const started = Date.now();
  const report: LiveFuzzReport = {
    framesSent: 0,
    badFrames: 0,
    answered: 0,
    closedAsExpected: 0,
    cutOffByClose: 0,
    unanswered: [],
    unansweredCount: 0,
    undocumented: [],
    codes: {},
    closes: {},
    unexpectedCloses: [],
    byKind: {},
    reconnects: 0,
    elapsedMs: 0,
  };
  const connections = options.connections ?? 4;
  const quota = Math.ceil(options.frames / connections);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const deadline = started + (options.deadlineMs ?? 600_000);
  let nextProgress = 1000;
  const progress = (): void => {
    if (options.onProgress !== undefined && report.framesSent >= nextProgress) {
      nextProgress += 1000;
      report.elapsedMs = Date.now() - started;
      options.onProgress(report);
    }
  };
  const workers = Array.from({ length: connections }, (_, index) =>
    fuzzOneSocketStream({ ...options, seed: seed + index * 7919 }, quota, deadline, report, progress),
  );
  await Promise.all(workers);
  report.elapsedMs = Date.now() - started;
  return report;
}

async function fuzzOneSocketStream(
  options: LiveFuzzOptions,
  quota: number,
  deadline: number,
  report: LiveFuzzReport,
  progress: () => void,
): Promise<void> {
  const batchSize = options.batchSize ?? 8;
  const maxFrameBytes = options.maxFrameBytes ?? 65_536;
  const limits: ExpectedCodeLimits = {
    maxFrameBytes,
    maxPeersPerRoom: options.maxPeersPerRoom ?? DEFAULT_SERVER_OPTIONS.maxPeersPerRoom,
    maxMetadataBytes: options.maxMetadataBytes ?? DEFAULT_SERVER_OPTIONS.maxMetadataBytes,
  };
  const hardFrameBytes = options.hardFrameBytes ?? maxFrameBytes * 2;
  const timeoutMs = options.answerTimeoutMs ?? 15_000;
  let sent = 0;
  let chunk = 0;
  let requestId = 0;
  let pool: FuzzFrame[] = [];
  const nextFrame = (): FuzzFrame => {
    if (pool.length === 0)
      pool = fc.sample(fuzzFrame(), { numRuns: 256, seed: (options.seed ?? 0) + chunk++ });
    return pool.pop()!;
  };
  while (sent < quota && Date.now() < deadline) {
    const socket = await FuzzSocket.open(options.url, timeoutMs);
    requestId = 0;
    while (sent < quota && Date.now() < deadline && socket.isOpen) {
      const expectations: Expectation[] = [];
      const batch: FuzzFrame[] = [];
      for (let i = 0; i < batchSize && sent < quota; i += 1) {
        // Request ids must rise per session, or the server (rightly) dedupes a "resent" request silently.
        const frame = withFreshId(nextFrame(), () => (requestId += 1));
        const closeCode = expectedClose(frame, hardFrameBytes);
        if (closeCode !== undefined && batch.length > 0) {
          // Send it alone in the next batch: answers still queued for this batch would die with the socket.
          pool.push(frame);
          break;
        }
        expectations.push({ kind: frame.kind, code: expectedCode(frame, limits), closeCode });
        batch.push(frame);
        report.byKind[frame.kind] = (report.byKind[frame.kind] ?? 0) + 1;
        socket.send(frame);
        sent += 1;
        report.framesSent += 1;
        // The socket will close: end the batch here so no other frame is lost unjudged.
        if (closeCode !== undefined) break;
      }
      requestId += 1;
      let answers: SyncResult;
      try {
        answers = await socket.sync(requestId, timeoutMs);
      } catch (error) {
        // Name the frames that got no answer, so a failure can be replayed by hand.
        const last = batch.map((frame) => `${frame.kind}: ${describeFrame(frame)}`).join('\n');
        throw new Error(`${(error as Error).message}; the batch was:\n${last}`, { cause: error });
      }
      judge(expectations, answers, report);
      progress();
    }
    socket.terminate();
    report.reconnects += 1;
  }
}

/** Compare one batch's expected codes with the errors that came back (as a multiset: answers interleave). */
function judge(expectations: readonly Expectation[], answers: SyncResult, report: LiveFuzzReport): void {
  for (const code of answers.errorCodes) {
    report.codes[code] = (report.codes[code] ?? 0) + 1;
    if (!isErrorCode(code) && !report.undocumented.includes(code)) report.undocumented.push(code);
  }
  const unclaimed = new Map<string, number>();
  for (const code of answers.errorCodes) unclaimed.set(code, (unclaimed.get(code) ?? 0) + 1);
  for (const expectation of expectations) {
    if (expectation.code === undefined) continue;
    report.badFrames += 1;
    if (expectation.closeCode !== undefined && answers.closeCode === expectation.closeCode) {
      report.closedAsExpected += 1;
      continue;
    }
    const left = unclaimed.get(expectation.code) ?? 0;
    if (left > 0) {
      report.answered += 1;
      unclaimed.set(expectation.code, left - 1);
    } else if (answers.closeCode !== undefined && DOCUMENTED_CLOSES.has(answers.closeCode)) {
      report.cutOffByClose += 1;
    } else {
      report.unansweredCount += 1;
      if (report.unanswered.length < 20)
        report.unanswered.push({
          kind: expectation.kind,
          expected: expectation.code,
          got: answers.errorCodes,
        });
    }
  }
  if (answers.closeCode !== undefined) {
    report.closes[answers.closeCode] = (report.closes[answers.closeCode] ?? 0) + 1;
    if (!DOCUMENTED_CLOSES.has(answers.closeCode) && !report.unexpectedCloses.includes(answers.closeCode)) {
      report.unexpectedCloses.push(answers.closeCode);
    }
  }
}

/** RFC 6455 makes the socket library fail the connection for these frames before our code sees them. */
function expectedClose(frame: FuzzFrame, hardFrameBytes: number): number | undefined {
  const bytes = typeof frame.data === 'string' ? Buffer.byteLength(frame.data) : frame.data.byteLength;
  if (bytes > hardFrameBytes) return 1009;
  if (!frame.isBinary && typeof frame.data !== 'string' && !isUtf8(frame.data)) return 1007;
  return undefined;
}

function describeFrame(frame: FuzzFrame): string {
  const text = typeof frame.data === 'string' ? frame.data : Buffer.from(frame.data).toString('hex');
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

interface SyncResult {
  readonly errorCodes: string[];
  readonly closeCode: number | undefined;
}

/** One fuzzing socket: hello first, then frames, `ack` of everything sequenced, and ping markers. */
class FuzzSocket {
  readonly #ws: WebSocket;
  #errors: string[] = [];
  #lastSeq = 0;
  #closeCode: number | undefined;
  #waiter: ((result: SyncResult) => void) | undefined;
  #waitingFor = -1;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
    ws.on('close', (code) => {
      this.#closeCode = code;
      this.#settle();
    });
    ws.on('error', () => undefined);
  }

  static async open(url: string, timeoutMs: number): Promise<FuzzSocket> {
    const ws = new WebSocket(url);
    const socket = new FuzzSocket(ws);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', v: 1 })));
        ws.once('message', (data) => {
          const frame = JSON.parse((data as Buffer).toString()) as { type?: string; seq?: number };
          if (frame.type === 'welcome') resolve();
          else reject(new Error(`expected welcome, got ${(data as Buffer).toString().slice(0, 200)}`));
        });
        ws.once('close', (code) => reject(new Error(`socket closed with ${code} before welcome`)));
      }),
      timeoutMs,
      'welcome',
    );
    return socket;
  }

  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  send(frame: FuzzFrame): void {
    if (this.isOpen) this.#ws.send(frame.data, { binary: frame.isBinary });
  }

  /** Ack everything, send the marker request, and resolve with the errors since the last sync once it is answered. */
  async sync(markerId: number, timeoutMs: number): Promise<SyncResult> {
    const answered = new Promise<SyncResult>((resolve) => {
      this.#waiter = resolve;
      this.#waitingFor = markerId;
    });
    if (this.#closeCode !== undefined) this.#settle();
    else {
      this.#ws.send(JSON.stringify({ type: 'ack', seq: this.#lastSeq }));
      this.#ws.send(JSON.stringify({ type: 'leave', id: markerId, room: MARKER_ROOM }));
    }
    return withTimeout(answered, timeoutMs, `answer to marker ${markerId}`);
  }

  terminate(): void {
    this.#ws.terminate();
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.#errors.push('<binary frame from server>');
      return;
    }
    const frame = JSON.parse(data.toString()) as { type: string; code?: string; seq?: number; ref?: number };
    if (typeof frame.seq === 'number' && frame.seq > this.#lastSeq) this.#lastSeq = frame.seq;
    if (frame.ref !== undefined && frame.ref === this.#waitingFor) this.#settle();
    else if (frame.type === 'error') this.#errors.push(String(frame.code));
  }

  #settle(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    const result = { errorCodes: this.#errors, closeCode: this.#closeCode };
    this.#errors = [];
    waiter(result);
  }
}
