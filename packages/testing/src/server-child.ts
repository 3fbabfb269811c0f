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
    ['--conditions=source', '--import', 'tsx', entry, JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  let isRunning = true;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      isRunning = false;
      resolve(code);
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
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
