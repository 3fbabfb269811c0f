/**
 * A signal in flight when Redis goes away (ADR 0009). Its DELIVER may have run with the reply lost, or
 * never have reached Redis; the node cannot tell which. It used to be answered INTERNAL_ERROR, and the
 * client's resend then delivered it twice in the first case. Now the bus waits for Redis and runs it again,
 * idempotently by the origin's request id: either way it is appended exactly once and answered ok.
 */
import { numberedSignal, sessionRecord } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { dataOf, useProxiedRedis, type BusNode } from './proxied-redis.js';

describe('a deliver in flight when Redis goes away', () => {
  const redis = useProxiedRedis();
  let clusters = 0;

  /** Node `a` reaches Redis through the fault proxy, node `b` directly; the sender is on a, the target on b. */
  async function cluster() {
    clusters += 1;
    const a = await redis.startNode(`inflight${clusters}:`, 'a', 'proxy');
    const b = await redis.startNode(`inflight${clusters}:`, 'b', 'direct');
    const sender = sessionRecord('a');
    const target = sessionRecord('b');
    await a.bus.createSession(sender);
    await b.bus.createSession(target);
    // Load DELIVER into Redis's script cache first: an EVALSHA answered NOSCRIPT falls back to EVAL, and a
    // dropped NOSCRIPT reply would mean the script never ran at all.
    expect(await a.bus.deliver('nobody', numberedSignal('warm-up'))).toMatchObject({ ok: false });
    return { a, b, sender, target };
  }

  /** Cut node a off, and let it back once it has noticed, so the in-flight call fails and is retried. */
  async function bounce(a: BusNode): Promise<void> {
    redis.proxy.partition();
    await a.listener.next((e) => e.kind === 'ready' && !e.ready);
    redis.proxy.heal();
  }

  it('answers ok and appends once when the script ran but its reply was lost', async () => {
    const { a, b, sender, target } = await cluster();
    redis.proxy.dropReplies();
    const inFlight = a.bus.deliver(target.peerId, numberedSignal('x-1'), {
      sessionId: sender.sessionId,
      requestId: 1,
    });
    // The target's node is woken: the script ran in Redis, and its reply to node a is gone.
    await b.listener.until(() => b.listener.delivered(target.sessionId).length === 1);
    await bounce(a);
    expect(await inFlight).toEqual({ ok: true, seq: 1 });
    expect(
      await a.bus.deliver(target.peerId, numberedSignal('x-2'), {
        sessionId: sender.sessionId,
        requestId: 2,
      }),
    ).toEqual({ ok: true, seq: 2 });
    await b.listener.until(() => b.listener.delivered(target.sessionId).length >= 2);
    expect(b.listener.delivered(target.sessionId).map((f) => f.seq)).toEqual([1, 2]);
    expect(dataOf(await b.bus.readOutbox(target.sessionId, 0))).toEqual(['x-1', 'x-2']);
  }, 30_000);

  it('answers ok and appends once when the request never reached Redis', async () => {
    const { a, b, sender, target } = await cluster();
    const dropped = redis.proxy.dropRequests('y-1');
    const inFlight = a.bus.deliver(target.peerId, numberedSignal('y-1'), {
      sessionId: sender.sessionId,
      requestId: 1,
    });
    await dropped;
    expect(await b.bus.readOutbox(target.sessionId, 0)).toEqual([]);
    await bounce(a);
    expect(await inFlight).toEqual({ ok: true, seq: 1 });
    await b.listener.until(() => b.listener.delivered(target.sessionId).length === 1);
    expect(dataOf(await b.bus.readOutbox(target.sessionId, 0))).toEqual(['y-1']);
    expect((await b.bus.getSession(sender.sessionId))?.lastClientId).toBe(1);
  }, 30_000);
});
