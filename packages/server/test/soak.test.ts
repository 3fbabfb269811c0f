/**
 * Soak (CI length): churn of joins, leaves, signals, socket drops and resumes, and short-lived peers against
 * a server in its own process. Every accepted signal must arrive exactly once, no resume may lose its
 * session, and the server's RSS must stay flat (within 10 %) after warm-up. `npm run soak` runs 10 minutes.
 * SOAK_DURATION_MS sets the length (default 60 s).
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
    let report;
    try {
      report = await runChurnSoak({ url: `ws://127.0.0.1:${server.port}/`, durationMs: DURATION_MS });
    } finally {
      clearInterval(sampler);
    }
    // A 60 s run is mostly V8 warm-up (heap growth before the first full collections), so the first half
    // is warm-up here; the 10-minute `npm run soak` uses the first quarter.
    const trend = rssTrend(rss, 0.5, 0.2);

    expect(server.isRunning).toBe(true);
    expect(server.stderr()).not.toMatch(/UNHANDLED|UNCAUGHT/);
    expect(report.signalsAccepted).toBeGreaterThan(DURATION_MS / 100);
    expect(report.lost).toBe(0);
    expect(report.duplicated).toBe(0);
    expect(report.seqGaps).toBe(0);
    expect(report.sessionsLost).toBe(0);
    expect(report.reconnects).toBeGreaterThan(0);
    expect(report.transientPeers).toBeGreaterThan(0);
    expect(trend.growth, JSON.stringify(trend)).toBeLessThanOrEqual(0.1);
  });
});
