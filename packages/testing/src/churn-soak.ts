/**
 * Churn for soak runs: stable peers that signal each other, drop their sockets and resume, and join and
 * leave extra rooms, while short-lived peers come, signal and go. Every signal the server accepts is
 * tracked to its target, which must receive it exactly once, across resumes. Used by
 * packages/server/test/soak.test.ts (60 s) and scripts/soak.ts (`npm run soak`, 10 min).
 */
import WebSocket from 'ws';

/** Options of `runChurnSoak`. */
export interface ChurnSoakOptions {
  readonly url: string;
  /** How long to churn, in ms (the final drain comes on top). */
  readonly durationMs: number;
  /** Peers that stay for the whole run (they resume, never leave). @default 12 */
  readonly stablePeers?: number;
  /** Home rooms the stable peers are spread over. @default 3 */
  readonly rooms?: number;
  /** Churn operations per second. @default 80 */
  readonly opsPerSecond?: number;
  /** Longest wait for the last signals to arrive after churn stops, in ms. @default 20000 */
  readonly drainTimeoutMs?: number;
  /** Called about once a second. */
  readonly onTick?: (report: ChurnSoakReport) => void;
}

/** Totals of a churn run. A clean run has `lost`, `duplicated`, `seqGaps` and `sessionsLost` at 0. */
export interface ChurnSoakReport {
  signalsSent: number;
  /** Signals the server processed without refusing them: each must be delivered exactly once. */
  signalsAccepted: number;
  /** Requests the server refused, by code (e.g. NICKNAME_TAKEN is not expected; none are). */
  refusals: Record<string, number>;
  signalsDelivered: number;
  lost: number;
  duplicated: number;
  /** Sequenced frames that skipped or repeated a seq on a stable peer. */
  seqGaps: number;
  reconnects: number;
  /** Resumes answered `resumed: false` within the grace window: state was lost. */
  sessionsLost: number;
  roomJoins: number;
  roomLeaves: number;
  transientPeers: number;
  elapsedMs: number;
}

type Frame = Record<string, unknown> & { type: string };

/** One tracked signal: its target and whether the server refused it. */
interface SentSignal {
  readonly target: SoakPeer;
  readonly sender: SoakPeer;
  readonly requestId: number;
}

class SoakPeer {
  readonly #url: string;
  readonly nickname: string;
  readonly homeRoom: string;
  readonly received = new Map<number, number>();
  readonly refused = new Set<number>();
  readonly extraRooms = new Set<string>();
  peerId = '';
  processedUpTo = 0;
  #ws: WebSocket | undefined;
  #sessionId: string | undefined;
  #resumeSecret = '';
  #seq = 0;
  #ackedSeq = 0;
  #nextId = 0;
  readonly #pending = new Map<number, object>();
  readonly #report: ChurnSoakReport;
  isConnecting = false;

  constructor(url: string, nickname: string, homeRoom: string, report: ChurnSoakReport) {
    this.#url = url;
    this.nickname = nickname;
    this.homeRoom = homeRoom;
    this.#report = report;
  }

  get isOpen(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN && !this.isConnecting;
  }

  get hasPending(): boolean {
    return this.#pending.size > 0 || this.#seq > this.#ackedSeq;
  }

  /** Connect: hello the first time, resume afterwards; resend what the server has not acknowledged. */
  async connect(): Promise<void> {
    this.isConnecting = true;
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    ws.on('error', () => undefined);
    ws.on('message', (data) => this.#onFrame(JSON.parse((data as Buffer).toString()) as Frame));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const welcomed = new Promise<Frame>((resolve) => (this.#onWelcome = resolve));
    const isResume = this.#sessionId !== undefined;
    ws.send(
      JSON.stringify(
        isResume
          ? {
              type: 'resume',
              v: 1,
              sessionId: this.#sessionId,
              resumeSecret: this.#resumeSecret,
              lastSeq: this.#seq,
            }
          : { type: 'hello', v: 1 },
      ),
    );
    const welcome = await welcomed;
    if (isResume && welcome['resumed'] !== true) this.#report.sessionsLost += 1;
    this.#sessionId = String(welcome['sessionId']);
    this.#resumeSecret = String(welcome['resumeSecret']);
    this.peerId = String(welcome['peerId']);
    this.#markProcessed(Number(welcome['lastClientId']));
    this.isConnecting = false;
    for (const [, frame] of [...this.#pending].sort(([a], [b]) => a - b)) ws.send(JSON.stringify(frame));
    if (!isResume) this.request({ type: 'join', room: this.homeRoom, metadata: { nickname: this.nickname } });
  }

  /** Send a request with the next id; it is resent after a resume until acknowledged. */
  request(frame: object): number {
    this.#nextId += 1;
    const full = { ...frame, id: this.#nextId };
    this.#pending.set(this.#nextId, full);
    if (this.isOpen) this.#ws!.send(JSON.stringify(full));
    return this.#nextId;
  }

  /** Drop the socket without a close handshake, as a network failure would, then resume. */
  async dropAndResume(): Promise<void> {
    this.#ws?.terminate();
    this.#report.reconnects += 1;
    await this.connect();
  }

  /** Acknowledge everything processed so far. */
  ack(): void {
    if (this.isOpen && this.#seq > this.#ackedSeq) {
      this.#ackedSeq = this.#seq;
      this.#ws!.send(JSON.stringify({ type: 'ack', seq: this.#seq }));
    }
  }

  close(): void {
    this.#ws?.terminate();
  }

  /** End the session now (no grace window), as a peer that leaves for good does. */
  bye(): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send('{"type":"bye"}');
    this.#ws?.close();
  }

  #onWelcome: (frame: Frame) => void = () => undefined;

  #onFrame(frame: Frame): void {
    this.#apply(frame);
    // A request ack may ride on any frame (PROTOCOL.md): it counts once the frame itself is processed.
    if (typeof frame['ack'] === 'number') this.#markProcessed(frame['ack']);
  }

  #apply(frame: Frame): void {
    if (frame.type === 'welcome') {
      this.#onWelcome(frame);
      return;
    }
    if (frame.type === 'ack') {
      this.#markProcessed(Number(frame['id']));
      return;
    }
    const seq = frame['seq'];
    if (typeof seq !== 'number') return;
    if (seq !== this.#seq + 1) {
      // Replay must continue exactly after lastSeq: a gap or a repeat is lost or duplicated state.
      this.#report.seqGaps += 1;
      if (seq <= this.#seq) return;
    }
    this.#seq = seq;
    if (frame.type === 'signal') {
      const n = (frame['data'] as { n?: number } | undefined)?.n;
      if (typeof n === 'number') this.received.set(n, (this.received.get(n) ?? 0) + 1);
    } else if (frame.type === 'error' && typeof frame['ref'] === 'number') {
      this.refused.add(frame['ref']);
      this.#report.refusals[String(frame['code'])] = (this.#report.refusals[String(frame['code'])] ?? 0) + 1;
    }
    if (this.#seq - this.#ackedSeq >= 16) this.ack();
  }

  #markProcessed(id: number): void {
    if (id <= this.processedUpTo) return;
    this.processedUpTo = id;
    for (const pending of this.#pending.keys()) if (pending <= id) this.#pending.delete(pending);
  }
}

/** Churn until `durationMs` has passed, then let every signal land and count what arrived. */
export async function runChurnSoak(options: ChurnSoakOptions): Promise<ChurnSoakReport> {
  const started = Date.now();
  const report: ChurnSoakReport = {
    signalsSent: 0,
    signalsAccepted: 0,
    refusals: {},
    signalsDelivered: 0,
    lost: 0,
    duplicated: 0,
    seqGaps: 0,
    reconnects: 0,
    sessionsLost: 0,
    roomJoins: 0,
    roomLeaves: 0,
    transientPeers: 0,
    elapsedMs: 0,
  };
  const rooms = Array.from({ length: options.rooms ?? 3 }, (_, i) => `soak-${i}`);
  const stable = Array.from(
    { length: options.stablePeers ?? 12 },
    (_, i) => new SoakPeer(options.url, `stable-${i}`, rooms[i % rooms.length]!, report),
  );
  await Promise.all(stable.map((peer) => peer.connect()));
  const sent = new Map<number, SentSignal>();
  let n = 0;
  let transients = 0;
  const signal = (from: SoakPeer, to: SoakPeer): void => {
    n += 1;
    const requestId = from.request({ type: 'signal', to: to.peerId, data: { n, kind: 'soak' } });
    sent.set(n, { target: to, sender: from, requestId });
    report.signalsSent += 1;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

  const intervalMs = 1000 / (options.opsPerSecond ?? 80);
  let nextTick = Date.now() + 1000;
  while (Date.now() - started < options.durationMs) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const roll = Math.random();
    const peer = pick(stable);
    if (roll < 0.7) {
      const mates = stable.filter((p) => p !== peer && p.homeRoom === peer.homeRoom);
      if (mates.length > 0) signal(peer, pick(mates));
    } else if (roll < 0.8) {
      if (!peer.isConnecting) void peer.dropAndResume();
    } else if (roll < 0.9) {
      const room = `extra-${Math.floor(Math.random() * 4)}`;
      if (peer.extraRooms.has(room)) {
        peer.extraRooms.delete(room);
        peer.request({ type: 'leave', room });
        report.roomLeaves += 1;
      } else if (peer.extraRooms.size < 3) {
        peer.extraRooms.add(room);
        peer.request({ type: 'join', room, metadata: { nickname: peer.nickname } });
        report.roomJoins += 1;
      }
    } else if (transients < 4) {
      transients += 1;
      report.transientPeers += 1;
      void visit(options.url, pick(rooms), report.transientPeers, stable, report, signal).finally(
        () => (transients -= 1),
      );
    }
    for (const p of stable) if (Math.random() < 0.05) p.ack();
    if (Date.now() >= nextTick) {
      nextTick += 1000;
      report.elapsedMs = Date.now() - started;
      options.onTick?.(report);
    }
  }

  // Drain: everyone connected and acknowledged, then every accepted signal must have arrived.
  const deadline = Date.now() + (options.drainTimeoutMs ?? 20_000);
  const isSettled = (): boolean => {
    for (const p of stable) p.ack();
    if (transients > 0 || stable.some((p) => !p.isOpen || p.hasPending)) return false;
    return [...sent].every(
      ([id, s]) => s.sender.refused.has(s.requestId) || (s.target.received.get(id) ?? 0) >= 1,
    );
  };
  while (!isSettled() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const [id, s] of sent) {
    if (s.sender.refused.has(s.requestId) || s.requestId > s.sender.processedUpTo) continue;
    report.signalsAccepted += 1;
    const count = s.target.received.get(id) ?? 0;
    if (count === 0) report.lost += 1;
    else report.signalsDelivered += 1;
    if (count > 1) report.duplicated += 1;
  }
  for (const p of stable) p.close();
  report.elapsedMs = Date.now() - started;
  return report;
}

/** A short-lived peer: hello, join, a few signals to stable peers, wait for their acks, bye. */
async function visit(
  url: string,
  room: string,
  index: number,
  stable: readonly SoakPeer[],
  report: ChurnSoakReport,
  signal: (from: SoakPeer, to: SoakPeer) => void,
): Promise<void> {
  const visitor = new SoakPeer(url, `visitor-${index}`, room, report);
  try {
    await visitor.connect();
    for (const target of stable.filter((p) => p.homeRoom === room).slice(0, 3)) signal(visitor, target);
    const deadline = Date.now() + 10_000;
    while (visitor.hasPending && Date.now() < deadline) {
      visitor.ack();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    visitor.bye();
  }
}
