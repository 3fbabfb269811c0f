/**
 * Starts browser-runner.ts inside a fresh loopback-only network namespace (`unshare -n`, then `ip link set lo
 * up`), under `flock` on a lock file in the OS temp dir so that only one Chromium-heavy run happens on the machine at a time.
 * Chromium then gathers 127.0.0.1 candidates only (shared/reference/lab.md §1.4).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasChromium } from '@switchboard/testing';
import type { Measurement } from '../measurement.js';
import type { RunOptions, WorkloadName } from '../run-options.js';

/** The workloads that need Chromium. */
export const BROWSER_WORKLOADS: readonly WorkloadName[] = ['call-setup', 'signaling-cost', 'file-transfer'];

const RUNNER = fileURLToPath(new URL('./browser-runner.ts', import.meta.url));
const RUNNER_TIMEOUT_MS = 15 * 60_000;

function skipAll(workloads: readonly WorkloadName[], reason: string): Measurement[] {
  return workloads.map((workload) => ({ workload, variant: 'all', contender: 'all', skipped: reason }));
}

function whyCannotRun(): string | undefined {
  if (!hasChromium()) return 'Chromium is not installed (apt-get install -y chromium)';
  if (process.getuid?.() !== 0) return 'needs root for a loopback-only network namespace (unshare -n)';
  for (const tool of ['/usr/bin/unshare', '/usr/bin/flock'])
    if (!existsSync(tool)) return `${tool} is missing`;
  return undefined;
}

/** Run the selected browser workloads; every contender that cannot run comes back as skipped with its reason. */
export async function runBrowserWorkloads(
  workloads: readonly WorkloadName[],
  options: RunOptions,
): Promise<Measurement[]> {
  const reason = whyCannotRun();
  if (reason !== undefined) return skipAll(workloads, reason);
  const out = join(tmpdir(), `switchboard-bench-browser-${process.pid}.json`);
  const inner = [
    process.execPath,
    '--conditions=source',
    '--import',
    'tsx',
    RUNNER,
    '--only',
    workloads.join(','),
    '--out',
    out,
  ];
  if (options.isQuick) inner.push('--quick');
  const script = `ip link set lo up && exec ${inner.map((a) => `'${a}'`).join(' ')}`;
  const child = spawn(
    'flock',
    [join(tmpdir(), 'switchboard-media.lock'), 'unshare', '-n', 'sh', '-c', script],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), RUNNER_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (!existsSync(out))
    return skipAll(workloads, `browser runner exited with ${code} before writing results`);
  const measurements = JSON.parse(readFileSync(out, 'utf8')) as Measurement[];
  rmSync(out);
  return measurements;
}
