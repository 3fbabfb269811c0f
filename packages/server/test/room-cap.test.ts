/**
 * Room caps asked for by the app (`join.maxPeers`, ADR 0006), through real sockets to a real server: the
 * cap holds against joiners racing on their own connections, the roster reports it, and a cap the server
 * cannot honour is refused with a stable code.
 */
import type { ErrorMessage, RosterMessage, ServerMessage } from '@switchboard/protocol';
import { RawClient, startServer, type StartedServer } from '@switchboard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const SERVER_LIMIT = 10;

describe('room caps chosen by the app', () => {
  let started: StartedServer;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    started = await startServer({ maxPeersPerRoom: SERVER_LIMIT });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(() => started.close());

  /** Connect, send a join, and resolve with its answer: the roster or the error with its ref. */
  async function join(
    room: string,
    nickname: string,
    maxPeers?: number,
  ): Promise<{ client: RawClient; answer: RosterMessage | ErrorMessage }> {
    const { client } = await RawClient.hello(started.url);
    clients.push(client);
    const id = client.id();
    client.send({
      type: 'join',
      id,
      room,
      metadata: { nickname },
      ...(maxPeers === undefined ? {} : { maxPeers }),
    });
    const answer = (await client.next(
      (f: ServerMessage) => (f.type === 'roster' && f.ref === id) || (f.type === 'error' && f.ref === id),
    )) as RosterMessage | ErrorMessage;
    return { client, answer };
  }

  it('admits exactly 6 of 10 peers joining at once to a room capped at 6, and refuses the rest ROOM_FULL', async () => {
    const answers = (
      await Promise.all(Array.from({ length: 10 }, (_, i) => join('group', `peer${i}`, 6)))
    ).map((j) => j.answer);
    const rosters = answers.filter((a): a is RosterMessage => a.type === 'roster');
    expect(rosters).toHaveLength(6);
    expect(rosters.every((r) => r.maxPeers === 6)).toBe(true);
    expect(answers.flatMap((a) => (a.type === 'error' ? [a.code] : []))).toEqual([
      'ROOM_FULL',
      'ROOM_FULL',
      'ROOM_FULL',
      'ROOM_FULL',
    ]);
    // A joiner asking for nothing, or for more, is held to the creator's cap too.
    expect((await join('group', 'late', SERVER_LIMIT)).answer).toMatchObject({
      type: 'error',
      code: 'ROOM_FULL',
    });
  });

  it("reports the server's limit as the cap of a room created without one", async () => {
    const { answer } = await join('open', 'ada');
    expect(answer).toMatchObject({ type: 'roster', maxPeers: SERVER_LIMIT });
  });

  it('lets the room fill again once a member leaves, up to the same cap', async () => {
    const first = await join('pair', 'ada', 2);
    await join('pair', 'bob');
    expect((await join('pair', 'cy')).answer).toMatchObject({ code: 'ROOM_FULL' });
    const leaveId = first.client.id();
    first.client.send({ type: 'leave', id: leaveId, room: 'pair' });
    await first.client.next((f) => f.type === 'left' && f.ref === leaveId);
    expect((await join('pair', 'cy', 8)).answer).toMatchObject({ type: 'roster', maxPeers: 2 });
  });

  it("refuses a cap over the server's limit with INVALID_MAX_PEERS, and a malformed one with INVALID_FRAME", async () => {
    expect((await join('big', 'ada', SERVER_LIMIT + 1)).answer).toMatchObject({
      type: 'error',
      code: 'INVALID_MAX_PEERS',
    });
    expect((await join('big', 'bob', 0)).answer).toMatchObject({ type: 'error', code: 'INVALID_FRAME' });
    expect((await join('big', 'cy', 2.5)).answer).toMatchObject({ type: 'error', code: 'INVALID_FRAME' });
    // Nothing was created by the refused joins: the next creator's cap applies.
    expect((await join('big', 'di', 3)).answer).toMatchObject({ type: 'roster', maxPeers: 3, peers: [] });
  });
});
