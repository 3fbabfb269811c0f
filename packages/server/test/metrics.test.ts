import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, startServer, type StartedServer } from '@switchboard/testing';
import { acked } from './helpers/acked.js';

/** The value of one sample line (`name{labels} value`) of a Prometheus text page, or undefined. */
function sample(page: string, series: string): number | undefined {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  let started: StartedServer;
  beforeAll(async () => {
    started = await startServer({ maxRoomsPerSession: 1 });
  });
  afterAll(() => started.close());

  it('names every metric switchboard_* once, with no doubled process prefix', async () => {
    const page = await (await fetch(`${started.httpUrl}/metrics`)).text();
    expect(page).toContain('switchboard_process_cpu_seconds_total');
    expect(page).toContain('switchboard_nodejs_eventloop_lag_seconds');
    expect(page).not.toContain('switchboard_process_process_');
    const names = page
      .split('\n')
      .filter((l) => l.startsWith('# TYPE '))
      .map((l) => l.split(' ')[2] ?? '');
    expect(names.filter((n) => !n.startsWith('switchboard_'))).toEqual([]);
  });

  it('counts sessions, rooms, relayed signals, errors by code, limit hits by limit and outbox depth', async () => {
    const a = await RawClient.hello(started.url);
    const b = await RawClient.hello(started.url);
    for (const [peer, nickname] of [
      [a, 'A'],
      [b, 'B'],
    ] as const) {
      peer.client.send({ type: 'join', id: 1, room: 'metered', metadata: { nickname } });
      await peer.client.next((f) => f.type === 'roster');
    }
    await a.client.next((f) => f.type === 'peer-joined');
    a.client.send({ type: 'signal', id: 2, to: b.welcome.peerId, data: 'hi' });
    a.client.send({ type: 'signal', id: 3, to: 'nobody', data: 'hi' });
    a.client.send({ type: 'join', id: 4, room: 'second', metadata: { nickname: 'A' } });
    await b.client.next((f) => f.type === 'signal');
    await a.client.next((f) => f.type === 'error' && f.ref === 4);
    await acked(a.client, 4);

    const page = await (await fetch(`${started.httpUrl}/metrics`)).text();
    expect(sample(page, 'switchboard_sessions')).toBe(2);
    expect(sample(page, 'switchboard_rooms')).toBe(1);
    expect(sample(page, 'switchboard_signals_relayed_total')).toBe(1);
    expect(sample(page, 'switchboard_errors_total{code="PEER_NOT_FOUND"}')).toBe(1);
    expect(sample(page, 'switchboard_errors_total{code="TOO_MANY_ROOMS"}')).toBe(1);
    expect(sample(page, 'switchboard_limit_hits_total{limit="rooms_per_session"}')).toBe(1);
    // Neither raw client acknowledges anything, so every sequenced frame it got is still in its outbox.
    expect(sample(page, 'switchboard_outbox_depth_frames')).toBe(a.client.lastSeq + b.client.lastSeq);
    expect(sample(page, 'switchboard_outbox_depth_max_frames')).toBe(
      Math.max(a.client.lastSeq, b.client.lastSeq),
    );
    await Promise.all([a.client.close(), b.client.close()]);
  });
});
