/**
 * Thin, explicit wrappers over `ip netns` for tests that build their own network namespaces. Everything
 * a test starts in a namespace is started with `ip netns exec <ns> <command>` directly (no shell), and
 * `ip netns exec` execs, so the child's pid is the real process's pid and killing it stops it
 * (shared/reference/nat-lab.md §5.4, trap 3).
 */
import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/** Why namespace tests can run here, or why not (suites skip with this reason and never pass). */
export type NetnsSupport = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const NETNS_DIR = '/run/netns';

/** Whether this process can create network namespaces with `ip netns`, iptables and conntrack. */
export function checkNetnsSupport(): NetnsSupport {
  if (process.platform !== 'linux') return { ok: false, reason: 'network namespaces need Linux' };
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return { ok: false, reason: 'needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN)' };
  for (const tool of ['ip', 'iptables', 'conntrack']) {
    const found = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'].some((dir) => existsSync(`${dir}/${tool}`));
    if (!found) return { ok: false, reason: `\`${tool}\` is not installed` };
  }
  const probe = `sbprobe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
  } catch (error) {
    return { ok: false, reason: `\`ip netns add\` failed: ${(error as Error).message.split('\n')[0] ?? ''}` };
  }
  return { ok: true };
}

/** Run a command to completion; reject with its stderr when it fails. */
export function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error !== null)
        reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Run a command inside a namespace. */
export function runIn(netns: string, command: string, args: readonly string[]): Promise<string> {
  return run('ip', ['netns', 'exec', netns, command, ...args]);
}

/** Start a long-running process inside a namespace; its pid is the process's own. */
export function spawnIn(
  netns: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcess {
  return spawn('ip', ['netns', 'exec', netns, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
}

/** Pids of every process in a namespace. */
export function netnsPids(netns: string): number[] {
  try {
    return execFileSync('ip', ['netns', 'pids', netns], { encoding: 'utf8', stdio: 'pipe' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => Number.isInteger(pid) && pid > 0);
  } catch {
    return [];
  }
}

/**
 * Kill what is left in a namespace (by pid: only the processes we started there can be in it) and delete
 * it. Synchronous so it also works from a `process.on('exit')` handler. Safe to call twice.
 */
export function deleteNetnsSync(netns: string): void {
  for (const pid of netnsPids(netns)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  try {
    execFileSync('ip', ['netns', 'del', netns], { stdio: 'pipe' });
  } catch {
    // Did not exist (never created, or already deleted).
  }
}

/** Names of existing namespaces starting with `prefix`. */
export function listNetns(prefix: string): string[] {
  if (!existsSync(NETNS_DIR)) return [];
  return readdirSync(NETNS_DIR).filter((name) => name.startsWith(prefix));
}

/**
 * Delete namespaces left behind by a run of ours that died before its teardown. Names carry the creating
 * process's pid (`<base>-<pid>-…`), and only those whose creator is gone are removed.
 */
export function reapOrphanNetns(base: string): string[] {
  const reaped: string[] = [];
  for (const name of listNetns(`${base}-`)) {
    const pid = Number(name.slice(base.length + 1).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) {
      deleteNetnsSync(name);
      reaped.push(name);
    }
  }
  return reaped;
}

/** Wait until `child` exits or `timeoutMs` passes; resolves with whether it exited. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
