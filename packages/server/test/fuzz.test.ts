/**
 * Short live-server fuzzing for CI (the long run is `npm run fuzz`): a few thousand generated and mutated
 * frames over several sockets. Every frame the decoder refuses must be answered with its documented code
 * (or end the socket with a documented close code), and so must a join the server's own checks refuse
 * (a bad nickname, a `maxPeers` over its limit); nothing may crash or reject unhandled, and the server
 * must keep serving a well-behaved client afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SwitchboardServer } from '@switchboard/server';
import { runLiveFuzz, UNLIMITED_RATE_OPTIONS } from '@switchboard/testing';
import { RawClient } from './security-client.js';

const FRAMES = Number(process.env['FUZZ_FRAMES'] ?? 4000);

describe('live server under fuzzing', () => {
  let server: SwitchboardServer;
  let url: string;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    // The rate limit is lifted so the fuzzer reaches the decoder and handlers, not just RATE_LIMITED.
    server = createServer({
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      ...UNLIMITED_RATE_OPTIONS,
    });
    const { port } = await server.listen();
    url = `ws://127.0.0.1:${port}/`;
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await server.close();
  });

  it(
    `answers each of ${FRAMES} fuzzed frames with its documented code and keeps serving`,
    { timeout: 120_000 },
    async () => {
      const rssBefore = process.memoryUsage().rss;
      const report = await runLiveFuzz({
        url,
        frames: FRAMES,
        connections: 4,
        batchSize: 8,
        deadlineMs: 100_000,
      });

      expect(report.framesSent).toBe(FRAMES);
      expect(report.undocumented).toEqual([]);
      expect(report.unexpectedCloses).toEqual([]);
      expect(report.unanswered).toEqual([]);
      expect(report.badFrames).toBeGreaterThan(FRAMES / 2);
      // Every refused frame got its code, or the RFC 6455 close that the socket library owes it; none was lost.
      expect(report.cutOffByClose).toBe(0);
      expect(report.answered + report.closedAsExpected).toBe(report.badFrames);
      // Joins asking for a room cap over the server's limit were judged too, and got INVALID_MAX_PEERS.
      expect(report.byKind['max-peers']).toBeGreaterThan(0);
      expect(report.codes['INVALID_MAX_PEERS']).toBeGreaterThan(0);
      expect(rejections).toEqual([]);
      // Bounded memory: the fuzzer and the server share this process; growth stays far below the frames' sum.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);

      // A well-behaved client is still served.
      const { client, welcome } = await RawClient.hello(url);
      expect(welcome.type).toBe('welcome');
      client.terminate();
    },
  );
});
