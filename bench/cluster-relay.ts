/**
 * Cross-node relay cost: what a signal costs when sender and receiver sit on different nodes of a Redis
 * cluster, against the same traffic on one node, measured side by side in one run (issue 6, "Benchmark").
 *
 * Setup: a real redis-server, 2 cluster nodes (`serve --redis`, `--no-stun`) and 1 single node, all real
 * server processes started through the CLI. Pairs of raw-protocol clients (URL hello -> welcome, join, signal /
 * ack) run closed loops: each sender sends its next signal when the previous one has reached its receiver.
 * In the cluster the sender is on node A and the receiver on node B, so every signal takes the cross-node
 * path (Lua append + one PUBLISH to B). Reported per setup: server CPU per signal (utime + stime of the
 * serving processes from /proc/<pid>/stat, both nodes summed for the cluster; Redis's own CPU apart) and
 * p50/p99 send-to-receive latency; then cluster / single ratios.
 *
 * Usage: node --conditions=source --import tsx bench/cluster-relay.ts [--pairs 16] [--signals 300]
 *   [--max-seconds 60]. Servers are pinned to the last CPU, this load generator to CPU 0, when taskset exists.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROTOCOL_VERSION } from '@switchboard/protocol';
import { startRedis } from '@switchboard/testing';
import { WebSocket } from 'ws';

const BIN = fileURLToPath(new URL('../packages/server/bin/switchboard.js', import.meta.url));
const TICK_US = 1_000_000 / 100; // CLK_TCK is 100 on Linux
const HAS_TASKSET = existsSync('/usr/bin/taskset');
const SERVER_CPU = String(availableParallelism() - 1);

/** Every process started here, killed on any exit (a crash must not orphan servers). */
const started: ChildProcess[] = [];
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '16' },
    signals: { type: 'string', default: '300' },
    'max-seconds': { type: 'string', default: '60' },
  },
});
const PAIRS = Number(values.pairs);
const SIGNALS = Number(values.signals);
const MAX_MS = Number(values['max-seconds']) * 1000;

/** A server process started through the CLI. */
interface ServerNode {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
}

/** Prefix a command with `taskset -c cpu` when available. */
function pinned(cpu: string, command: string, args: string[]): [string, string[]] {
  return HAS_TASKSET ? ['/usr/bin/taskset', ['-c', cpu, command, ...args]] : [command, args];
}

function startServer(extra: string[]): Promise<ServerNode> {
  const base = ['serve', '--port', '0', '--host', '127.0.0.1', '--no-stun', '--log-level', 'info'];
  const limits = ['--rate', '1000000', '--burst', '1000000', '--max-connections-per-ip', '1000000'];
  const [command, args] = pinned(SERVER_CPU, process.execPath, [BIN, ...base, ...limits, ...extra]);
  // No inherited stdio: a server that outlived this process would hold the caller's pipe open.
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a server did not start within 30 s')), 30_000);
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!line.includes('"switchboard listening"')) continue;
        const entry = JSON.parse(line) as { port: number; pid: number };
        clearTimeout(timer);
        // The launcher may serve from a child: kill that pid on exit too.
        process.once('exit', () => {
          try {
            process.kill(entry.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        });
        resolve({ url: `ws://127.0.0.1:${entry.port}/ws`, pid: entry.pid, child });
      }
    });
    child.once('exit', (code) => reject(new Error(`a server exited (${String(code)}) before listening`)));
  });
}

/** utime + stime of a process, in µs. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

/**
 * A raw protocol client: hello in the upgrade URL as the SDK says it (ADR 0015), join, then signals; it acks
 * every frame it receives.
 */
class RawSocket {
  readonly peerId: Promise<string>;
  #ws: WebSocket;
  #nextId = 1;
  #onSignal: (data: { n: number; t: number }) => void = () => undefined;
  #waiting = new Map<number, () => void>();

  constructor(url: string) {
    this.#ws = new WebSocket(`${url}?v=${PROTOCOL_VERSION}`);
    this.peerId = new Promise((resolve, reject) => {
      this.#ws.on('error', reject);
      this.#ws.once('close', (code) => reject(new Error(`socket closed (${code}) before welcome`)));
      this.#ws.on('message', (raw: Buffer) => {
        const frame = JSON.parse(raw.toString()) as Record<string, unknown>;
        if (frame['type'] === 'welcome') resolve(frame['peerId'] as string);
        if (typeof frame['seq'] === 'number' && frame['type'] !== 'welcome')
          this.#ws.send(`{"type":"ack","seq":${frame['seq']}}`);
        if (frame['type'] === 'roster') this.#waiting.get(frame['ref'] as number)?.();
        if (frame['type'] === 'signal') this.#onSignal(frame['data'] as { n: number; t: number });
      });
    });
  }

  async join(room: string, nickname: string): Promise<void> {
    const id = this.#nextId++;
    const joined = new Promise<void>((resolve) => this.#waiting.set(id, resolve));
    this.#ws.send(JSON.stringify({ type: 'join', id, room, metadata: { nickname } }));
    await joined;
  }

  signal(to: string, data: { n: number; t: number }): void {
    this.#ws.send(JSON.stringify({ type: 'signal', id: this.#nextId++, to, data }));
  }

  onSignal(listener: (data: { n: number; t: number }) => void): void {
    this.#onSignal = listener;
  }

  close(): void {
    this.#ws.close();
  }
}

/** One measured run: `PAIRS` closed loops of up to `SIGNALS` signals each, senders on `from`, receivers on `to`. */
async function measure(label: string, from: ServerNode, to: ServerNode, servers: readonly ServerNode[]) {
  const pairs: { sender: RawSocket; receiver: RawSocket; receiverId: string }[] = [];
  for (let i = 0; i < PAIRS; i += 1) {
    const sender = new RawSocket(from.url);
    const receiver = new RawSocket(to.url);
    const receiverId = await receiver.peerId;
    await sender.peerId;
    await sender.join(`${label}-${i}`, 'sender');
    await receiver.join(`${label}-${i}`, 'receiver');
    pairs.push({ sender, receiver, receiverId });
  }
  const latencies: number[] = [];
  const run = async (count: number, record: boolean, deadline: number): Promise<number> => {
    let signals = 0;
    await Promise.all(
      pairs.map(
        ({ sender, receiver, receiverId }) =>
          new Promise<void>((resolve) => {
            let n = 0;
            const next = (): void => {
              if (n >= count || Date.now() > deadline) return resolve();
              n += 1;
              sender.signal(receiverId, { n, t: performance.now() });
            };
            receiver.onSignal((data) => {
              if (record) latencies.push(performance.now() - data.t);
              signals += 1;
              next();
            });
            next();
          }),
      ),
    );
    return signals;
  };
  await run(30, false, Date.now() + MAX_MS); // warm-up: JIT, script cache, connections
  const cpuBefore = servers.map((s) => cpuMicros(s.pid));
  const signals = await run(SIGNALS, true, Date.now() + MAX_MS);
  const cpuUs = servers.reduce((sum, s, i) => sum + cpuMicros(s.pid) - (cpuBefore[i] ?? 0), 0);
  for (const { sender, receiver } of pairs) {
    sender.close();
    receiver.close();
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { label, signals, cpuUsPerSignal: cpuUs / signals, p50Ms: at(0.5), p99Ms: at(0.99) };
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const servers: ServerNode[] = [];
  try {
    const a = await startServer(['--redis', redis.url]);
    const b = await startServer(['--redis', redis.url]);
    const single = await startServer([]);
    servers.push(a, b, single);
    const redisBefore = cpuMicros(redis.pid);
    const cluster = await measure('cluster', a, b, [a, b]);
    const redisUs = cpuMicros(redis.pid) - redisBefore;
    const alone = await measure('single', single, single, [single]);
    const row = (r: typeof cluster): string =>
      `${r.label.padEnd(8)} ${String(r.signals).padStart(7)} ${r.cpuUsPerSignal.toFixed(1).padStart(10)} ${r.p50Ms.toFixed(3).padStart(8)} ${r.p99Ms.toFixed(3).padStart(8)}`;
    console.log(
      `pairs ${PAIRS}, signals/pair ${SIGNALS}, taskset ${HAS_TASKSET ? `servers on cpu ${SERVER_CPU}, load on cpu 0` : 'not available'}`,
    );
    console.log('setup    signals  cpu µs/sig  p50 ms   p99 ms');
    console.log(row(cluster));
    console.log(row(alone));
    console.log(`redis-server cpu µs/sig (cluster run): ${(redisUs / cluster.signals).toFixed(1)}`);
    console.log(
      `ratios cluster/single: cpu ${(cluster.cpuUsPerSignal / alone.cpuUsPerSignal).toFixed(2)}x, p50 ${(cluster.p50Ms / alone.p50Ms).toFixed(2)}x, p99 ${(cluster.p99Ms / alone.p99Ms).toFixed(2)}x`,
    );
  } finally {
    for (const server of servers) {
      try {
        process.kill(server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await redis.stop();
  }
}

if (HAS_TASKSET) {
  // Pin this load generator away from the servers, so their CPU figures are theirs alone.
  spawn('/usr/bin/taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
}
await main();
