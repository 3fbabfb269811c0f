/**
 * Regression: a joiner could be handed another member's `peer-joined` with a lower seq than its own
 * roster. The roster (built from the members before the join) then replaced the client's list, and the
 * member who joined a moment later vanished from that client's view for good. Found on Redis, where bus
 * calls take a round trip; here a bus with seeded random latency makes concurrent joins interleave the same way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '@switchboard/protocol';
import { RawClient, startServer, type StartedServer } from '@switchboard/testing';
import { faultyClusterBus, seededRandom } from './helpers/faulty-cluster-bus.js';
import { acked } from './helpers/acked.js';

const CLIENTS = 8;

/** The room as a client sees it, applying its sequenced frames in seq order as the SDK does. */
function viewOf(frames: readonly ServerMessage[], room: string): Set<string> | undefined {
  let view: Set<string> | undefined;
  const sequenced = frames.filter((f) => 'seq' in f && typeof f.seq === 'number');
  sequenced.sort((a, b) => (a as { seq: number }).seq - (b as { seq: number }).seq);
  for (const frame of sequenced) {
    if (!('room' in frame) || frame.room !== room) continue;
    if (frame.type === 'roster') view = new Set(frame.peers.map((p) => p.peerId));
    else if (frame.type === 'peer-joined' || frame.type === 'peer-updated') view?.add(frame.peer.peerId);
    else if (frame.type === 'peer-left') view?.delete(frame.peerId);
  }
  return view;
}

describe('presence join race', () => {
  let started: StartedServer | undefined;
  afterEach(() => started?.close());

  it.each([1, 2, 3, 4, 5])(
    'gives every concurrent joiner a final view equal to the room (schedule %i)',
    async (seed) => {
      const random = seededRandom(seed);
      started = await startServer({ bus: faultyClusterBus({ delayTurns: () => Math.floor(random() * 4) }) });
      const peers = await Promise.all(Array.from({ length: CLIENTS }, () => RawClient.hello(started!.url)));
      for (const [i, { client }] of peers.entries())
        client.send({ type: 'join', id: 1, room: 'race', metadata: { nickname: `peer${i}` } });
      // Every join task has finished (fan-outs included) once its ack is out; a ping after that is answered
      // only after every frame already pushed on the same socket.
      await Promise.all(peers.map(({ client }) => acked(client, 1)));
      for (const { client } of peers) {
        client.send({ type: 'ping', t: 1 });
        await client.next((f) => f.type === 'pong');
      }
      const everyone = peers.map((p) => p.welcome.peerId);
      for (const { client, welcome } of peers) {
        expect(viewOf(client.received, 'race')).toEqual(
          new Set(everyone.filter((id) => id !== welcome.peerId)),
        );
      }
      await Promise.all(peers.map(({ client }) => client.close()));
    },
  );
});
