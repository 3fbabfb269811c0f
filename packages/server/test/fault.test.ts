/**
 * Faults below the protocol: half-open sockets, clients that never read, and TCP resets. A bare-TCP
 * WebSocket client (security-raw-socket.ts) misbehaves in ways the ws library would not let us.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createServer,
  DEFAULT_SERVER_OPTIONS,
  type ServerOptions,
  type SwitchboardServer,
} from '@switchboard/server';
import { deadClientBoundMs } from '../src/transport/ping-wheel.js';
import { RawClient } from './security-client.js';
import { RawTcpWebSocket } from './security-raw-socket.js';
import { acked } from './helpers/acked.js';

let server: SwitchboardServer | undefined;
const sockets: { terminate(): void }[] = [];

async function start(options: Partial<ServerOptions>): Promise<{ port: number; url: string }> {
  server = createServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...options });
  const { port } = await server.listen();
  return { port, url: `ws://127.0.0.1:${port}/` };
}

/** A bare-TCP peer that said hello and joined `room`. */
async function rawPeer(
  port: number,
  room: string,
  nickname: string,
): Promise<{ raw: RawTcpWebSocket; peerId: string; welcome: Record<string, unknown> }> {
  const raw = await RawTcpWebSocket.open(port);
  sockets.push({ terminate: () => raw.socket.destroy() });
  raw.sendText(JSON.stringify({ type: 'hello', v: 1 }));
  const welcome = await raw.waitFor((m) => m['type'] === 'welcome');
  raw.sendText(JSON.stringify({ type: 'join', id: 1, room, metadata: { nickname } }));
  await raw.waitFor((m) => m['type'] === 'roster');
  return { raw, peerId: String(welcome['peerId']), welcome };
}

/** A well-behaved observer in `room`. */
async function observer(url: string, room: string): Promise<{ client: RawClient; peerId: string }> {
  const { client, welcome } = await RawClient.hello(url);
  sockets.push(client);
  client.send({ type: 'join', id: 1, room, metadata: { nickname: `observer-${room}` } });
  await client.next((f) => f.type === 'roster');
  return { client, peerId: String(welcome['peerId']) };
}

const isReconnecting = (peerId: string) => (f: Record<string, unknown>) =>
  f['type'] === 'peer-updated' &&
  (f['peer'] as { peerId?: string; state?: string } | undefined)?.peerId === peerId &&
  (f['peer'] as { state?: string }).state === 'reconnecting';

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await server?.close();
  server = undefined;
});

describe('half-open sockets', () => {
  it('drops a client that stops answering pings and shows it as reconnecting to its room', async () => {
    const { port, url } = await start({ pingIntervalMs: 200 });
    const watcher = await observer(url, 'call');
    const { raw, peerId } = await rawPeer(port, 'call', 'silent');
    // The bare-TCP client never answers pings: to the server it looks like a dead peer behind a NAT.
    await raw.ended;
    expect(raw.frames.some((f) => f.opcode === 9)).toBe(true);
    await watcher.client.next(isReconnecting(peerId));
  });

  it('notices a dead client within 15 s with the default settings', () => {
    // The heartbeat pings once per interval and terminates a socket that leaves a ping unanswered for the
    // pong timeout (in whole tenths of the interval), so detection takes at most their sum.
    const { pingIntervalMs, pongTimeoutMs } = DEFAULT_SERVER_OPTIONS;
    expect(deadClientBoundMs(pingIntervalMs, pongTimeoutMs)).toBeLessThanOrEqual(15_000);
  });
});

describe('clients that never read', () => {
  it('closes a socket whose unsent buffer passes the cap with SLOW_CONSUMER, and keeps its session', async () => {
    const { port, url } = await start({
      maxBufferedBytes: 65_536,
      messagesPerSecond: 100_000,
      messageBurst: 100_000,
      // The sender paces itself on acks, and nothing flows back to carry them: let them go alone soon.
      ackDelayMs: 20,
    });
    const sender = await observer(url, 'flood');
    const { raw, peerId, welcome } = await rawPeer(port, 'flood', 'reader');
    raw.socket.pause();

    const data = 'x'.repeat(32_000);
    let id = 1;
    const reconnecting = sender.client.next(isReconnecting(peerId), 60_000);
    const state = { isDropped: false };
    void reconnecting.then(() => (state.isDropped = true));
    // Bounded: 600 × 32 kB is more than loopback buffers hold (about 4 MB here), so the cap trips first.
    for (let batch = 0; batch < 30 && !state.isDropped; batch += 1) {
      for (let i = 0; i < 20; i += 1) sender.client.send({ type: 'signal', id: (id += 1), to: peerId, data });
      await acked(sender.client, id, 10_000);
    }
    // The server dropped the socket; the room was told. (A paused socket only sees the end once it reads.)
    await reconnecting;
    raw.socket.resume();
    await raw.ended;
    const errors = await server!.metrics.registry.getSingleMetricAsString('switchboard_errors_total');
    expect(errors).toMatch(/code="SLOW_CONSUMER"} [1-9]/);

    // The session outlived the socket: it resumes, and the first queued signal is there.
    const back = await RawClient.connect(url);
    sockets.push(back);
    back.send({
      type: 'resume',
      v: 1,
      sessionId: welcome['sessionId'],
      resumeSecret: welcome['resumeSecret'],
      lastSeq: 1,
    });
    expect(await back.next((f) => f.type === 'welcome')).toMatchObject({ resumed: true, peerId });
    expect(await back.next((f) => f.type === 'signal')).toMatchObject({ from: sender.peerId, data });
  });
});

describe('abrupt TCP resets', () => {
  it('survives resets, frees the per-IP slots, and lets each reset session resume', async () => {
    const { port, url } = await start({ maxConnectionsPerIp: 3 });
    const watcher = await observer(url, 'resets');
    const resetSessions: Record<string, unknown>[] = [];
    for (let i = 0; i < 8; i += 1) {
      const { raw, peerId, welcome } = await rawPeer(port, 'resets', `reset-${i}`);
      raw.socket.resetAndDestroy();
      // The server saw the reset once the room hears the peer is reconnecting; only then is its slot free.
      await watcher.client.next(isReconnecting(peerId));
      resetSessions.push(welcome);
    }
    // 8 resets with a cap of 3 per IP (one held by the watcher): every slot came back.
    for (const welcome of resetSessions.slice(0, 2)) {
      const back = await RawClient.connect(url);
      sockets.push(back);
      back.send({
        type: 'resume',
        v: 1,
        sessionId: welcome['sessionId'],
        resumeSecret: welcome['resumeSecret'],
        lastSeq: 0,
      });
      expect(await back.next((f) => f.type === 'welcome')).toMatchObject({
        resumed: true,
        peerId: welcome['peerId'],
      });
    }
  });
});
