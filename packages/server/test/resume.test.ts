import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type WelcomeMessage } from '@switchboard/protocol';
import { RawClient, startServer, type StartedServer } from '@switchboard/testing';
import { ResumingPeer } from './helpers/resuming-peer.js';

const SIGNALS = 1000;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

async function pairInRoom(url: string, room: string): Promise<[ResumingPeer, ResumingPeer]> {
  const a = await ResumingPeer.connect(url);
  const b = await ResumingPeer.connect(url);
  a.request({ type: 'join', room, metadata: { nickname: 'sender' } });
  await a.client.next((f) => f.type === 'roster');
  b.request({ type: 'join', room, metadata: { nickname: 'receiver' } });
  await b.client.next((f) => f.type === 'roster');
  await a.client.next((f) => f.type === 'peer-joined');
  return [a, b];
}

describe('session resume', () => {
  let started: StartedServer;
  beforeAll(async () => {
    started = await startServer({ messagesPerSecond: 100_000, messageBurst: 100_000, maxOutbox: 5_000 });
  });
  afterAll(() => started.close());

  it('delivers 1,000 signals in order and exactly once while the receiver socket is destroyed again and again', async () => {
    const [sender, receiver] = await pairInRoom(started.url, 'fire-receiver');
    const kills = [100, 300, 550, 800];
    const killer = (async () => {
      for (const at of kills) {
        await receiver.signalsReach(at);
        await receiver.kill();
        await receiver.resume();
      }
    })();
    for (const i of range(SIGNALS)) sender.request({ type: 'signal', to: receiver.peerId, data: i });
    await receiver.signalsReach(SIGNALS);
    await killer;
    expect(receiver.signals).toEqual(range(SIGNALS));
    expect(receiver.duplicates).toBe(0);
    expect(receiver.gaps).toBe(0);
    expect(receiver.resumes).toBe(kills.length);
  });

  it('delivers 1,000 signals in order and exactly once while the sender socket is destroyed mid-stream', async () => {
    const [sender, receiver] = await pairInRoom(started.url, 'fire-sender');
    for (const chunk of [200, 300, 250, 250]) {
      for (let i = 0; i < chunk; i += 1)
        sender.request({ type: 'signal', to: receiver.peerId, data: sender.unackedCount });
      await sender.kill();
      await sender.resume();
    }
    await sender.allAcked();
    await receiver.signalsReach(SIGNALS);
    expect(receiver.signals).toHaveLength(SIGNALS);
    expect(receiver.duplicates).toBe(0);
    expect(receiver.gaps).toBe(0);
    expect(sender.resumes).toBe(4);
  });

  it('replays what a peer missed while away, and shows it as reconnecting meanwhile', async () => {
    const [a, b] = await pairInRoom(started.url, 'away');
    await b.kill();
    const away = await a.client.next((f) => f.type === 'peer-updated' && f.peer.peerId === b.peerId);
    expect(away).toMatchObject({ peer: { state: 'reconnecting' } });
    a.request({ type: 'signal', to: b.peerId, data: 'while-away' });
    await a.allAcked();
    const welcome = await b.resume();
    expect(welcome.resumed).toBe(true);
    expect(welcome.peerId).toBe(b.peerId);
    expect(welcome.rooms).toEqual(['away']);
    await b.signalsReach(1);
    expect(b.signals).toEqual(['while-away']);
    const back = await a.client.next(
      (f) => f.type === 'peer-updated' && f.peer.peerId === b.peerId && f.peer.state === 'online',
    );
    expect(back).toMatchObject({ room: 'away' });
  });

  it('acknowledges but does not run a request it already ran', async () => {
    const [a, b] = await pairInRoom(started.url, 'dedupe');
    const id = a.request({ type: 'signal', to: b.peerId, data: 'once' });
    await a.allAcked();
    a.client.send({ type: 'signal', id, to: b.peerId, data: 'once' });
    // The resend is dropped and acknowledged again: a standalone ack, since nothing else goes to a.
    await a.client.next((f) => f.type === 'ack' && f.id === id);
    a.request({ type: 'signal', to: b.peerId, data: 'after' });
    await b.signalsReach(2);
    expect(b.signals).toEqual(['once', 'after']);
  });

  it('answers a resume of an unknown session with a fresh session and resumed: false', async () => {
    const client = await RawClient.connect(started.url);
    client.send({
      type: 'resume',
      v: PROTOCOL_VERSION,
      sessionId: 'no-such-session',
      resumeSecret: 'x',
      lastSeq: 3,
    });
    const welcome = (await client.next((f) => f.type === 'welcome')) as WelcomeMessage;
    expect(welcome).toMatchObject({ resumed: false, lastClientId: 0, seq: 0, rooms: [] });
    await client.close();
  });

  it('refuses a resume with the wrong secret', async () => {
    const { client, welcome } = await RawClient.hello(started.url);
    const thief = await RawClient.connect(started.url);
    thief.send({
      type: 'resume',
      v: PROTOCOL_VERSION,
      sessionId: welcome.sessionId,
      resumeSecret: 'guess',
      lastSeq: 0,
    });
    expect(await thief.next((f) => f.type === 'error')).toMatchObject({ code: 'RESUME_FORBIDDEN' });
    expect(client.isOpen).toBe(true);
    await Promise.all([client.close(), thief.close()]);
  });

  it('closes the old socket with 4009 when a resume takes the session over', async () => {
    const { client: old, welcome } = await RawClient.hello(started.url);
    const fresh = await RawClient.connect(started.url);
    fresh.send({
      type: 'resume',
      v: PROTOCOL_VERSION,
      sessionId: welcome.sessionId,
      resumeSecret: welcome.resumeSecret,
      lastSeq: 0,
    });
    const resumed = (await fresh.next((f) => f.type === 'welcome')) as WelcomeMessage;
    expect(resumed).toMatchObject({ resumed: true, peerId: welcome.peerId });
    expect(await old.closed).toEqual({ code: 4009, reason: 'SESSION_REPLACED' });
    await fresh.close();
  });
});

describe('grace window', () => {
  let started: StartedServer;
  beforeAll(async () => {
    started = await startServer({ graceMs: 300 });
  });
  afterAll(() => started.close());

  it('announces a peer that never comes back as left with reason timeout, and then refuses signals to it', async () => {
    const [a, b] = await pairInRoom(started.url, 'grace');
    const gone = b.peerId;
    await b.kill();
    const left = await a.client.next((f) => f.type === 'peer-left');
    expect(left).toMatchObject({ room: 'grace', peerId: gone, reason: 'timeout' });
    const id = a.request({ type: 'signal', to: gone, data: 'too late' });
    expect(await a.client.next((f) => f.type === 'error' && f.ref === id)).toMatchObject({
      code: 'PEER_NOT_FOUND',
    });
    const again = await b.resume();
    expect(again.resumed).toBe(false);
    expect(again.peerId).not.toBe(gone);
  });
});
