import type { SequencedServerMessage } from '@switchboard/protocol';
import { RecordingListener } from '@switchboard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliverySink, SessionRecord } from './cluster-bus.js';
import { InMemoryClusterBus } from './in-memory-cluster-bus.js';
import { InMemoryClusterHub } from './in-memory-cluster-hub.js';

const LIMITS = { maxOutbox: 8, maxPeersPerRoom: 10, graceMs: 60_000 };

class RecordingSink implements DeliverySink {
  readonly frames: SequencedServerMessage[] = [];
  deliverOne(frame: SequencedServerMessage): void {
    this.frames.push(frame);
  }
}

function record(sessionId: string, peerId: string): SessionRecord {
  return {
    sessionId,
    peerId,
    resumeSecretHash: 'h',
    identity: undefined,
    rooms: [],
    lastClientId: 0,
    nodeId: undefined,
    expiresAt: undefined,
  };
}

const signal = (n: number) => ({ type: 'signal', from: 'p0', data: { n } }) as const;

describe('InMemoryClusterHub held sessions (InlineClusterOps.hold)', () => {
  const buses: InMemoryClusterBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  async function node(
    hub: InMemoryClusterHub,
  ): Promise<{ bus: InMemoryClusterBus; listener: RecordingListener }> {
    const bus = new InMemoryClusterBus({ hub });
    const listener = new RecordingListener();
    await bus.start(listener, LIMITS);
    buses.push(bus);
    return { bus, listener };
  }

  it('wakes the holder directly, not the listener, and through the listener again once released', async () => {
    const hub = new InMemoryClusterHub();
    const { bus, listener } = await node(hub);
    await bus.createSession(record('s1', 'p1'));
    const sink = new RecordingSink();
    expect(bus.inline.hold('s1', sink)).toBeDefined();

    expect(bus.inline.deliver('p1', signal(1))).toEqual({ ok: true, seq: 1 });
    expect(sink.frames.map((f) => f.seq)).toEqual([1]);
    expect(listener.delivered('s1')).toEqual([]);

    bus.inline.release('s1', sink);
    expect(bus.inline.deliver('p1', signal(2))).toEqual({ ok: true, seq: 2 });
    expect(sink.frames.map((f) => f.seq)).toEqual([1]);
    expect(listener.delivered('s1').map((f) => f.seq)).toEqual([2]);
  });

  it('acks the outbox and persists lastClientId through the session handle', async () => {
    const hub = new InMemoryClusterHub();
    const { bus } = await node(hub);
    await bus.createSession(record('s1', 'p1'));
    const ops = bus.inline.hold('s1', new RecordingSink());
    for (let n = 1; n <= 3; n++) bus.inline.deliver('p1', signal(n));

    ops?.ackOutbox(2);
    ops?.persistClientId(7);

    expect((await bus.readOutbox('s1', 0)).map((f) => f.seq)).toEqual([3]);
    expect((await bus.getSession('s1'))?.lastClientId).toBe(7);
  });

  it('returns no handle for an unknown session', async () => {
    const { bus } = await node(new InMemoryClusterHub());
    expect(bus.inline.hold('nope', new RecordingSink())).toBeUndefined();
  });

  it('wakes the node the session moved to, not a stale holder, after a takeover', async () => {
    const hub = new InMemoryClusterHub();
    const a = await node(hub);
    const b = await node(hub);
    await a.bus.createSession(record('s1', 'p1'));
    const sinkA = new RecordingSink();
    a.bus.inline.hold('s1', sinkA);

    await b.bus.attachSession('s1'); // b has not held it yet: it is woken through its listener
    a.bus.inline.deliver('p1', signal(1));
    expect(sinkA.frames).toEqual([]);
    expect(b.listener.delivered('s1').map((f) => f.seq)).toEqual([1]);

    const sinkB = new RecordingSink();
    b.bus.inline.hold('s1', sinkB);
    a.bus.inline.release('s1', sinkA); // a's late release leaves b's hold in place
    a.bus.inline.deliver('p1', signal(2));
    expect(sinkB.frames.map((f) => f.seq)).toEqual([2]);
  });

  it('wakes no holder on a crashed node', async () => {
    const hub = new InMemoryClusterHub({ nodeFailureTimeoutMs: 60_000 });
    const a = await node(hub);
    const b = await node(hub);
    await a.bus.createSession(record('s1', 'p1'));
    const sink = new RecordingSink();
    a.bus.inline.hold('s1', sink);

    hub.crash(a.bus.nodeId);
    expect(b.bus.inline.deliver('p1', signal(1))).toEqual({ ok: true, seq: 1 });
    expect(sink.frames).toEqual([]);
    expect(a.listener.delivered('s1')).toEqual([]);
  });
});
