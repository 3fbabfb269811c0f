import { describe, expect, it } from 'vitest';
import { TaskBudget } from './task-budget.js';

describe('TaskBudget', () => {
  it('is spent once its slice has used the budget', () => {
    expect(new TaskBudget(60_000).isSpent()).toBe(false);
    expect(new TaskBudget(0).isSpent()).toBe(true);
  });

  it('nextTask() lets tasks queued before it run first, then starts a new slice', async () => {
    const budget = new TaskBudget(50);
    const started = performance.now();
    while (performance.now() - started < 60); // use up the slice
    expect(budget.isSpent()).toBe(true);
    let hasQueuedTaskRun = false;
    setImmediate(() => {
      hasQueuedTaskRun = true;
    });
    await budget.nextTask();
    expect(hasQueuedTaskRun).toBe(true);
    expect(budget.isSpent()).toBe(false);
  });
});
