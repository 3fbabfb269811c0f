/**
 * Requests that meet a failing cluster bus (Redis gone, a command timing out) are answered at once with an
 * `error` carrying their `ref`, instead of leaving the client to wait out its own request timeout. The bus
 * here is a real in-memory bus behind a wrapper that throws on demand: a fault-injection seam.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SwitchboardError } from '@switchboard/protocol';
import { RawClient, startServer, type StartedServer } from '@switchboard/testing';
import { faultyClusterBus, type BusOperation } from './helpers/faulty-cluster-bus.js';

describe('requests during a cluster bus failure', () => {
  let started: StartedServer | undefined;
  afterEach(() => started?.close());

  /** A server whose bus throws `error()` on the operations in `failing` (empty until a test fills it). */
  async function serverWithFailing(
    failing: Set<BusOperation | '*'>,
    error: () => Error = () => new Error('connection to the store lost'),
  ): Promise<StartedServer> {
    started = await startServer({
      bus: faultyClusterBus({
        failWith: (operation) => (failing.has(operation) || failing.has('*') ? error() : undefined),
      }),
    });
    return started;
  }

  it('answers a join whose room operation throws with a sequenced INTERNAL_ERROR, then acks it', async () => {
    const failing = new Set<BusOperation | '*'>();
    const { url } = await serverWithFailing(failing);
    const { client } = await RawClient.hello(url);
    failing.add('joinRoom');
    client.send({ type: 'join', id: 1, room: 'down', metadata: { nickname: 'Ada' } });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({
      code: 'INTERNAL_ERROR',
      ref: 1,
      seq: 1,
    });
    expect(await client.next((f) => f.type === 'ack')).toEqual({ type: 'ack', id: 1 });
    failing.clear();
    client.send({ type: 'join', id: 2, room: 'down', metadata: { nickname: 'Ada' } });
    expect(await client.next((f) => f.type === 'roster')).toMatchObject({ ref: 2, room: 'down' });
    await client.close();
  });

  it('answers a signal while the whole bus is down, unsequenced since nothing can be appended', async () => {
    const failing = new Set<BusOperation | '*'>();
    const { url } = await serverWithFailing(failing);
    const a = await RawClient.hello(url);
    const b = await RawClient.hello(url);
    failing.add('*');
    a.client.send({ type: 'signal', id: 1, to: b.welcome.peerId, data: 'lost?' });
    const error = await a.client.next((f) => f.type === 'error');
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', ref: 1 });
    expect(error).not.toHaveProperty('seq');
    expect(b.client.all('signal')).toEqual([]);
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('keeps the code of a coded bus error, such as CLUSTER_UNAVAILABLE during an outage', async () => {
    const failing = new Set<BusOperation | '*'>();
    const outage = (): Error => new SwitchboardError('CLUSTER_UNAVAILABLE', 'Redis is unreachable; retry');
    const { url } = await serverWithFailing(failing, outage);
    const { client } = await RawClient.hello(url);
    failing.add('joinRoom');
    client.send({ type: 'join', id: 1, room: 'outage', metadata: { nickname: 'Ada' } });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({
      code: 'CLUSTER_UNAVAILABLE',
      ref: 1,
      seq: 1,
    });
    await client.close();
  });
});
