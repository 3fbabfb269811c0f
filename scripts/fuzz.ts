/**
 * `npm run fuzz`: the long live-server fuzz run (issue 8). It starts a real server in a child process,
 * so that a crash shows up as an exit and RSS is the server's alone. It sends ≥ 1,000,000 generated and
 * mutated frames over several sockets, samples the server's RSS, and fails (exit 1) on any crash, any
 * unhandled rejection, any refused frame without its documented code, or unbounded memory. A bad flag or
 * variable exits 2 before anything starts.
 *
 *   npm run fuzz                          # 1,000,000 frames, 8 sockets
 *   npm run fuzz -- --frames 50000        # a quick look (or FUZZ_FRAMES=50000)
 *   npm run fuzz -- --seed 123            # replay a run (or FUZZ_SEED=123)
 *   npm run fuzz -- --help                # every flag; flags win over the FUZZ_* variables
 */
import {
  formatRunFlags,
  parseRunFlags,
  runLiveFuzz,
  startServerChild,
  UNLIMITED_RATE_OPTIONS,
  type LiveFuzzReport,
  type RunFlag,
} from '@switchboard/testing';

const FLAGS = {
  frames: { env: 'FUZZ_FRAMES', fallback: 1_000_000, description: 'frames to send in total' },
  connections: { env: 'FUZZ_CONNECTIONS', fallback: 8, description: 'sockets fuzzing in parallel' },
  seed: { env: 'FUZZ_SEED', fallback: undefined, description: 'fast-check seed (default random)' },
  'deadline-ms': { env: 'FUZZ_DEADLINE_MS', fallback: 45 * 60_000, description: 'give up after this long' },
  // Whatever the frames, 64 KiB frame cap × sockets is far below the default.
  'rss-limit-mb': {
    env: 'FUZZ_RSS_LIMIT_MB',
    fallback: 400,
    description: "the server's RSS may not exceed this",
  },
} satisfies Record<string, RunFlag>;

const parsed = parseRunFlags(FLAGS, process.argv.slice(2), process.env);
if (!parsed.ok) {
  console.error(`npm run fuzz: ${parsed.message}\n${formatRunFlags('npm run fuzz --', FLAGS)}`);
  process.exit(2);
}
if (parsed.isHelp) {
  console.log(formatRunFlags('npm run fuzz --', FLAGS));
  process.exit(0);
}
const FRAMES = parsed.values.frames;
const CONNECTIONS = parsed.values.connections;
const DEADLINE_MS = parsed.values['deadline-ms'];
// Never 0, so that every printed seed can be replayed with --seed.
const SEED = parsed.values.seed ?? 1 + Math.floor(Math.random() * (2 ** 31 - 1));
const RSS_LIMIT_BYTES = parsed.values['rss-limit-mb'] * 1024 * 1024;

process.exitCode = await main();

async function main(): Promise<number> {
  // The rate limit is lifted so frames reach the decoder and handlers; it is tested on its own elsewhere.
  const server = await startServerChild({ ...UNLIMITED_RATE_OPTIONS, maxConnectionsPerIp: 1000 });
  const port = server.port;
  const rss: number[] = [];
  const sampler = setInterval(() => {
    const value = server.rss();
    if (value !== undefined) rss.push(value);
  }, 1000);

  console.log(
    `fuzzing ws://127.0.0.1:${port}/ with ${FRAMES} frames over ${CONNECTIONS} sockets, seed ${SEED}`,
  );
  let report: LiveFuzzReport | undefined;
  let harnessError: unknown;
  try {
    report = await runLiveFuzz({
      url: `ws://127.0.0.1:${port}/`,
      frames: FRAMES,
      connections: CONNECTIONS,
      batchSize: 32,
      seed: SEED,
      deadlineMs: DEADLINE_MS,
      onProgress: (r) => {
        if (r.framesSent % 50_000 < 1000) {
          const mb = ((rss.at(-1) ?? 0) / 1048576).toFixed(0);
          console.log(
            `  ${r.framesSent} frames, ${r.badFrames} bad, ${r.unansweredCount} unanswered, ${(r.elapsedMs / 1000).toFixed(0)} s, server RSS ${mb} MB`,
          );
        }
      },
    });
  } catch (error) {
    harnessError = error;
  }
  clearInterval(sampler);
  const isAliveAtEnd = server.isRunning;
  const exitCode = await server.stop();
  const stderr = server.stderr();

  const maxRss = Math.max(...rss);
  const failures: string[] = [];
  if (harnessError !== undefined)
    failures.push(
      `harness: ${harnessError instanceof Error ? harnessError.message : JSON.stringify(harnessError)}`,
    );
  if (!isAliveAtEnd) failures.push(`server died during the run (exit ${exitCode}): ${stderr.slice(-1000)}`);
  if (/UNHANDLED|UNCAUGHT/.test(stderr)) failures.push(`server reported: ${stderr.slice(-1000)}`);
  if (report !== undefined) {
    if (report.framesSent < FRAMES)
      failures.push(`only ${report.framesSent} of ${FRAMES} frames were sent before the deadline`);
    if (report.unansweredCount > 0)
      failures.push(
        `${report.unansweredCount} refused frames got no answer: ${JSON.stringify(report.unanswered.slice(0, 5))}`,
      );
    if (report.undocumented.length > 0)
      failures.push(`undocumented codes: ${report.undocumented.join(', ')}`);
    if (report.unexpectedCloses.length > 0)
      failures.push(`undocumented close codes: ${report.unexpectedCloses.join(', ')}`);
  }
  if (maxRss > RSS_LIMIT_BYTES) failures.push(`server RSS reached ${(maxRss / 1048576).toFixed(0)} MB`);

  console.log(
    JSON.stringify(
      { seed: SEED, ...report, maxRssMb: Math.round(maxRss / 1048576), rssSamples: rss.length },
      null,
      2,
    ),
  );
  if (failures.length > 0) {
    console.error(`FUZZ FAILED:\n- ${failures.join('\n- ')}`);
    return 1;
  }
  console.log(
    `fuzz passed: ${report?.framesSent} frames, 0 crashes, 0 unanswered, max server RSS ${(maxRss / 1048576).toFixed(0)} MB`,
  );
  return 0;
}
