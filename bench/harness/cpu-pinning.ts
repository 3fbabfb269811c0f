/**
 * Core pinning (issue 7 fairness rule): the server runs on core 0 and the load generator on core 1, so they
 * never steal each other's time slices. Where `taskset` is missing or the machine has one core, commands
 * run unpinned and the report says so.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** The core the server under test runs on. */
export const SERVER_CORE = 0;
/** The core the load generator runs on. */
export const GENERATOR_CORE = 1;

let hasTaskset: boolean | undefined;
/** Whether commands can be pinned here. */
export function canPin(): boolean {
  if (hasTaskset === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      hasTaskset = availableParallelism() >= 2;
    } catch {
      hasTaskset = false;
    }
  }
  return hasTaskset;
}

/** `argv` prefixed with `taskset -c <core>` when pinning is possible (taskset execs, so the pid is kept). */
export function pinned(core: number, argv: readonly string[]): string[] {
  return canPin() ? ['taskset', '-c', String(core), ...argv] : [...argv];
}
