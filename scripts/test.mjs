#!/usr/bin/env node
/**
 * `npm test`: runs every suite, the way CI does.
 *
 * 1. When running as root on Debian, installs the system packages the suites need and says so
 *    (chromium, redis-server, coturn, iptables, conntrack, iproute2). Elsewhere it only reports what is missing;
 *    suites that need a missing component report themselves skipped with the reason.
 * 2. Runs the `unit` project (pure modules, real server on port 0, Redis, coturn) in the normal namespace.
 * 3. Runs `webrtc` and `e2e` inside a private network namespace that holds only loopback (`unshare -n`),
 *    because WebRTC gathers candidates on every interface (shared/reference/lab.md §1.4).
 * 4. Runs `nat`, which builds its own namespaces (needs root).
 * Prints one closing line `tests: N passed, N failed, N skipped` over all projects, then `failed: <test>` for each
 * failure, so the tail of a CI log names what broke.
 *
 * 5. A failed test in `webrtc`, `e2e` or `nat` is retried once; a test that passed only on retry is printed as
 *    `flaky: <test>` at the end, so it stays visible (ADR 0013). `--no-retry` runs without retries.
 *
 * Usage: npm test [-- --project unit|webrtc|e2e|nat ...] [-- --no-retry] [-- <extra vitest args>]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const isRoot = process.getuid?.() === 0;
const args = process.argv.slice(2);
const chosen = [];
const passthrough = [];
// The webrtc, e2e and nat suites retry a failed test once (ADR 0013); `--no-retry` turns that off.
let retry = '1';
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--project') chosen.push(args[(i += 1)]);
  else if (args[i] === '--no-retry') retry = '0';
  else passthrough.push(args[i]);
}
const projects = chosen.length > 0 ? chosen : ['unit', 'webrtc', 'e2e', 'nat'];

const SYSTEM_PACKAGES = [
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
  { bin: '/usr/bin/redis-server', pkg: 'redis-server' },
  { bin: '/usr/bin/turnserver', pkg: 'coturn' },
  { bin: '/usr/sbin/iptables', pkg: 'iptables' },
  { bin: '/usr/sbin/conntrack', pkg: 'conntrack' },
  { bin: '/usr/bin/unshare', pkg: 'util-linux' },
  { bin: '/usr/sbin/ip', pkg: 'iproute2', alt: '/bin/ip' },
];

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((p) => !existsSync(p.bin) && !(p.alt && existsSync(p.alt))).map(
    (p) => p.pkg,
  );
  if (missing.length === 0) return;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log(`[test] installing missing system packages with apt-get: ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
    if (update.status !== 0 || install.status !== 0)
      console.log('[test] apt-get failed; suites needing those packages will skip with a reason');
  } else {
    console.log(
      `[test] missing system packages (not root or no apt-get, not installing): ${missing.join(' ')}`,
    );
  }
}

const canUnshare =
  isRoot && existsSync('/usr/bin/unshare') && (existsSync('/usr/sbin/ip') || existsSync('/bin/ip'));
const countsDir = mkdtempSync(join(tmpdir(), 'sb-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const flaky = [];
let exitCode = 0;

function runProject(project) {
  const countsFile = join(countsDir, `${project}.json`);
  const vitest = [
    'node_modules/.bin/vitest',
    'run',
    '--project',
    project,
    '--passWithNoTests',
    ...passthrough,
  ];
  const env = { ...process.env, SB_TEST_COUNTS_FILE: countsFile, SB_TEST_RETRY: retry };
  const inNetns = (project === 'webrtc' || project === 'e2e') && canUnshare;
  const cmd = inNetns ? 'unshare' : vitest[0];
  const cmdArgs = inNetns
    ? ['-n', 'sh', '-c', `ip link set lo up && exec ${vitest.map((a) => `'${a}'`).join(' ')}`]
    : vitest.slice(1);
  console.log(`\n[test] project ${project}${inNetns ? ' (loopback-only network namespace)' : ''}`);
  const result = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env });
  if (result.status !== 0) exitCode = 1;
  if (existsSync(countsFile)) {
    const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    for (const name of counts.failures ?? []) failures.push(`[${project}] ${name}`);
    for (const name of counts.flaky ?? []) flaky.push(`[${project}] ${name}`);
  } else if (result.status !== 0) {
    totals.failed += 1;
    failures.push(`[${project}] vitest exited ${result.status ?? result.signal} without a report`);
  }
}

ensureSystemPackages();
if (!canUnshare)
  console.log('[test] no root/unshare: webrtc and e2e suites run in the current network namespace');
for (const project of projects) runProject(project);
rmSync(countsDir, { recursive: true, force: true });
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
for (const name of flaky) console.log(`flaky: ${name}`);
for (const name of failures) console.log(`failed: ${name}`);
process.exit(exitCode);
