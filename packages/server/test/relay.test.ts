import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalParty } from '@switchboard/server';
import { RawClient, startServer, type StartedServer } from '@switchboard/testing';
import { faultyClusterBus } from './helpers/faulty-cluster-bus.js';
import { acked } from './helpers/acked.js';
import { inRoom } from './helpers/in-room.js';

describe('relay', () => {
  let started: StartedServer;
  beforeAll(async () => {
    started = await startServer();
  });
  afterAll(() => started.close());

  it('relays signals both ways, stamping the true sender', async () => {
    const a = await inRoom(started.url, 'relay', 'A');
    const b = await inRoom(started.url, 'relay', 'B');
    const offer = { sdp: { type: 'offer', sdp: 'v=0\r\n...' }, nested: [1, { x: null }] };
    a.client.send({ type: 'signal', id: a.client.id(), to: b.welcome.peerId, data: offer });
    expect(await b.client.next((f) => f.type === 'signal')).toMatchObject({
      from: a.welcome.peerId,
      data: offer,
    });
    b.client.send({ type: 'signal', id: b.client.id(), to: a.welcome.peerId, data: 'answer' });
    expect(await a.client.next((f) => f.type === 'signal')).toMatchObject({
      from: b.welcome.peerId,
      data: 'answer',
    });
    await acked(a.client, 2);
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('piggybacks the request ack on the next frame to the sender instead of a standalone ack', async () => {
    // A standalone ack would wait 10 s: the one b's answer carries is the only one a gets in between.
    const slow = await startServer({ ackDelayMs: 10_000 });
    const a = await inRoom(slow.url, 'ride', 'A');
    const b = await inRoom(slow.url, 'ride', 'B');
    a.client.send({ type: 'signal', id: a.client.id(), to: b.welcome.peerId, data: { offer: 1 } });
    await b.client.next((f) => f.type === 'signal');
    b.client.send({ type: 'signal', id: b.client.id(), to: a.welcome.peerId, data: { answer: 1 } });
    expect(await a.client.next((f) => f.type === 'signal')).toEqual({
      type: 'signal',
      seq: expect.any(Number),
      from: b.welcome.peerId,
      ack: 2,
      data: { answer: 1 },
    });
    b.client.send({ type: 'ping', t: 7 });
    expect(await b.client.next((f) => f.type === 'pong')).toEqual({ type: 'pong', t: 7, ack: 2 });
    expect(a.client.all('ack')).toEqual([]);
    await Promise.all([a.client.close(), b.client.close()]);
    await slow.close();
  });

  it('does not hold the ack of an update, which apps await, for the long ack delay', async () => {
    const slow = await startServer({ ackDelayMs: 10_000 });
    const a = await inRoom(slow.url, 'prompt', 'A');
    a.client.send({ type: 'update', id: a.client.id(), metadata: { status: 'busy' } });
    expect(await a.client.next((f) => f.type === 'ack')).toEqual({ type: 'ack', id: 2 });
    await a.client.close();
    await slow.close();
  });

  it('fails a signal to a peer that does not exist at once, with PEER_NOT_FOUND', async () => {
    const a = await inRoom(started.url, 'nobody', 'A');
    const id = a.client.id();
    a.client.send({ type: 'signal', id, to: 'no-such-peer', data: 1 });
    const error = await a.client.next((f) => f.type === 'error', 1000);
    expect(error).toMatchObject({ code: 'PEER_NOT_FOUND', ref: id, seq: expect.any(Number) });
    await a.client.close();
  });

  it('refuses a signal carrying its own `from`, and relays nothing', async () => {
    const a = await inRoom(started.url, 'forge', 'A');
    const b = await inRoom(started.url, 'forge', 'B');
    const victim = await inRoom(started.url, 'forge', 'V');
    const id = a.client.id();
    a.client.send({ type: 'signal', id, to: b.welcome.peerId, from: victim.welcome.peerId, data: 'forged' });
    expect(await a.client.next((f) => f.type === 'error')).toMatchObject({ code: 'INVALID_FRAME', ref: id });
    a.client.send({ type: 'signal', id: a.client.id(), to: b.welcome.peerId, data: 'honest' });
    const received = await b.client.next((f) => f.type === 'signal');
    expect(received).toMatchObject({ from: a.welcome.peerId, data: 'honest' });
    expect(b.client.all('signal')).toHaveLength(1);
    await Promise.all([a.client.close(), b.client.close(), victim.client.close()]);
  });

  it('refuses a signal to a peer in no shared room under the default policy', async () => {
    const a = await inRoom(started.url, 'room-a', 'A');
    const b = await inRoom(started.url, 'room-b', 'B');
    const id = a.client.id();
    a.client.send({ type: 'signal', id, to: b.welcome.peerId, data: 1 });
    expect(await a.client.next((f) => f.type === 'error')).toMatchObject({
      code: 'SIGNAL_FORBIDDEN',
      ref: id,
    });
    await Promise.all([a.client.close(), b.client.close()]);
  });
});

describe('relay cost', () => {
  it('costs one bus call per signal under the default policy: the delivery, which checks the rooms', async () => {
    const calls: string[] = [];
    const started = await startServer({
      bus: faultyClusterBus({
        delayTurns: (operation) => {
          calls.push(operation);
          return 0;
        },
      }),
    });
    const a = await inRoom(started.url, 'cost', 'A');
    const b = await inRoom(started.url, 'cost', 'B');
    // The joins' acks persist lastClientId first; after them, the signal's own ack may do so again.
    await Promise.all([a, b].map((p) => acked(p.client, 1)));
    calls.length = 0;
    a.client.send({ type: 'signal', id: 2, to: b.welcome.peerId, data: 'one' });
    await b.client.next((f) => f.type === 'signal');
    expect(calls.filter((operation) => operation !== 'updateSession')).toEqual(['deliver']);
    await started.close();
  });
});

describe('relay with a policy the bus cannot apply itself', () => {
  it.each([
    ['a plugged-in policy', { signalPolicy: (_from: unknown, to: SignalParty) => to.rooms.includes('vip') }],
    ['the same-room policy on a bus without delivery preconditions', {}],
  ] as const)('reads the target and asks %s before delivering', async (_name, options) => {
    const started = await startServer({
      ...options,
      bus: faultyClusterBus({ isWithoutPreconditions: true }),
    });
    const a = await inRoom(started.url, 'vip', 'A');
    const b = await inRoom(started.url, 'vip', 'B');
    const outsider = await inRoom(started.url, 'hall', 'C');
    a.client.send({ type: 'signal', id: 2, to: b.welcome.peerId, data: 'in' });
    expect(await b.client.next((f) => f.type === 'signal')).toMatchObject({ from: a.welcome.peerId });
    a.client.send({ type: 'signal', id: 3, to: outsider.welcome.peerId, data: 'out' });
    expect(await a.client.next((f) => f.type === 'error')).toMatchObject({
      code: 'SIGNAL_FORBIDDEN',
      ref: 3,
    });
    a.client.send({ type: 'signal', id: 4, to: 'no-such-peer', data: 'x' });
    expect(await a.client.next((f) => f.type === 'error' && f.ref === 4)).toMatchObject({
      code: 'PEER_NOT_FOUND',
    });
    expect(outsider.client.all('signal')).toEqual([]);
    await started.close();
  });
});

describe('relay with signalPolicy "any"', () => {
  it('relays between peers that share no room', async () => {
    const started = await startServer({ signalPolicy: 'any' });
    const a = await RawClient.hello(started.url);
    const b = await RawClient.hello(started.url);
    a.client.send({ type: 'signal', id: 1, to: b.welcome.peerId, data: 'hi' });
    expect(await b.client.next((f) => f.type === 'signal')).toMatchObject({
      from: a.welcome.peerId,
      data: 'hi',
    });
    await started.close();
  });
});
