/**
 * `/readyz` of cluster nodes. An HTTP endpoint has no event to wait on, so waiting polls it, bounded by a
 * deadline.
 */
import type { ClusterNode } from '@switchboard/testing';

/** Whether `/readyz` answers 200 now (a refused connection counts as not ready). */
export async function isReady(node: ClusterNode): Promise<boolean> {
  try {
    return (await fetch(`${node.httpUrl}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

/** Poll `/readyz` of every node until each says `expected`, or fail at the deadline. */
export async function waitReadiness(
  nodes: readonly ClusterNode[],
  expected: boolean,
  deadlineMs: number,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const states = await Promise.all(nodes.map(isReady));
    if (states.every((s) => s === expected)) return;
    if (Date.now() > deadline)
      throw new Error(`readiness is ${JSON.stringify(states)}, wanted ${String(expected)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
