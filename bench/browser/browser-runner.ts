/**
 * Runs the Chromium workloads (issue 7, workloads 4–6). It must run inside a loopback-only network namespace
 * (run-browser-workloads.ts starts it there), where Chromium gathers only 127.0.0.1 candidates and nothing
 * else on the machine competes for the sockets. Usage:
 *   browser-runner.ts --only call-setup,signaling-cost,file-transfer [--quick] --out results.json
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CONTENDERS, REPO_ROOT } from '../contenders/contender-specs.js';
import { freePort } from '../harness/free-port.js';
import { startServerProcess, type ServerProcess } from '../harness/server-process.js';
import type { Measurement } from '../measurement.js';
import { BROWSER_CONTENDERS, type BrowserContender } from './browser-contenders.js';
import { benchCall, openCallPair, type CallPair } from './call-pair.js';
import { startCountingProxy } from './counting-proxy.js';
import { startPageServer } from './page-server.js';
import { percentile } from '../harness/latency-recorder.js';
import type { BrowserResult } from './browser-result.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: '' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const workloads = values.only.split(',');
const isQuick = values.quick;
const pages = await startPageServer();

/** Start the contender's server, optionally behind a counting proxy, open the pair, run `body`, stop it all. */
async function withPair<T>(
  contender: BrowserContender,
  useProxy: boolean,
  body: (pair: CallPair, proxy: Awaited<ReturnType<typeof startCountingProxy>> | undefined) => Promise<T>,
  oneWayDelayMs = 0,
): Promise<T> {
  const port = await freePort();
  const server: ServerProcess = await startServerProcess(
    CONTENDERS[contender.server].argv(port),
    port,
    REPO_ROOT,
  );
  const proxy = useProxy ? await startCountingProxy(port, { oneWayDelayMs }) : undefined;
  try {
    const pair = await openCallPair(contender, pages.origin, proxy?.port ?? port);
    try {
      return await body(pair, proxy);
    } finally {
      await pair.close();
    }
  } finally {
    proxy?.close();
    await server.stop();
  }
}

async function hangUp(pair: CallPair): Promise<void> {
  await Promise.all([benchCall(pair.caller, 'hangUp'), benchCall(pair.callee, 'hangUp')]);
}

/** Emulated round-trip time between each page and the broker, for the second call-setup variant. */
const RTT_MS = 50;

/** Median of `runs` calls; `rttMs` > 0 puts the broker that far away (counting-proxy.ts), else direct. */
async function callSetup(contender: BrowserContender, rttMs = 0): Promise<BrowserResult> {
  const runs = isQuick ? 3 : 20;
  const body = async (pair: CallPair): Promise<BrowserResult> => {
    const samples: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const ms = await benchCall<number>(pair.caller, 'call', {
        to: pair.calleeAddress,
        trickle: contender.trickle,
        media: false,
      });
      if (i >= 2) samples.push(ms); // two warm-up calls: the first call pays for lazy Chromium initialisation
      await hangUp(pair);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      workload: 'call-setup',
      runs,
      medianMs: percentile(sorted, 50),
      minMs: sorted[0]!,
      maxMs: sorted.at(-1)!,
      samplesMs: samples,
    };
  };
  return withPair(contender, rttMs > 0, body, rttMs / 2);
}

async function signalingCost(contender: BrowserContender, media: boolean): Promise<BrowserResult> {
  return withPair(contender, true, async (pair, proxy) => {
    if (media)
      await Promise.all([benchCall(pair.caller, 'prepareMedia'), benchCall(pair.callee, 'prepareMedia')]);
    proxy!.phase = 'call';
    await benchCall(pair.caller, 'call', { to: pair.calleeAddress, trickle: contender.trickle, media });
    const deadline = Date.now() + 10_000;
    while (!(await benchCall<boolean>(pair.callee, 'isSettled')) && Date.now() < deadline) await sleep(50);
    await sleep(500); // frames still in flight (late candidates, acks) belong to this setup
    const { session, call } = proxy!.counts;
    return {
      workload: 'signaling-cost',
      ...call,
      sessionFrames: session.framesToBroker + session.framesFromBroker,
      sessionBytes: session.bytesToBroker + session.bytesFromBroker,
    };
  });
}

async function fileTransfer(contender: BrowserContender): Promise<BrowserResult> {
  const bytes = (isQuick ? 8 : 64) * 2 ** 20;
  return withPair(contender, false, async (pair) => {
    await benchCall(pair.caller, 'call', {
      to: pair.calleeAddress,
      trickle: contender.trickle,
      media: false,
    });
    const { ms, longestGapMs } = await benchCall<{ ms: number; longestGapMs: number }>(
      pair.caller,
      'sendFile',
      {
        bytes,
        chunkBytes: 64 * 1024,
        highWaterBytes: 4 * 2 ** 20,
        lowWaterBytes: 1 * 2 ** 20,
      },
    );
    return {
      workload: 'file-transfer',
      bytes,
      seconds: ms / 1000,
      megabytesPerSecond: bytes / 2 ** 20 / (ms / 1000),
      maxMainThreadGapMs: longestGapMs,
    };
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const measurements: Measurement[] = [];
async function each(
  workload: Measurement['workload'],
  variant: string,
  contenders: readonly BrowserContender[],
  run: (c: BrowserContender) => Promise<BrowserResult>,
): Promise<void> {
  for (const contender of contenders) {
    const base = { workload, variant, contender: contender.name };
    const reason = contender.unavailableReason();
    if (reason !== undefined) {
      measurements.push({ ...base, skipped: reason });
      continue;
    }
    try {
      measurements.push({ ...base, result: await run(contender) });
    } catch (error) {
      measurements.push({
        ...base,
        result: { workload: 'failed', error: (error as Error).message.split('\n')[0] ?? '' },
      });
    }
    process.stderr.write(
      `  ${workload} ${variant} ${contender.name}: ${JSON.stringify(measurements.at(-1)!.result).slice(0, 160)}\n`,
    );
  }
}

const trickleOnly = BROWSER_CONTENDERS.filter((c) => c.trickle);
if (workloads.includes('call-setup')) {
  await each('call-setup', 'loopback, data channel', BROWSER_CONTENDERS, (c) => callSetup(c));
  // Quick mode checks the harness in under two minutes: the RTT variant repeats the same pages through the
  // delaying proxy, so it is left to full runs.
  if (!isQuick)
    await each('call-setup', `${RTT_MS} ms RTT to the broker, data channel`, BROWSER_CONTENDERS, (c) =>
      callSetup(c, RTT_MS),
    );
}
if (workloads.includes('signaling-cost')) {
  await each('signaling-cost', 'data channel', trickleOnly, (c) => signalingCost(c, false));
  await each('signaling-cost', 'audio+video', trickleOnly, (c) => signalingCost(c, true));
}
if (workloads.includes('file-transfer')) {
  await each(
    'file-transfer',
    `${isQuick ? 8 : 64} MiB`,
    trickleOnly.filter((c) => !c.name.includes('switchboard wire')),
    fileTransfer,
  );
}
await pages.close();
if (values.out) writeFileSync(values.out, JSON.stringify(measurements));
