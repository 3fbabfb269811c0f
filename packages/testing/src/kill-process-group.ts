/**
 * Killing a CLI started by a test. `bin/switchboard.js` runs the server as its own child when there is no
 * build, so killing only the launcher with SIGKILL (which it cannot forward) leaves the server running. A
 * child spawned with `detached: true` leads its own process group; signalling the group reaches both.
 */
import type { ChildProcess } from 'node:child_process';

/** Send `signal` to the process group `child` leads (spawned `detached: true`), or to `child` alone. */
export function killProcessGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Not a group leader (spawned without `detached`): the launcher alone is what we can reach.
    child.kill(signal);
  }
}
