import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type WelcomeMessage } from '@switchboard/protocol';
import { RawClient, startServer, type StartedServer } from '@switchboard/testing';
import { acked } from './helpers/acked.js';

async function metric(httpUrl: string, line: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(line));
  return found === undefined ? 0 : Number(found.slice(line.length).trim());
}

describe('the edge', () => {
  let started: StartedServer;
  let bystander: { client: RawClient; welcome: WelcomeMessage };
  let partner: { client: RawClient; welcome: WelcomeMessage };

  beforeAll(async () => {
    started = await startServer({
      maxFrameBytes: 4096,
      messagesPerSecond: 20,
      messageBurst: 20,
      handshakeTimeoutMs: 300,
      maxConnectionsPerIp: 8,
    });
    bystander = await RawClient.hello(started.url);
    partner = await RawClient.hello(started.url);
    for (const peer of [bystander, partner]) {
      peer.client.send({
        type: 'join',
        id: peer.client.id(),
        room: 'edge',
        metadata: { nickname: peer === bystander ? 'By' : 'Pa' },
      });
      await peer.client.next((f) => f.type === 'roster');
    }
  });
  afterAll(() => started.close());

  /** Everyone else is still served: the bystander and its partner can still exchange a signal. */
  async function othersStillServed(): Promise<void> {
    const data = Math.random();
    bystander.client.send({ type: 'signal', id: bystander.client.id(), to: partner.welcome.peerId, data });
    expect(await partner.client.next((f) => f.type === 'signal' && f.data === data)).toMatchObject({
      from: bystander.welcome.peerId,
    });
  }

  it('answers a frame that is not JSON with INVALID_JSON and keeps the socket', async () => {
    const { client } = await RawClient.hello(started.url);
    client.send('{"type": "signal", oops');
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'INVALID_JSON' });
    client.send({ type: 'ping', t: 7 });
    expect(await client.next((f) => f.type === 'pong')).toEqual({ type: 'pong', t: 7 });
    await othersStillServed();
    await client.close();
  });

  it('answers an oversize frame with FRAME_TOO_LARGE before parsing it, and keeps the socket', async () => {
    const { client } = await RawClient.hello(started.url);
    client.send({ type: 'signal', id: 1, to: partner.welcome.peerId, data: 'x'.repeat(5000) });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'FRAME_TOO_LARGE' });
    expect(
      partner.client.all('signal').some((s) => typeof s.data === 'string' && s.data.length === 5000),
    ).toBe(false);
    client.send({ type: 'ping' });
    await client.next((f) => f.type === 'pong');
    expect(
      await metric(started.httpUrl, 'switchboard_limit_hits_total{limit="frame_size"}'),
    ).toBeGreaterThanOrEqual(1);
    await othersStillServed();
    await client.close();
  });

  it('closes a socket that sends a frame far over the cap (1009), without harm to others', async () => {
    const client = await RawClient.connect(started.url);
    client.send('x'.repeat(4096 * 2 + 1));
    expect((await client.closed).code).toBe(1009);
    await othersStillServed();
  });

  it('answers unknown types, missing and extra fields, and binary frames with their codes', async () => {
    const { client } = await RawClient.hello(started.url);
    client.send({ type: 'teleport', id: 5 });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'UNKNOWN_TYPE' });
    client.send({ type: 'join', id: 6, room: 'r' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'INVALID_FRAME', ref: 6 });
    client.send({ type: 'ack', seq: 0, extra: true });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'INVALID_FRAME' });
    client.send(new TextEncoder().encode('{"type":"ping"}'), { binary: true });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'INVALID_FRAME' });
    await client.close();
  });

  it('drops a flood with RATE_LIMITED, closes it with 4031 when it goes on, and keeps serving everyone else', async () => {
    const { client } = await RawClient.hello(started.url);
    for (let i = 0; i < 200; i += 1) client.send({ type: 'ping' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await client.closed).toEqual({ code: 4031, reason: 'RATE_LIMITED' });
    expect(
      await metric(started.httpUrl, 'switchboard_limit_hits_total{limit="rate"}'),
    ).toBeGreaterThanOrEqual(1);
    await othersStillServed();
  });

  it('requires hello first, and refuses a second one', async () => {
    const client = await RawClient.connect(started.url);
    client.send({ type: 'signal', id: 1, to: 'x', data: 1 });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'HELLO_REQUIRED', ref: 1 });
    client.send({ type: 'hello', v: PROTOCOL_VERSION });
    await client.next((f) => f.type === 'welcome');
    client.send({ type: 'hello', v: PROTOCOL_VERSION });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'ALREADY_ESTABLISHED' });
    await client.close();
  });

  it('refuses an unsupported protocol version and closes', async () => {
    const client = await RawClient.connect(started.url);
    client.send({ type: 'hello', v: 999 });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'UNSUPPORTED_VERSION' });
    expect((await client.closed).code).toBe(4000);
  });

  it('closes a socket that never says hello with HANDSHAKE_TIMEOUT (4008)', async () => {
    const client = await RawClient.connect(started.url);
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'HANDSHAKE_TIMEOUT' });
    expect(await client.closed).toEqual({ code: 4008, reason: 'HANDSHAKE_TIMEOUT' });
  });

  it('refuses connections over the per-IP cap at the upgrade', async () => {
    const open: RawClient[] = [];
    let refusal: Error | undefined;
    for (let i = 0; i < 10 && refusal === undefined; i += 1) {
      try {
        open.push(await RawClient.connect(started.url));
      } catch (error) {
        refusal = error as Error;
      }
    }
    expect(refusal?.message).toContain('429');
    expect(open.length + 2).toBe(8); // the bystander and its partner hold two
    await Promise.all(open.map((c) => c.close()));
    expect(
      await metric(started.httpUrl, 'switchboard_limit_hits_total{limit="connections_per_ip"}'),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('slow consumers', () => {
  it('closes a socket that does not read once its unsent buffer passes the cap', async () => {
    const started = await startServer({
      maxBufferedBytes: 65_536,
      messagesPerSecond: 10_000,
      messageBurst: 10_000,
      maxOutbox: 100_000,
      // The writer paces itself on acks, and nothing flows back to carry them: let them go alone soon.
      ackDelayMs: 20,
    });
    const reader = await RawClient.hello(started.url);
    const writer = await RawClient.hello(started.url);
    for (const peer of [reader, writer]) {
      peer.client.send({
        type: 'join',
        id: peer.client.id(),
        room: 'slow',
        metadata: { nickname: peer === reader ? 'R' : 'W' },
      });
      await peer.client.next((f) => f.type === 'roster');
    }
    reader.client.pause();
    const payload = 'y'.repeat(30_000);
    const reading = { isClosed: false };
    void reader.client.closed.then(() => (reading.isClosed = true));
    for (let i = 0; i < 2000 && !reading.isClosed; i += 1) {
      const id = writer.client.id();
      writer.client.send({ type: 'signal', id, to: reader.welcome.peerId, data: payload });
      if (i % 50 === 49) await acked(writer.client, id);
    }
    const text = await (await fetch(`${started.httpUrl}/metrics`)).text();
    expect(text).toMatch(/switchboard_limit_hits_total\{limit="slow_consumer"\} [1-9]/);
    await started.close();
  });
});
