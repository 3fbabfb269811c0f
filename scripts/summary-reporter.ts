/**
 * Counts test outcomes for scripts/test.mjs, which prints one closing line over all projects
 * (`tests: N passed, N failed, N skipped`, the plain form CI reads) followed by the name of each failed test.
 * The names are repeated there because CI logs are often read from the tail only, far below Vitest's own
 * failure report. Vitest's own summary stays as it is.
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const counts = { passed: 0, failed: 0, skipped: 0, failures: [] as string[], flaky: [] as string[] };
    for (const mod of testModules) {
      const modulePath = mod.moduleId.replace(`${process.cwd()}/`, '');
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') {
          counts.passed += 1;
          const retries = test.diagnostic()?.retryCount ?? 0;
          if (retries > 0)
            counts.flaky.push(`${modulePath} > ${test.fullName} (passed after ${retries} retry)`);
        } else if (state === 'failed') {
          counts.failed += 1;
          const result = test.result();
          const first =
            (result.state === 'failed' ? result.errors[0]?.message : undefined)?.split('\n')[0] ?? '';
          counts.failures.push(`${modulePath} > ${test.fullName}: ${first.slice(0, 300)}`);
        } else counts.skipped += 1;
      }
      // A file that failed to load has no tests but must count as a failure.
      if (mod.state() === 'failed' && mod.children.size === 0) {
        counts.failed += 1;
        counts.failures.push(`${modulePath}: failed to load`);
      }
    }
    const file = process.env['SB_TEST_COUNTS_FILE'];
    if (file !== undefined) writeFileSync(file, JSON.stringify(counts));
  }
}
