/**
 * One contender server as its own process, started fresh for each measurement and pinned to the server core.
 * Ready means: its port accepts TCP connections. Stopped means: SIGTERM to the pid we started, then SIGKILL
 * to that pid and any children it left if it does not exit within 3 s.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { pinned, SERVER_CORE } from './cpu-pinning.js';
import { processTree } from './proc-stats.js';

/** A running contender. */
export interface ServerProcess {
  pid: number;
  port: number;
  /** The last few KB of the server's stdout+stderr, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const OUTPUT_TAIL_BYTES = 8192;

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Start `argv` (already containing the port) pinned to the server core and wait until `port` accepts. */
export async function startServerProcess(
  argv: readonly string[],
  port: number,
  cwd: string,
): Promise<ServerProcess> {
  const [command, ...args] = pinned(SERVER_CORE, argv);
  const child = spawn(command!, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${argv.join(' ')}`);

  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (!(await canConnect(port))) {
    if (exitCode !== undefined) throw new Error(`server exited with ${exitCode} before listening:\n${tail}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not listen on ${port} within ${READY_TIMEOUT_MS} ms:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    pid,
    port,
    output: () => tail,
    async stop() {
      if (exitCode !== undefined) return;
      const tree = processTree(pid);
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const member of tree) {
          try {
            process.kill(member, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }, 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
