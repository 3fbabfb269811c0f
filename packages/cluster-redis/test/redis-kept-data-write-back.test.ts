/**
 * The splice-and-renumber write-back (write-back-scripts.ts), when Redis comes back after an outage having
 * KEPT its data: node A is partitioned from a Redis that keeps running (the restarted-empty path is
 * redis-restart.test.ts). Meanwhile A sequences frames for a session it holds on its own (seqs the client
 * sees at once), and node B, which still reaches Redis, appends to the same outbox at the same seqs in
 * Redis. When A is back, its frames must be spliced in at the seqs it handed out and B's renumbered after
 * them: the client sees every frame once, in order, with no gap, and a resume on B replays the same.
 */
import { numberedSignal, sessionRecord } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { dataOf, useProxiedRedis } from './proxied-redis.js';

describe('write-back after a partition from a Redis that kept its data', () => {
  const cluster = useProxiedRedis();

  it('splices the local frames in at their seqs and renumbers the ones Redis took meanwhile after them', async () => {
    const a = await cluster.startNode('kept:', 'a', 'proxy');
    const b = await cluster.startNode('kept:', 'b', 'direct');
    const sender = sessionRecord('a');
    const target = sessionRecord('a');
    await a.bus.createSession(sender);
    await a.bus.createSession(target);

    // Before: three frames, the first two acknowledged by the client.
    for (const n of [1, 2, 3]) await b.bus.deliver(target.peerId, numberedSignal(`before-${n}`));
    await a.listener.until(() => a.listener.delivered(target.sessionId).length === 3);
    await a.bus.ackOutbox(target.sessionId, 2);

    cluster.proxy.partition();
    await a.listener.next((e) => e.kind === 'ready' && !e.ready);

    // A, cut off, sequences frames for the session it holds itself: the client sees seqs 4..7 now.
    const local = [];
    for (const n of [1, 2, 3, 4]) {
      const origin = { sessionId: sender.sessionId, requestId: n };
      local.push(await a.bus.deliver(target.peerId, numberedSignal(`local-${n}`), origin));
    }
    expect(local.map((r) => r.ok && r.seq)).toEqual([4, 5, 6, 7]);
    // B, still connected, appends to the same outbox in Redis, which numbers them 4..6 too.
    const remote = [];
    for (const n of [1, 2, 3]) remote.push(await b.bus.deliver(target.peerId, numberedSignal(`remote-${n}`)));
    expect(remote.map((r) => r.ok && r.seq)).toEqual([4, 5, 6]);
    await a.listener.until(() => a.listener.delivered(target.sessionId).length === 7);

    cluster.proxy.heal();
    await a.listener.next((e) => e.kind === 'ready' && e.ready);
    await a.listener.until(() => a.listener.delivered(target.sessionId).length >= 10);

    const expected = [
      'before-1',
      'before-2',
      'before-3',
      'local-1',
      'local-2',
      'local-3',
      'local-4',
      'remote-1',
      'remote-2',
      'remote-3',
    ];
    const woken = a.listener.delivered(target.sessionId);
    expect(woken.map((f) => f.seq)).toEqual(expected.map((_, i) => i + 1));
    expect(dataOf(woken)).toEqual(expected);

    // Traffic goes on at the next seq, and a resume on B replays exactly what the client saw after its ack.
    expect(await b.bus.deliver(target.peerId, numberedSignal('after'))).toEqual({ ok: true, seq: 11 });
    await a.listener.until(() => a.listener.delivered(target.sessionId).length === 11);
    expect(await b.bus.attachSession(target.sessionId)).toMatchObject({ nodeId: 'a' });
    const replayed = await b.bus.readOutbox(target.sessionId, 2);
    expect(replayed.map((f) => f.seq)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(dataOf(replayed)).toEqual([...expected.slice(2), 'after']);
    // The local frames' requests count as done in Redis too: a resend after the resume is recognised.
    expect((await b.bus.getSession(sender.sessionId))?.lastClientId).toBe(4);
  }, 30_000);
});
