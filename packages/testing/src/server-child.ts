/**
 * A Switchboard server in a child process, for runs that must tell a server crash from a harness crash
 * and measure the server's own memory: the fuzz and soak runs. The child prints its port, exits loudly
 * (code 70/71) on an unhandled rejection or exception, and is stopped by pid.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A running server child. */
export interface ServerChild {
  readonly port: number;
  readonly pid: number;
  /** Resolves with the exit code when the child exits. */
  readonly exited: Promise<number | null>;
  /** Whether the child is still running. */
  readonly isRunning: boolean;
  /** The child's resident set size now, in bytes (Linux /proc), or undefined once it is gone. */
  rss(): number | undefined;
  /**
   * The child's live JS heap in bytes: heapUsed right after a forced full collection. Unlike RSS it does
   * not climb while V8 and the allocator warm up, so a short run can tell a leak from warm-up.
   */
  liveHeap(): Promise<number>;
  /** The tail of the child's stderr (crash reports). */
  stderr(): string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash: nothing is flushed or drained), then wait for the exit. */
  kill(): Promise<number | null>;
}

/**
 * Start `createServer(options)` in a child process on a free loopback port.
 *
 * @param options server options as JSON (functions cannot cross the process boundary)
 */
export async function startServerChild(options: Record<string, unknown> = {}): Promise<ServerChild> {
  const entry = fileURLToPath(new URL('./server-child-main.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--conditions=source', '--import', 'tsx', entry, JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  // With an IPC channel in stdio the typings make every stream nullable; 'pipe' guarantees both exist.
  const { stdout: out, stderr: err } = child;
  if (out === null || err === null) throw new Error('the server child has no stdout/stderr pipes');
  let stderr = '';
  err.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  let isRunning = true;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      isRunning = false;
      resolve(code);
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: out });
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as { port?: number };
      if (typeof parsed.port === 'number') resolve(parsed.port);
    });
    void exited.then((code) =>
      reject(new Error(`server child exited (${code}) before listening: ${stderr}`)),
    );
  });
  const pid = child.pid!;
  return {
    port,
    pid,
    exited,
    get isRunning() {
      return isRunning;
    },
    rss: () => {
      try {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return match === null ? undefined : Number(match[1]) * 1024;
      } catch {
        return undefined;
      }
    },
    liveHeap: () =>
      new Promise<number>((resolve, reject) => {
        const onMessage = (message: unknown): void => {
          const reply = message as { type?: string; bytes?: number };
          if (reply.type !== 'live-heap' || typeof reply.bytes !== 'number') return;
          child.off('message', onMessage);
          resolve(reply.bytes);
        };
        child.on('message', onMessage);
        if (!isRunning || !child.send({ type: 'live-heap' })) {
          child.off('message', onMessage);
          reject(new Error('the server child is gone'));
        }
      }),
    stderr: () => stderr,
    stop: async () => {
      if (isRunning) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (isRunning) child.kill('SIGKILL');
      return exited;
    },
  };
}
