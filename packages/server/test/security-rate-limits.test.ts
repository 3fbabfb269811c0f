/**
 * Rate limits per message type against a live server: a type past its bucket is refused with RATE_LIMITED
 * naming the type (a request by its ref, so its promise fails), counted by type, and nothing is dropped
 * silently; other types and other connections go on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SwitchboardServer } from '@switchboard/server';
import { startServer } from '@switchboard/testing';
import { RawClient, type Frame } from './security-client.js';

describe('rate limits per message type', () => {
  let server: SwitchboardServer;
  let url: string;

  beforeAll(async () => {
    // Slow refills, so a burst in a test cannot be refilled by the time it is checked.
    const started = await startServer({
      messageRateLimits: { update: { perSecond: 0.01, burst: 3 }, ping: { perSecond: 0.01, burst: 2 } },
    });
    ({ server, url } = started);
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses updates past their burst by ref, names the type, and keeps other types flowing', async () => {
    const { client } = await RawClient.hello(url);
    client.send({ type: 'join', id: 1, room: 'r', metadata: { nickname: 'ada' } });
    await client.next((f) => f['ref'] === 1 && f.type === 'roster');
    for (let id = 2; id <= 6; id += 1) client.send({ type: 'update', id, metadata: { status: 'busy' } });
    const refusals: Frame[] = [];
    for (const id of [5, 6]) refusals.push(await client.next((f) => f.type === 'error' && f['ref'] === id));
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ code: 'RATE_LIMITED' });
      expect(refusal['message']).toMatch(/^update rate limit exceeded \(0\.01\/s, burst 3\)/);
    }
    // The first three went through; none of them was answered with an error.
    expect(client.frames.filter((f) => f.type === 'error' && Number(f['ref']) < 5)).toEqual([]);
    // A join (no limit reached) still goes through on the same socket.
    client.send({ type: 'join', id: 7, room: 'r2', metadata: { nickname: 'ada' } });
    expect(await client.next((f) => f['ref'] === 7)).toMatchObject({ type: 'roster', room: 'r2' });
    expect(
      await server.metrics.registry.getSingleMetricAsString('switchboard_type_rate_limited_total'),
    ).toMatch(/type="update"} 2$/m);
    client.terminate();
  });

  it('answers every ping: a pong while the bucket lasts, then RATE_LIMITED; other sockets are unaffected', async () => {
    const { client } = await RawClient.hello(url);
    for (let t = 1; t <= 4; t += 1) client.send({ type: 'ping', t });
    const answers: Frame[] = [];
    for (let n = 0; n < 4; n += 1)
      answers.push(await client.next((f) => f.type === 'pong' || f.type === 'error'));
    expect(answers.map((f) => (f.type === 'pong' ? 'pong' : f['code']))).toEqual([
      'pong',
      'pong',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    expect(answers[2]?.['message']).toMatch(/^ping rate limit exceeded/);
    const other = await RawClient.hello(url);
    other.client.send({ type: 'ping', t: 9 });
    expect(await other.client.next((f) => f.type === 'pong' || f.type === 'error')).toMatchObject({
      type: 'pong',
      t: 9,
    });
    // A refused type is not abuse of the connection: the socket stays open.
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    client.terminate();
    other.client.terminate();
  });

  it('refuses a bad limit with one sentence naming the option', () => {
    expect(() => createServer({ messageRateLimits: { hello: { perSecond: 1, burst: 1 } } as never })).toThrow(
      '`messageRateLimits` has no type "hello".',
    );
    expect(() => createServer({ messageRateLimits: { join: { perSecond: 1, burst: 0 } } })).toThrow(
      /`messageRateLimits` join: burst must be an integer from 1/,
    );
  });
});
