/**
 * Spawn a real coturn (Debian `turnserver`) for a test suite, configured for the TURN REST scheme
 * (`use-auth-secret`), and stop it by pid. The flags are the ones verified in shared/reference/lab.md §4:
 * no config file, no CLI, no TLS/DTLS, a private sqlite user db and pid file (so nothing is written to
 * /var), and `--verbose` so ALLOCATE/CREATE_PERMISSION outcomes appear in the log for assertions.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForExit } from './netns.js';

/** Where Debian puts coturn's server binary. */
export const TURNSERVER_PATH = '/usr/bin/turnserver';

/** Private ranges coturn must refuse as peers (RFC 1918); see docs/operations/nat.md and nat-lab.md §5.2. */
export const PRIVATE_PEER_RANGES: readonly string[] = [
  '10.0.0.0-10.255.255.255',
  '172.16.0.0-172.31.255.255',
  '192.168.0.0-192.168.255.255',
];

/** Options of `startCoturn`. */
export interface CoturnOptions {
  /** The shared secret (`static-auth-secret`); repeat entries for rotation tests. */
  readonly secrets: readonly string[];
  /** TURN realm. @default 'switchboard.test' */
  readonly realm?: string;
  /** Address to listen on. @default '127.0.0.1' */
  readonly listeningIp?: string;
  /** Address relays are allocated on. @default listeningIp */
  readonly relayIp?: string;
  /** Listening port (UDP and TCP); 0 picks a free one when not in a namespace. @default 0 */
  readonly port?: number;
  /** Relay port range; defaults to 40 random ports in 49152-65535 so parallel suites rarely collide. */
  readonly relayPorts?: { readonly min: number; readonly max: number };
  /** Allow peers on loopback: needed when everything runs on 127.0.0.1 (dev only). @default false */
  readonly allowLoopbackPeers?: boolean;
  /** Peer ranges to refuse (`--denied-peer-ip`). @default [] */
  readonly deniedPeerRanges?: readonly string[];
  /** Run inside this network namespace via `ip netns exec` (which execs, so the pid is coturn's). */
  readonly netns?: string;
  /** How long to wait for coturn to say it is ready. @default 10000 */
  readonly startTimeoutMs?: number;
}

/** A running coturn. */
export interface CoturnHandle {
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  readonly realm: string;
  /** `turn:host:port?transport=udp` */
  readonly udpUrl: string;
  /** `turn:host:port?transport=tcp` */
  readonly tcpUrl: string;
  /** Everything coturn has logged so far. */
  log(): string;
  /** Stop it by pid (TERM, then KILL after 3 s) and remove its files. */
  close(): Promise<void>;
}

/** Whether coturn is installed. */
export function hasCoturn(): boolean {
  return existsSync(TURNSERVER_PATH);
}

/** A port that is free for both TCP and UDP on `host` right now. */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, host, () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, host, () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error(`no free TCP+UDP port on ${host}`);
}

/**
 * Start coturn and resolve once it logs "Total General servers" (its ready line).
 *
 * @example
 * const turn = await startCoturn({ secrets: ['s3cret'], allowLoopbackPeers: true });
 * // iceServers: [{ urls: turn.udpUrl, username, credential }]
 * await turn.close();
 */
export async function startCoturn(options: CoturnOptions): Promise<CoturnHandle> {
  const host = options.listeningIp ?? '127.0.0.1';
  const realm = options.realm ?? 'switchboard.test';
  const port = options.port !== undefined && options.port !== 0 ? options.port : await findFreePort(host);
  const relayMin = options.relayPorts?.min ?? 49152 + Math.floor(Math.random() * 16000);
  const relayMax = options.relayPorts?.max ?? relayMin + 40;
  const dir = mkdtempSync(join(tmpdir(), 'sb-coturn-'));
  const args = [
    '-n',
    `--listening-ip=${host}`,
    `--relay-ip=${options.relayIp ?? host}`,
    `--listening-port=${port}`,
    `--min-port=${relayMin}`,
    `--max-port=${relayMax}`,
    '--use-auth-secret',
    ...options.secrets.map((secret) => `--static-auth-secret=${secret}`),
    `--realm=${realm}`,
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--fingerprint',
    '--no-software-attribute',
    `--userdb=${join(dir, 'turndb.sqlite')}`,
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    ...(options.allowLoopbackPeers === true ? ['--allow-loopback-peers'] : []),
    ...(options.deniedPeerRanges ?? []).map((range) => `--denied-peer-ip=${range}`),
    '--log-file=stdout',
    '--simple-log',
    '--verbose',
  ];
  const [command, commandArgs] =
    options.netns === undefined
      ? [TURNSERVER_PATH, args]
      : ['ip', ['netns', 'exec', options.netns, TURNSERVER_PATH, ...args]];
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`coturn not ready within ${options.startTimeoutMs ?? 10_000} ms:\n${output}`)),
      options.startTimeoutMs ?? 10_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Total General servers')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`coturn exited with ${String(code)} before it was ready:\n${output}`));
    });
    child.once('error', reject);
  });
  const close = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 3000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 3000);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (error) {
    await close();
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    pid: child.pid ?? -1,
    host,
    port,
    realm,
    udpUrl: `turn:${urlHost}:${port}?transport=udp`,
    tcpUrl: `turn:${urlHost}:${port}?transport=tcp`,
    log: () => output,
    close,
  };
}
