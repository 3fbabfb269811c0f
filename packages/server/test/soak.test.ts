/**
 * Soak (CI length): churn of joins, leaves, signals, socket drops and resumes, and short-lived peers against
 * a server in its own process. Every accepted signal must arrive exactly once, no resume may lose its
 * session, and the server's memory must stay flat after warm-up. `npm run soak` runs 10 minutes.
 * SOAK_DURATION_MS sets the length (default 60 s).
 *
 * Memory is judged by the live heap (heapUsed after a forced full collection, sampled three times after
 * warm-up and three times at the end) within 10 %. RSS is the wrong gauge for one minute: the 10-minute
 * soak shows it climbing ~25 % over the first three minutes while the live heap stays flat (V8 code space,
 * semi-spaces and malloc arenas filling up; docs/security.md), so a 60 s run only sees that climb. RSS still
 * has a gross bound here (25 %) to catch native leaks, and the full 10 % RSS bound applies to runs of five
 * minutes or more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChurnSoak, rssTrend, startServerChild, type ServerChild } from '@switchboard/testing';

const DURATION_MS = Number(process.env['SOAK_DURATION_MS'] ?? 60_000);

describe('soak', () => {
  let server: ServerChild;

  beforeAll(async () => {
    server = await startServerChild({});
  });
  afterAll(async () => {
    await server.stop();
  });

  it('loses no signal and keeps RSS flat under churn', { timeout: DURATION_MS + 90_000 }, async () => {
    const rss: number[] = [];
    const sampler = setInterval(() => {
      const value = server.rss();
      if (value !== undefined) rss.push(value);
    }, 500);
    const heapAt = (fraction: number): Promise<number> =>
      new Promise((resolve, reject) =>
        setTimeout(() => {
          server.liveHeap().then(resolve, reject);
        }, DURATION_MS * fraction),
      );
    const heapSamples = Promise.all([0.4, 0.5, 0.6, 0.8, 0.88, 0.96].map(heapAt));
    let report;
    try {
      report = await runChurnSoak({ url: `ws://127.0.0.1:${server.port}/`, durationMs: DURATION_MS });
    } finally {
      clearInterval(sampler);
    }
    const heaps = await heapSamples;
    const median = (values: number[]): number => values.sort((a, b) => a - b)[1]!;
    const heapGrowth = median(heaps.slice(3)) / median(heaps.slice(0, 3)) - 1;
    // The first half is warm-up: RSS climbs for 3 (quiet machine) to 5 (busy) minutes before it levels off.
    const isLong = DURATION_MS >= 5 * 60_000;
    const trend = rssTrend(rss, 0.5, isLong ? 0.15 : 0.2);

    expect(server.isRunning).toBe(true);
    expect(server.stderr()).not.toMatch(/UNHANDLED|UNCAUGHT/);
    expect(report.signalsAccepted).toBeGreaterThan(DURATION_MS / 100);
    expect(report.lost).toBe(0);
    expect(report.duplicated).toBe(0);
    expect(report.seqGaps).toBe(0);
    expect(report.sessionsLost).toBe(0);
    expect(report.reconnects).toBeGreaterThan(0);
    expect(report.transientPeers).toBeGreaterThan(0);
    const heapMb = heaps.map((bytes) => Math.round(bytes / 104857.6) / 10);
    expect(heapGrowth, `live heap MB ${JSON.stringify(heapMb)}`).toBeLessThanOrEqual(0.1);
    expect(trend.growth, JSON.stringify(trend)).toBeLessThanOrEqual(isLong ? 0.1 : 0.25);
  });
});
