/**
 * Counts test outcomes for scripts/test.mjs, which prints one closing line over all projects
 * (`tests: N passed, N failed, N skipped`, the plain form CI reads). Vitest's own summary stays as it is.
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
      // A file that failed to load has no tests but must count as a failure.
      if (mod.state() === 'failed' && mod.children.size === 0) counts.failed += 1;
    }
    const file = process.env['SB_TEST_COUNTS_FILE'];
    if (file !== undefined) writeFileSync(file, JSON.stringify(counts));
  }
}
