import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateServerMessage, type RosterMessage, type WelcomeMessage } from '@switchboard/protocol';
import { RawClient, startServer, type StartedServer } from '@switchboard/testing';

describe('rooms and presence', () => {
  let started: StartedServer;
  beforeAll(async () => {
    started = await startServer({ maxPeersPerRoom: 3, maxRoomsPerSession: 2 });
  });
  afterAll(() => started.close());

  async function joined(
    room: string,
    nickname: string,
  ): Promise<{ client: RawClient; welcome: WelcomeMessage; roster: RosterMessage }> {
    const { client, welcome } = await RawClient.hello(started.url);
    const id = client.id();
    client.send({ type: 'join', id, room, metadata: { nickname, status: 'available' } });
    const roster = (await client.next(
      (f) => f.type === 'roster' || (f.type === 'error' && f.ref === id),
    )) as RosterMessage;
    return { client, welcome, roster };
  }

  it('gives three peers a roster on join, then pushes joined, updated and left diffs to the others', async () => {
    const ada = await joined('three', 'Ada');
    expect(ada.roster).toMatchObject({
      room: 'three',
      ref: 1,
      self: { peerId: ada.welcome.peerId, metadata: { nickname: 'Ada' } },
      peers: [],
    });
    const bob = await joined('three', 'Bob');
    expect(bob.roster.peers.map((p) => p.peerId)).toEqual([ada.welcome.peerId]);
    const cy = await joined('three', 'Cy');
    expect(cy.roster.peers.map((p) => p.metadata.nickname)).toEqual(['Ada', 'Bob']);

    expect(await ada.client.next((f) => f.type === 'peer-joined')).toMatchObject({
      peer: { peerId: bob.welcome.peerId, state: 'online' },
    });
    expect(await ada.client.next((f) => f.type === 'peer-joined')).toMatchObject({
      peer: { peerId: cy.welcome.peerId },
    });
    expect(await bob.client.next((f) => f.type === 'peer-joined')).toMatchObject({
      peer: { peerId: cy.welcome.peerId },
    });

    bob.client.send({ type: 'update', id: bob.client.id(), metadata: { status: 'busy' } });
    for (const other of [ada, cy]) {
      expect(await other.client.next((f) => f.type === 'peer-updated')).toMatchObject({
        room: 'three',
        peer: { peerId: bob.welcome.peerId, metadata: { nickname: 'Bob', status: 'busy' } },
      });
    }

    const leaveId = cy.client.id();
    cy.client.send({ type: 'leave', id: leaveId, room: 'three' });
    expect(await cy.client.next((f) => f.type === 'left')).toMatchObject({
      room: 'three',
      reason: 'left',
      ref: leaveId,
    });
    for (const other of [ada, bob]) {
      expect(await other.client.next((f) => f.type === 'peer-left')).toMatchObject({
        peerId: cy.welcome.peerId,
        reason: 'left',
      });
    }
    for (const peer of [ada, bob, cy]) {
      for (const frame of peer.client.received) expect(validateServerMessage(frame)).toBeUndefined();
      await peer.client.close();
    }
  });

  it('tells each side of a pair the opposite politeness, the greater peer id being polite', async () => {
    const a = await joined('polite', 'Ann');
    const b = await joined('polite', 'Ben');
    const aSeesB = (await a.client.next((f) => f.type === 'peer-joined')) as { peer: { polite: boolean } };
    const bSeesA = b.roster.peers[0]!;
    expect(aSeesB.peer.polite).toBe(!bSeesA.polite);
    expect(bSeesA.polite).toBe(b.welcome.peerId > a.welcome.peerId);
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('refuses a nickname already used in the room, compared case- and confusable-insensitively', async () => {
    const first = await joined('names', 'Ada');
    const second = await joined('names', 'АDA'); // Cyrillic А
    expect(second.roster).toMatchObject({ type: 'error', code: 'NICKNAME_TAKEN', ref: 1 });
    const elsewhere = await joined('names-2', 'ADA');
    expect(elsewhere.roster.type).toBe('roster');
    await Promise.all([first.client.close(), second.client.close(), elsewhere.client.close()]);
  });

  it('refuses an invalid nickname and normalises a valid one', async () => {
    const bad = await joined('nick', '   ');
    expect(bad.roster).toMatchObject({ type: 'error', code: 'INVALID_NICKNAME' });
    const good = await joined('nick', '  Ada   Lovelace ');
    expect(good.roster.self.metadata.nickname).toBe('Ada Lovelace');
    await Promise.all([bad.client.close(), good.client.close()]);
  });

  it('refuses a fourth member of a room of three with ROOM_FULL, and a third room with TOO_MANY_ROOMS', async () => {
    const members = await Promise.all(['A1', 'A2', 'A3'].map((n) => joined('full', n)));
    const late = await joined('full', 'A4');
    expect(late.roster).toMatchObject({ type: 'error', code: 'ROOM_FULL' });
    const rover = members[0]!.client;
    rover.send({ type: 'join', id: rover.id(), room: 'second', metadata: { nickname: 'A1' } });
    await rover.next((f) => f.type === 'roster' && f.room === 'second');
    const third = rover.id();
    rover.send({ type: 'join', id: third, room: 'third', metadata: { nickname: 'A1' } });
    expect(await rover.next((f) => f.type === 'error' && f.ref === third)).toMatchObject({
      code: 'TOO_MANY_ROOMS',
      seq: expect.any(Number),
    });
    await Promise.all([...members, late].map((m) => m.client.close()));
  });

  it('answers a leave of a room the session is not in with NOT_IN_ROOM', async () => {
    const { client } = await RawClient.hello(started.url);
    const id = client.id();
    client.send({ type: 'leave', id, room: 'nowhere' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'NOT_IN_ROOM', ref: id });
    await client.close();
  });

  it('announces a peer that says bye as left at once', async () => {
    const a = await joined('bye', 'Stay');
    const b = await joined('bye', 'Go');
    b.client.send({ type: 'bye' });
    expect(await b.client.closed).toMatchObject({ code: 1000 });
    expect(await a.client.next((f) => f.type === 'peer-left')).toMatchObject({
      peerId: b.welcome.peerId,
      reason: 'left',
    });
    await a.client.close();
  });
});
