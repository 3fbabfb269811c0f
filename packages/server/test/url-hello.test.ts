/**
 * The hello in the upgrade URL (`?v=1`, ADR 0015) against a real server: the session starts with the upgrade
 * and its welcome leaves with the 101 response, while the hello frame keeps working for older clients, a
 * resume stays a frame, and every refusal at the upgrade (token, Origin, per-IP cap) is what it was.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HELLO_QUERY_PARAMETER, PROTOCOL_VERSION, type WelcomeMessage } from '@switchboard/protocol';
import { RawClient, startServer, type StartedServer } from '@switchboard/testing';
import { JwtAuthenticator, mintToken } from '@switchboard/server';
import { countServerWrites } from './helpers/count-server-writes.js';

const HELLO = `${HELLO_QUERY_PARAMETER}=${PROTOCOL_VERSION}`;

const clients: RawClient[] = [];
const servers: StartedServer[] = [];

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<StartedServer> {
  const started = await startServer(options);
  servers.push(started);
  return started;
}

async function open(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
  const client = await RawClient.connect(url, headers);
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * Upgrade over a raw TCP socket and resolve with the bytes of the first read: what the server wrote before
 * the client could say anything.
 */
function firstRead(port: number, target: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no reply to the upgrade'));
    }, 5000);
    socket.once('data', (chunk) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(chunk);
    });
    socket.once('error', reject);
    socket.write(
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/**
 * Whether the server wrote the welcome to the next TCP connection in the turn of its `upgrade` event, that
 * is, without waiting for any I/O: before an immediate queued as the event ends. The transport writes a
 * turn's frames in its own immediate (ADR 0022), which the welcome's send queued during the event.
 */
function welcomeWrittenInUpgradeTurn(started: StartedServer): { value: boolean | undefined } {
  const seen: { value: boolean | undefined } = { value: undefined };
  let isInUpgradeTurn = false;
  const http = started.server.httpServer;
  const enter = (): void => {
    isInUpgradeTurn = true;
  };
  const leave = (): void => {
    http.off('upgrade', enter);
    http.off('upgrade', leave);
    setImmediate(() => {
      isInUpgradeTurn = false;
    });
  };
  http.prependListener('upgrade', enter);
  http.on('upgrade', leave);
  http.once('connection', (socket: Socket) => {
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = (...args: unknown[]) => {
      const [chunk] = args;
      if (seen.value === undefined && String(chunk).includes('"type":"welcome"'))
        seen.value = isInUpgradeTurn;
      return write(...args);
    };
  });
  return seen;
}

describe('hello in the upgrade URL', () => {
  it('writes the welcome in the turn of the upgrade event when nothing waits on I/O (anonymous, in-memory bus)', async () => {
    const started = await start();
    const inEvent = welcomeWrittenInUpgradeTurn(started);
    const writes = countServerWrites(started);
    const reply = (await firstRead(started.port, `/ws?${HELLO}`)).toString('latin1');
    expect(reply).toContain('"type":"welcome"');
    expect(inEvent.value).toBe(true);
    expect(writes.count).toBe(1);
  });

  it('welcomes a client that sends no frame, in the same write as the 101 response', async () => {
    const started = await start();
    const writes = countServerWrites(started);
    const reply = (await firstRead(started.port, `/ws?${HELLO}`)).toString('latin1');
    expect(reply).toMatch(/^HTTP\/1\.1 101 /);
    const frame = reply.slice(reply.indexOf('\r\n\r\n') + 4);
    expect(frame).toContain('"type":"welcome"');
    expect(frame).toContain('"resumed":false');
    expect(writes.count).toBe(1);
  });

  it('writes nothing after the 101 for a client that will say hello in a frame', async () => {
    const started = await start();
    const writes = countServerWrites(started);
    const reply = (await firstRead(started.port, '/ws')).toString('latin1');
    expect(reply).toMatch(/^HTTP\/1\.1 101 /);
    expect(reply.endsWith('\r\n\r\n')).toBe(true);
    expect(writes.count).toBe(1);
  });

  it('gives a URL hello a working session: frames sent before the welcome wait for it', async () => {
    const started = await start();
    const client = await open(`${started.url}?${HELLO}`);
    client.send({ type: 'join', id: 1, room: 'early', metadata: { nickname: 'early' } });
    const welcome = (await client.next((f) => f.type === 'welcome')) as WelcomeMessage;
    expect(welcome).toMatchObject({ v: PROTOCOL_VERSION, resumed: false, lastClientId: 0, seq: 0 });
    expect(await client.next((f) => f.type === 'roster' || f.type === 'error')).toMatchObject({
      type: 'roster',
      ref: 1,
    });
    expect(client.received.map((f) => f.type)).toEqual(['welcome', 'roster']);
  });

  it('still welcomes a client that says hello in a frame (older clients)', async () => {
    const started = await start();
    const { client, welcome } = await RawClient.hello(started.url);
    clients.push(client);
    expect(welcome.resumed).toBe(false);
    expect(client.received.map((f) => f.type)).toEqual(['welcome']);
  });

  it('refuses a hello or resume frame after a URL hello with ALREADY_ESTABLISHED, and keeps the session', async () => {
    const started = await start();
    const client = await open(`${started.url}?${HELLO}`);
    // Sent before the welcome can have been read: the frame waits while the session is being set up.
    client.send({ type: 'hello', v: PROTOCOL_VERSION });
    const welcome = (await client.next((f) => f.type === 'welcome')) as WelcomeMessage;
    const refused = await client.next((f) => f.type === 'error');
    expect(refused).toMatchObject({ code: 'ALREADY_ESTABLISHED' });
    expect((refused as { message: string }).message).toMatch(/said hello in its URL/);
    client.send({
      type: 'resume',
      v: PROTOCOL_VERSION,
      sessionId: welcome.sessionId,
      resumeSecret: welcome.resumeSecret,
      lastSeq: 0,
    });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'ALREADY_ESTABLISHED' });
    expect(client.all('welcome')).toHaveLength(1);
    client.send({ type: 'join', id: 1, room: 'after', metadata: { nickname: 'after' } });
    expect(await client.next((f) => f.type === 'roster')).toMatchObject({ ref: 1 });
    expect(client.isOpen).toBe(true);
  });

  it('resumes a session begun by a URL hello with a resume frame, as before', async () => {
    const started = await start();
    const first = await open(`${started.url}?${HELLO}`);
    const welcome = (await first.next((f) => f.type === 'welcome')) as WelcomeMessage;
    first.send({ type: 'join', id: 1, room: 'kept', metadata: { nickname: 'kept' } });
    await first.next((f) => f.type === 'roster');
    await first.destroy();
    const second = await open(started.url);
    second.send({
      type: 'resume',
      v: PROTOCOL_VERSION,
      sessionId: welcome.sessionId,
      resumeSecret: welcome.resumeSecret,
      lastSeq: 1,
    });
    const resumed = (await second.next((f) => f.type === 'welcome')) as WelcomeMessage;
    expect(resumed).toMatchObject({
      resumed: true,
      peerId: welcome.peerId,
      lastClientId: 1,
      rooms: ['kept'],
    });
  });

  it('refuses a URL hello with a version it does not speak, with UNSUPPORTED_VERSION and close 4000', async () => {
    const started = await start();
    for (const version of ['2', 'one']) {
      const client = await open(`${started.url}?${HELLO_QUERY_PARAMETER}=${version}`);
      expect(await client.next(() => true)).toMatchObject({ type: 'error', code: 'UNSUPPORTED_VERSION' });
      expect((await client.closed).code).toBe(4000);
    }
    expect(await started.server.metrics.registry.getSingleMetricAsString('switchboard_sessions')).toMatch(
      /switchboard_sessions 0/,
    );
  });
});

describe('hello in the upgrade URL with authentication', () => {
  const SECRET = 'url-hello-test-secret-of-32-bytes!!';
  let started: StartedServer;
  beforeAll(async () => {
    started = await startServer({ authenticator: new JwtAuthenticator({ secret: SECRET }) });
  });
  afterAll(() => started.close());

  it('welcomes a URL hello whose token rides beside it, as the principal of that token', async () => {
    const token = await mintToken({ sub: 'ada', rooms: '*', ttl: '10m', secret: SECRET });
    const client = await open(`${started.url}?${HELLO}&access_token=${token}`);
    expect(await client.next((f) => f.type === 'welcome' || f.type === 'error')).toMatchObject({
      type: 'welcome',
    });
  });

  it('still sends the 101 and the welcome in one write when the authenticator answers with a promise', async () => {
    const token = await mintToken({ sub: 'ada', rooms: '*', ttl: '10m', secret: SECRET });
    const inEvent = welcomeWrittenInUpgradeTurn(started);
    const writes = countServerWrites(started);
    const reply = (await firstRead(started.port, `/ws?${HELLO}&access_token=${token}`)).toString('latin1');
    expect(reply).toMatch(/^HTTP\/1\.1 101 /);
    expect(reply).toContain('"type":"welcome"');
    expect(inEvent.value).toBe(false);
    expect(writes.count).toBe(1);
  });

  it('refuses a URL hello without a token, or with a bad one, before any session, as a frame hello', async () => {
    const missing = await open(`${started.url}?${HELLO}`);
    expect(await missing.next(() => true)).toMatchObject({ type: 'error', code: 'UNAUTHORIZED' });
    expect((await missing.closed).code).toBe(4001);
    const bad = await open(`${started.url}?${HELLO}&access_token=not-a-jwt`);
    expect(await bad.next(() => true)).toMatchObject({ type: 'error', code: 'TOKEN_INVALID' });
    expect((await bad.closed).code).toBe(4003);
    expect(missing.received).toHaveLength(1);
    expect(bad.received).toHaveLength(1);
  });
});

describe('refusals at the upgrade with a URL hello', () => {
  it('refuses an unlisted Origin with ORIGIN_FORBIDDEN and close 4003, and makes no session', async () => {
    const started = await start({ allowedOrigins: ['https://app.example.com'] });
    const refused = await open(`${started.url}?${HELLO}`, { origin: 'https://evil.example' });
    expect(await refused.next(() => true)).toMatchObject({ type: 'error', code: 'ORIGIN_FORBIDDEN' });
    expect(await refused.closed).toEqual({ code: 4003, reason: 'ORIGIN_FORBIDDEN' });
    expect(refused.received).toHaveLength(1);
    expect(await started.server.metrics.registry.getSingleMetricAsString('switchboard_sessions')).toMatch(
      /switchboard_sessions 0/,
    );
    const allowed = await open(`${started.url}?${HELLO}`, { origin: 'https://app.example.com' });
    expect(await allowed.next(() => true)).toMatchObject({ type: 'welcome' });
  });

  it('keeps the per-IP cap an HTTP 429 before any session', async () => {
    const started = await start({ maxConnectionsPerIp: 1 });
    const first = await open(`${started.url}?${HELLO}`);
    await first.next((f) => f.type === 'welcome');
    await expect(RawClient.connect(`${started.url}?${HELLO}`)).rejects.toThrow('upgrade refused: 429');
  });
});
