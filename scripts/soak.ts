/**
 * `npm run soak`: 10 minutes of churn (joins, leaves, signals, socket drops and resumes, short-lived peers)
 * against a server in its own process (issue 8). Fails (exit 1) if any accepted signal is lost or
 * duplicated, a resume loses its session, the server dies, or its RSS grows more than 10 % after warm-up.
 * A bad flag or variable exits 2 before anything starts.
 *
 *   npm run soak                                # 10 minutes
 *   npm run soak -- --duration-ms 120000        # 2 minutes (or SOAK_DURATION_MS=120000)
 *   npm run soak -- --help                      # flags win over the SOAK_* variables
 */
import {
  formatRunFlags,
  parseRunFlags,
  runChurnSoak,
  rssTrend,
  startServerChild,
  type RunFlag,
} from '@switchboard/testing';

const FLAGS = {
  'duration-ms': { env: 'SOAK_DURATION_MS', fallback: 10 * 60_000, description: 'how long to churn' },
} satisfies Record<string, RunFlag>;

const parsed = parseRunFlags(FLAGS, process.argv.slice(2), process.env);
if (!parsed.ok) {
  console.error(`npm run soak: ${parsed.message}\n${formatRunFlags('npm run soak --', FLAGS)}`);
  process.exit(2);
}
if (parsed.isHelp) {
  console.log(formatRunFlags('npm run soak --', FLAGS));
  process.exit(0);
}
const DURATION_MS = parsed.values['duration-ms'];
const MAX_GROWTH = 0.1;

const server = await startServerChild({});
const rss: number[] = [];
const sampler = setInterval(() => {
  const value = server.rss();
  if (value !== undefined) rss.push(value);
}, 1000);
// The live heap (after a forced full collection) at the end of warm-up and at the end: RSS can climb with
// allocator and code-space warm-up, the live heap climbs only with retained objects.
const liveHeap: number[] = [];
const heapProbes = [0.5, 0.99].map((fraction) =>
  setTimeout(() => {
    void server.liveHeap().then((bytes) => liveHeap.push(bytes));
  }, DURATION_MS * fraction),
);
console.log(`soaking ws://127.0.0.1:${server.port}/ for ${DURATION_MS / 1000} s (server pid ${server.pid})`);

const report = await runChurnSoak({
  url: `ws://127.0.0.1:${server.port}/`,
  durationMs: DURATION_MS,
  onTick: (r) => {
    if (Math.round(r.elapsedMs / 1000) % 30 === 0) {
      const mb = ((rss.at(-1) ?? 0) / 1048576).toFixed(1);
      console.log(
        `  ${Math.round(r.elapsedMs / 1000)} s: ${r.signalsSent} signals, ${r.reconnects} resumes, ${r.transientPeers} visitors, server RSS ${mb} MB`,
      );
    }
  },
});
clearInterval(sampler);
heapProbes.forEach(clearTimeout);
const isAlive = server.isRunning;
await server.stop();
// Warm-up is the first half: RSS climbs for ~3 minutes on a quiet machine and ~5 on a busy one (allocator
// arenas, code space, semi-spaces; docs/security.md) while the live heap stays flat, so a quarter is too short.
const trend = rssTrend(rss, 0.5, 0.15);
const heapMb = liveHeap.map((bytes) => Math.round(bytes / 104857.6) / 10);
const heapGrowth = liveHeap.length === 2 ? liveHeap[1]! / liveHeap[0]! - 1 : Number.NaN;
console.log(JSON.stringify({ ...report, rss: trend, liveHeapMb: heapMb }, null, 2));

const failures: string[] = [];
if (!isAlive) failures.push(`the server died: ${server.stderr().slice(-1000)}`);
if (/UNHANDLED|UNCAUGHT/.test(server.stderr()))
  failures.push(`the server reported: ${server.stderr().slice(-1000)}`);
if (report.lost > 0) failures.push(`${report.lost} accepted signals were never delivered`);
if (report.duplicated > 0) failures.push(`${report.duplicated} signals were delivered more than once`);
if (report.seqGaps > 0) failures.push(`${report.seqGaps} sequenced frames skipped or repeated a seq`);
if (report.sessionsLost > 0) failures.push(`${report.sessionsLost} resumes lost their session`);
if (trend.growth > MAX_GROWTH)
  failures.push(
    `RSS grew ${(trend.growth * 100).toFixed(1)} % after warm-up (${trend.baselineMb} → ${trend.finalMb} MB)`,
  );
if (!(heapGrowth <= MAX_GROWTH))
  failures.push(
    `the live heap grew ${(heapGrowth * 100).toFixed(1)} % after warm-up (${heapMb.join(' → ')} MB)`,
  );
if (failures.length > 0) {
  console.error(`SOAK FAILED:\n- ${failures.join('\n- ')}`);
  process.exitCode = 1;
} else {
  console.log(
    `soak passed: ${report.signalsAccepted} signals accepted, 0 lost, 0 duplicated; RSS ${trend.baselineMb} → ${trend.finalMb} MB (${(trend.growth * 100).toFixed(1)} %); live heap ${heapMb.join(' → ')} MB`,
  );
}
