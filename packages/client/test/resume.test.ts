/**
 * Resume under fire: a TCP proxy tears one client's socket out from under it, again and again, while
 * signals flow; nothing may be lost, reordered or duplicated. Also the paths around it: requests queued while
 * reconnecting, a session that outlived its grace window (session-lost), and the timeout announcement.
 */
import { ExponentialBackoffPolicy, SignalingClient, type SignalingClientOptions } from '@switchboard/client';
import { startServer, startTcpProxy, type StartedServer, type TcpProxy } from '@switchboard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nextEvent, nextState } from './next-event.js';

const SIGNALS = 1000;
const KILL_EVERY = 100;
const BATCH = 50;

/** Fast retries: the proxy drops are deliberate and the server is right there. */
const fastPolicy = new ExponentialBackoffPolicy({ baseDelayMs: 20, maxDelayMs: 200 });

describe('resume under fire', () => {
  let server: StartedServer;
  let proxy: TcpProxy;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    // Raised rate and outbox limits: this test hammers one pair on purpose; the limits have their own tests.
    server = await startServer({ messagesPerSecond: 100_000, messageBurst: 100_000, maxOutbox: 5_000 });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });
  afterEach(async () => {
    proxy.unblock();
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  async function pair(room: string): Promise<{ flaky: SignalingClient; steady: SignalingClient }> {
    const base: Omit<SignalingClientOptions, 'url'> = { WebSocket, reconnectPolicy: fastPolicy };
    const flaky = new SignalingClient({ url: proxy.wsUrl('/ws'), ...base });
    const steady = new SignalingClient({ url: server.url, ...base });
    clients.push(flaky, steady);
    await Promise.all([flaky.connect(), steady.connect()]);
    await flaky.join(room, { nickname: 'flaky' });
    const joined = nextEvent(flaky, 'peer-joined');
    await steady.join(room, { nickname: 'steady' });
    await joined;
    return { flaky, steady };
  }

  /** Send numbered signals in batches of BATCH, each batch awaited, then a final 'end' marker. */
  async function sendNumbered(from: SignalingClient, to: string): Promise<void> {
    for (let start = 0; start < SIGNALS; start += BATCH) {
      const sends: Promise<void>[] = [];
      for (let n = start; n < start + BATCH; n += 1) sends.push(from.signal(to, { n }));
      await Promise.all(sends);
    }
    await from.signal(to, 'end');
  }

  /**
   * Send numbered signals from the flaky client, killing its socket in the middle of every KILL_EVERY. The
   * proxy runs on this same event loop, so at the kill the frames just sent still sit in kernel buffers,
   * unread: the reset discards them, and so are the frames written to the dead socket before its close is
   * noticed. The server never sees them; only the client's resend after the resume can deliver them.
   */
  async function sendThroughKills(from: SignalingClient, to: string): Promise<number> {
    let kills = 0;
    for (let start = 0; start < SIGNALS; start += KILL_EVERY) {
      const sends: Promise<void>[] = [];
      for (let n = start; n < start + KILL_EVERY; n += 1) {
        sends.push(from.signal(to, { n }));
        if (n === start + KILL_EVERY / 2 && proxy.destroyAll() > 0) kills += 1;
      }
      // Every signal promise must resolve: none may be rejected or dropped across the resumes.
      await Promise.all(sends);
    }
    await from.signal(to, 'end');
    return kills;
  }

  /**
   * Collect numbered signals at `to` until 'end'. Every KILL_EVERY arrivals a kill of the flaky client's
   * socket falls due; it is carried out at the first arrival that finds that client connected, so that each
   * kill hits a live session rather than one that is still reconnecting from the previous kill.
   */
  function collect(
    to: SignalingClient,
    from: string,
    flaky: SignalingClient | undefined,
  ): { done: Promise<number[]>; kills: () => number } {
    const received: number[] = [];
    let kills = 0;
    let isKillDue = false;
    const done = new Promise<number[]>((resolve) => {
      const off = to.on('signal', (sender, data) => {
        if (sender !== from) return;
        if (data === 'end') {
          off();
          resolve(received);
          return;
        }
        received.push((data as { n: number }).n);
        if (received.length % KILL_EVERY === 0 && received.length < SIGNALS) isKillDue = true;
        if (isKillDue && flaky?.state.state === 'connected' && proxy.destroyAll() > 0) {
          isKillDue = false;
          kills += 1;
        }
      });
    });
    return { done, kills: () => kills };
  }

  const inOrderOnce = Array.from({ length: SIGNALS }, (_, n) => n);

  /** What went wrong, if anything, in a form that reads well in a failed assertion. */
  function anomalies(received: readonly number[]): {
    duplicates: number[];
    missing: number[];
    reordered: number;
  } {
    const seen = new Set<number>();
    const duplicates: number[] = [];
    let reordered = 0;
    received.forEach((n, i) => {
      if (seen.has(n)) duplicates.push(n);
      seen.add(n);
      if (i > 0 && n < received[i - 1]!) reordered += 1;
    });
    return { duplicates, missing: inOrderOnce.filter((n) => !seen.has(n)), reordered };
  }

  /**
   * One signal each way after the storm. The last kill may land after the final frames were already in the
   * flaky client's receive buffer, so the storm can end before that socket's death is noticed; the round trip
   * waits for the reconnect it forces, and proves the pair still works.
   */
  async function roundTrip(flaky: SignalingClient, steady: SignalingClient): Promise<void> {
    const atSteady = nextEvent(steady, 'signal', (_from, data) => data === 'after-storm');
    await flaky.signal(steady.peerId!, 'after-storm');
    await atSteady;
    const atFlaky = nextEvent(flaky, 'signal', (_from, data) => data === 'after-storm');
    await steady.signal(flaky.peerId!, 'after-storm');
    await atFlaky;
  }

  /** Errors the flaky client reported other than the lost connections the test causes on purpose. */
  function unexpectedErrors(client: SignalingClient): string[] {
    const errors: string[] = [];
    client.on('error', (error) => errors.push(`${error.code}: ${error.message}`));
    return errors;
  }

  it('delivers 1,000 signals to a client whose socket keeps dying, in order, none twice', async () => {
    const { flaky, steady } = await pair('fire-in');
    const resumed: boolean[] = [];
    flaky.on('welcome', (welcome) => resumed.push(welcome.resumed));
    const errors = unexpectedErrors(flaky);
    const collected = collect(flaky, steady.peerId!, flaky);
    await sendNumbered(steady, flaky.peerId!);
    const received = await collected.done;
    expect({ anomalies: anomalies(received), errors }).toEqual({
      anomalies: { duplicates: [], missing: [], reordered: 0 },
      errors: [],
    });
    expect(received).toEqual(inOrderOnce);
    expect(collected.kills()).toBeGreaterThanOrEqual(5);
    await roundTrip(flaky, steady);
    // Every reconnect resumed the same session; none fell back to a fresh one.
    expect(resumed.length).toBeGreaterThanOrEqual(collected.kills());
    expect(resumed.every(Boolean)).toBe(true);
  }, 120_000);

  it('delivers 1,000 signals from a client whose socket keeps dying, in order, none twice', async () => {
    const { flaky, steady } = await pair('fire-out');
    const resumed: boolean[] = [];
    flaky.on('welcome', (welcome) => resumed.push(welcome.resumed));
    const errors = unexpectedErrors(flaky);
    const collected = collect(steady, flaky.peerId!, undefined);
    const kills = await sendThroughKills(flaky, steady.peerId!);
    const received = await collected.done;
    expect({ anomalies: anomalies(received), errors }).toEqual({
      anomalies: { duplicates: [], missing: [], reordered: 0 },
      errors: [],
    });
    expect(received).toEqual(inOrderOnce);
    expect(kills).toBe(SIGNALS / KILL_EVERY);
    await roundTrip(flaky, steady);
    expect(resumed.length).toBeGreaterThanOrEqual(kills);
    expect(resumed.every(Boolean)).toBe(true);
  }, 120_000);

  it('queues requests made while reconnecting and sends them after the resume', async () => {
    const { flaky, steady } = await pair('queue');
    proxy.block();
    const reconnecting = nextState(flaky, 'reconnecting');
    proxy.destroyAll();
    await reconnecting;
    const firstAtSteady = nextEvent(steady, 'signal', (_from, data) => data === 'queued-2');
    const received: unknown[] = [];
    steady.on('signal', (_from, data) => received.push(data));
    const sends = [flaky.signal(steady.peerId!, 'queued-1'), flaky.signal(steady.peerId!, 'queued-2')];
    expect(flaky.state.state).not.toBe('connected');
    const welcomed = nextEvent(flaky, 'welcome');
    proxy.unblock();
    const [welcome] = await welcomed;
    expect(welcome.resumed).toBe(true);
    await Promise.all(sends);
    await firstAtSteady;
    expect(received).toEqual(['queued-1', 'queued-2']);
  });

  it('announces a peer gone past its grace window as left (timeout) and tells it the session was lost', async () => {
    // A short grace window, so it runs out within the test; its end is awaited as an event, not slept.
    const shortGrace = await startServer({ graceMs: 300 });
    const shortProxy = await startTcpProxy({ host: '127.0.0.1', port: shortGrace.port });
    const base = { WebSocket, reconnectPolicy: fastPolicy } as const;
    const flaky = new SignalingClient({ url: shortProxy.wsUrl('/ws'), ...base });
    const steady = new SignalingClient({ url: shortGrace.url, ...base });
    try {
      await Promise.all([flaky.connect(), steady.connect()]);
      await flaky.join('grace', { nickname: 'flaky', status: 'away' });
      const joined = nextEvent(flaky, 'peer-joined');
      await steady.join('grace', { nickname: 'steady' });
      await joined;
      const oldPeerId = flaky.peerId!;

      shortProxy.block();
      const reconnectingSeen = nextEvent(steady, 'peer-updated', (_r, peer) => peer.state === 'reconnecting');
      const timedOut = nextEvent(steady, 'peer-left', (_room, peerId) => peerId === oldPeerId);
      shortProxy.destroyAll();
      await reconnectingSeen;
      // Made while the session is dying: its delivery can no longer be promised once the session is gone.
      const orphan = flaky.signal(steady.peerId!, 'orphan').catch((error: unknown) => error);
      expect((await timedOut)[2]).toBe('timeout');
      await expect(steady.signal(oldPeerId, 'too late')).rejects.toMatchObject({ code: 'PEER_NOT_FOUND' });

      const lost = nextEvent(flaky, 'session-lost');
      const rejoinedAtSteady = nextEvent(steady, 'peer-joined', (_room, peer) => peer.peerId !== oldPeerId);
      shortProxy.unblock();
      const [info] = await lost;
      expect(info.previousPeerId).toBe(oldPeerId);
      expect(info.peerId).toBe(flaky.peerId);
      expect(info.peerId).not.toBe(oldPeerId);
      expect(await orphan).toMatchObject({ code: 'SESSION_LOST' });
      // The room is rejoined with its last metadata, under the new peer id.
      const [, peer] = await rejoinedAtSteady;
      expect(peer).toMatchObject({ peerId: flaky.peerId, metadata: { nickname: 'flaky', status: 'away' } });
      await nextEvent(flaky, 'roster', (snapshot) => snapshot.room === 'grace');
      expect(flaky.rooms).toEqual(['grace']);
      // And the new session works.
      const atSteady = nextEvent(steady, 'signal');
      await flaky.signal(steady.peerId!, 'fresh');
      expect(await atSteady).toEqual([flaky.peerId, 'fresh']);
    } finally {
      await Promise.all([flaky.close(), steady.close()]);
      await shortProxy.close();
      await shortGrace.close();
    }
  });
});
