/**
 * Test projects. Suites are split by what they need, because the WebRTC and browser suites run inside a
 * loopback-only network namespace (scripts/test.mjs) and the media ones must run one file at a time.
 * - unit:   pure modules and integration tests against a real server on port 0 (also Redis and coturn).
 * - webrtc: Node peers (@roamhq/wrtc) through a real server: `*.webrtc.test.ts`.
 * - e2e:    real Chromium via playwright-core: `*.e2e.test.ts`, one file at a time.
 * - nat:    real NAT in network namespaces it builds itself: `*.nat.test.ts`, needs root.
 */
import { defineConfig } from 'vitest/config';

const resolve = { conditions: ['source', 'module', 'node', 'default'] };
// Tests run in Vite's SSR environment, which takes its conditions from `ssr.resolve`, not `resolve`.
const ssr = { resolve: { conditions: resolve.conditions } };
// Suites that depend on real networks, real browsers and the machine's load may retry a failed test once,
// only when scripts/test.mjs asks (SB_TEST_RETRY): a direct `vitest run` never retries, so a flake is seen
// when it is being chased. Every retried test is printed as `flaky:` at the end of `npm test` (ADR 0013).
const retry = Number(process.env['SB_TEST_RETRY'] ?? 0) || 0;
const special = [
  '**/*.webrtc.test.ts',
  '**/*.e2e.test.ts',
  '**/*.nat.test.ts',
  '**/node_modules/**',
  '**/dist/**',
];

export default defineConfig({
  resolve,
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'apps/web/src/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          exclude: special,
          testTimeout: 20_000,
          hookTimeout: 30_000,
          pool: 'forks',
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'webrtc',
          retry,
          include: ['packages/*/src/**/*.webrtc.test.ts', 'packages/*/test/**/*.webrtc.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 30_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'e2e',
          retry,
          include: ['packages/*/test/**/*.e2e.test.ts', 'apps/web/test/**/*.e2e.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 60_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'nat',
          retry,
          include: ['packages/*/test/**/*.nat.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
