/**
 * Spawn a real `redis-server` (Debian package) for a test suite, on a free loopback port, with no
 * persistence (shared/reference/lab.md §3). It is stopped by pid, never by name, because other engineers'
 * suites run their own Redis on the same machine.
 *
 * `restart()` kills the process and starts a fresh one on the same port: with `--save ''` and
 * `--appendonly no` every key is gone afterwards, which is the harshest Redis outage a cluster can see.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';

/** A running redis-server. */
export interface RedisHandle {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The pid of the current process (changes after `restart()`). */
  readonly pid: number;
  /** Stop the process (SIGTERM, then SIGKILL after 2 s) and wait for it to exit. */
  stop(): Promise<void>;
  /** Stop the process, then start a new, empty one on the same port; resolves once it answers PING. */
  restart(): Promise<void>;
}

/** Options for `startRedis`. */
export interface StartRedisOptions {
  /** Port to listen on. @default a free port picked by the OS */
  readonly port?: number;
  /** How long to wait for the server to answer PING. @default 10000 */
  readonly readyTimeoutMs?: number;
}

/** Where the Debian package installs redis-server; `REDIS_SERVER_PATH` overrides it. */
export function redisServerPath(): string {
  return process.env['REDIS_SERVER_PATH'] ?? '/usr/bin/redis-server';
}

/** Whether redis-server is installed (suites skip with a reason when it is not). */
export function hasRedisServer(): boolean {
  return existsSync(redisServerPath());
}

/** Ask the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Send one inline PING and resolve true when `+PONG` comes back. */
async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

function spawnRedis(port: number): ChildProcess {
  return spawn(
    redisServerPath(),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

async function waitReady(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${stderr}`);
    if (await ping(port)) return;
    // Polling a fresh process: there is no event to wait for until it listens.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

/**
 * Start a redis-server on loopback.
 * @example
 * const redis = await startRedis();
 * afterAll(() => redis.stop());
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisHandle> {
  const port = options.port ?? (await freePort());
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  let child = spawnRedis(port);
  await waitReady(child, port, readyTimeoutMs);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid(): number {
      return child.pid ?? -1;
    },
    stop: () => kill(child),
    async restart(): Promise<void> {
      await kill(child);
      child = spawnRedis(port);
      await waitReady(child, port, readyTimeoutMs);
    },
  };
}
