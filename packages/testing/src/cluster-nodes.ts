/**
 * Start several real Switchboard server processes as one cluster on a Redis, through the CLI
 * (`switchboard serve --port 0 --redis URL`), for multi-node tests. Each node reports its bound port and its
 * process id in its "switchboard listening" log line; the test kills that pid (the bin launcher may run the
 * server in a child process, and killing only the launcher would orphan the server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One running server process. */
export interface ClusterNode {
  /** WebSocket URL: `ws://127.0.0.1:<port>/ws`. */
  readonly url: string;
  /** HTTP base URL: `http://127.0.0.1:<port>`. */
  readonly httpUrl: string;
  readonly port: number;
  /** The id the node's bus uses in Redis. */
  readonly nodeId: string;
  /** The pid of the process that serves (not the launcher's). */
  readonly pid: number;
  /** Every log line so far (pino JSON), for diagnosing a failure. */
  readonly logs: readonly string[];
  /** Resolves when the launcher has exited, with its exit code (or signal). */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** Send `signal` to the serving process and wait for the launcher to exit. */
  kill(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

/** Options for `startClusterNodes`. */
export interface StartClusterNodesOptions {
  /** `redis://127.0.0.1:<port>` of a running Redis. */
  readonly redisUrl: string;
  /** How many nodes. @default 3 */
  readonly count?: number;
  /** Extra `serve` flags for every node, e.g. `['--grace-ms', '2000']`. @default [] */
  readonly args?: readonly string[];
  /** How long a node may take to start listening. @default 20000 */
  readonly startTimeoutMs?: number;
}

const BIN = fileURLToPath(new URL('../../server/bin/switchboard.js', import.meta.url));

function startNode(options: StartClusterNodesOptions): Promise<ClusterNode> {
  // --no-stun: the embedded STUN server binds a fixed UDP port, which only one node per machine can hold.
  const args = [
    BIN,
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--no-stun',
    '--redis',
    options.redisUrl,
    '--log-level',
    'info',
  ];
  const child: ChildProcess = spawn(process.execPath, [...args, ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SWITCHBOARD_REDIS_URL: '' },
  });
  const logs: string[] = [];
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `a cluster node did not start within ${options.startTimeoutMs ?? 20_000} ms:\n${logs.join('\n')}`,
        ),
      );
    }, options.startTimeoutMs ?? 20_000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`a cluster node exited (${String(code)}) before listening:\n${logs.join('\n')}`));
    });
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        logs.push(line);
        if (line.includes('"switchboard listening"')) {
          const entry = JSON.parse(line) as { port: number; pid: number; nodeId: string };
          clearTimeout(timer);
          resolve({
            url: `ws://127.0.0.1:${entry.port}/ws`,
            httpUrl: `http://127.0.0.1:${entry.port}`,
            port: entry.port,
            nodeId: entry.nodeId,
            pid: entry.pid,
            logs,
            exited,
            async kill(signal: NodeJS.Signals = 'SIGTERM') {
              if (child.exitCode !== null || child.signalCode !== null) return exited;
              try {
                process.kill(entry.pid, signal);
              } catch {
                // Already gone; the launcher exits on its own.
              }
              // The launcher forwards SIGTERM itself; after a SIGKILL of the server it exits with it.
              return exited;
            },
          });
        }
        newline = buffered.indexOf('\n');
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  });
}

/**
 * Start `count` nodes on one Redis, one after another (so their logs stay readable), and return them.
 * @example
 * const nodes = await startClusterNodes({ redisUrl: redis.url, args: ['--grace-ms', '2000'] });
 * afterAll(() => Promise.all(nodes.map((n) => n.kill('SIGKILL'))));
 */
export async function startClusterNodes(options: StartClusterNodesOptions): Promise<ClusterNode[]> {
  const nodes: ClusterNode[] = [];
  try {
    for (let i = 0; i < (options.count ?? 3); i += 1) nodes.push(await startNode(options));
  } catch (error) {
    await Promise.all(nodes.map((node) => node.kill('SIGKILL')));
    throw error;
  }
  return nodes;
}
