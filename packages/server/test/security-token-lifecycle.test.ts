/**
 * The token's life against a live server with required JWT auth (ADR 0007): it is checked at the upgrade,
 * before any session state exists; a session ends with TOKEN_EXPIRED (close 4010) when its token runs out
 * unrefreshed; a refresh keeps it; and the SDK, given a token provider, refreshes ahead of `exp` by itself.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SignalingClient } from '@switchboard/client';
import { JwtAuthenticator, mintToken, type SwitchboardServer } from '@switchboard/server';
import { startServer } from '@switchboard/testing';
import { acked } from './helpers/acked.js';
import { RawClient, type Frame } from './security-client.js';

const SECRET = 'token-lifecycle-test-secret-32-bytes!!';
const token = (sub: string, ttl: string | number = '10m', nowMs?: number): Promise<string> =>
  mintToken({ sub, ttl, secret: SECRET, ...(nowMs === undefined ? {} : { nowMs }) });

let server: SwitchboardServer;
let url: string;
const clients: RawClient[] = [];

async function metric(name: string): Promise<string> {
  return server.metrics.registry.getSingleMetricAsString(name);
}

/** Connect with `query` and `headers`, send nothing, and report the frame and close the server sent. */
async function refusedAtUpgrade(
  query: string,
  headers: Record<string, string> = {},
): Promise<{ code: unknown; close: number; reason: string; connections: string }> {
  const client = await RawClient.connect(`${url}${query}`, headers);
  clients.push(client);
  // No hello is sent: the answer can only come from the upgrade's check.
  const error = await client.next((f) => f.type === 'error' || f.type === 'welcome');
  const connections = await metric('switchboard_connections');
  const closed = await client.closed;
  return { code: error['code'], close: closed.code, reason: closed.reason, connections };
}

beforeAll(async () => {
  // No leeway, so a token minted with a 2 s lifetime really ends within about 2 s.
  ({ server, url } = await startServer({
    authenticator: new JwtAuthenticator({ secret: SECRET, clockToleranceS: 0 }),
  }));
});
afterEach(() => {
  for (const client of clients.splice(0)) client.terminate();
});
afterAll(async () => {
  await server.close();
});

describe('authentication at the upgrade', () => {
  it('refuses a missing token with UNAUTHORIZED and close 4001, before any connection state exists', async () => {
    expect(await refusedAtUpgrade('')).toEqual({
      code: 'UNAUTHORIZED',
      close: 4001,
      reason: 'UNAUTHORIZED',
      connections: expect.stringMatching(/switchboard_connections 0$/m),
    });
  });

  it('refuses a token in hello alone: when a token is required it must come with the upgrade', async () => {
    const client = await RawClient.connect(url);
    clients.push(client);
    client.send({ type: 'hello', v: 1, token: await token('alice') });
    expect(await client.next((f) => f.type === 'error' || f.type === 'welcome')).toMatchObject({
      type: 'error',
      code: 'UNAUTHORIZED',
    });
  });

  it('refuses a bad signature (query) with TOKEN_INVALID 4003, and an expired token (header) with TOKEN_EXPIRED 4010', async () => {
    const forged = await mintToken({ sub: 'eve', ttl: '10m', secret: 'x'.repeat(40) });
    expect(await refusedAtUpgrade(`?access_token=${forged}`)).toMatchObject({
      code: 'TOKEN_INVALID',
      close: 4003,
      reason: 'TOKEN_INVALID',
    });
    const expired = await token('alice', 60, Date.now() - 10 * 60_000);
    expect(await refusedAtUpgrade('', { authorization: `Bearer ${expired}` })).toMatchObject({
      code: 'TOKEN_EXPIRED',
      close: 4010,
      reason: 'TOKEN_EXPIRED',
    });
    expect(await metric('switchboard_errors_total')).toMatch(/code="TOKEN_INVALID"} [1-9]/);
  });

  it('lets a valid upgrade token through to a hello that carries none', async () => {
    const { client, welcome } = await RawClient.hello(
      url,
      {},
      { authorization: `Bearer ${await token('bob')}` },
    );
    clients.push(client);
    expect(welcome.type).toBe('welcome');
  });

  it('refuses a non-browser client the same way (it reads the frame and the close, not an HTTP status)', async () => {
    const ws = new WebSocket(url);
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      ws.once('close', (code) => resolve(code));
      ws.once('error', () => undefined);
    });
    expect(status).toBe(4001);
  });
});

describe('expiry of a live session', () => {
  async function joined(
    sub: string,
    ttl: string | number,
    room: string,
  ): Promise<{ client: RawClient; welcome: Frame }> {
    const session = await RawClient.hello(`${url}?access_token=${await token(sub, ttl)}`);
    clients.push(session.client);
    session.client.send({ type: 'join', id: 1, room, metadata: { nickname: sub } });
    await session.client.next((f) => f['ref'] === 1 && f.type === 'roster');
    return session;
  }

  it('ends a session whose token runs out unrefreshed: TOKEN_EXPIRED, close 4010, peers see it kicked', async () => {
    const before = await metric('switchboard_token_expiries_total');
    const watcher = await joined('watcher', '10m', 'expiry');
    const short = await joined('short', 2, 'expiry');
    expect(await short.client.next((f) => f.type === 'error', 8_000)).toMatchObject({
      code: 'TOKEN_EXPIRED',
    });
    expect(await short.client.closed).toEqual({ code: 4010, reason: 'TOKEN_EXPIRED' });
    expect(
      await watcher.client.next((f) => f.type === 'peer-left' && f['peerId'] === short.welcome['peerId']),
    ).toMatchObject({ reason: 'kicked' });
    expect(before).toMatch(/switchboard_token_expiries_total 0$/m);
    expect(await metric('switchboard_token_expiries_total')).toMatch(/switchboard_token_expiries_total 1$/m);
  });

  it('keeps a session whose token was refreshed in time, while an unrefreshed twin is ended', async () => {
    const refreshed = await joined('carol', 2, 'refresh');
    const twin = await joined('dave', 2, 'refresh');
    refreshed.client.send({ type: 'token', id: 2, token: await token('carol', '10m') });
    await acked(refreshed.client, 2);

    expect(await twin.client.closed).toEqual({ code: 4010, reason: 'TOKEN_EXPIRED' });
    // Past the first token's expiry: the refreshed session still works.
    refreshed.client.send({ type: 'update', id: 3, room: 'refresh', metadata: { status: 'away' } });
    await acked(refreshed.client, 3);
    expect(refreshed.client.frames.some((f) => f.type === 'error')).toBe(false);
  });
});

describe('SDK token provider', () => {
  it('connects with a provider token and refreshes it ahead of exp, so the session never drops', async () => {
    let calls = 0;
    const sdk = new SignalingClient({
      url,
      WebSocket,
      token: () => {
        calls += 1;
        return token('erin', 4);
      },
    });
    const errors: unknown[] = [];
    sdk.on('error', (error) => errors.push(error));
    const lost: unknown[] = [];
    sdk.on('session-lost', (event) => lost.push(event));
    try {
      await sdk.connect();
      await sdk.join('provider', { nickname: 'erin' });
      const sessionId = sdk.state.state === 'connected' ? sdk.state.sessionId : undefined;
      // A raw twin with the same lifetime, minted now, is ended at expiry: wait for that.
      const twin = await RawClient.hello(`${url}?access_token=${await token('frank', 4)}`);
      clients.push(twin.client);
      expect(await twin.client.closed).toEqual({ code: 4010, reason: 'TOKEN_EXPIRED' });

      // The SDK's session outlived the first token: same session, no loss, and it still answers.
      await sdk.updateMetadata({ status: 'busy' }, 'provider');
      expect(sdk.state).toMatchObject({ state: 'connected', sessionId });
      expect(calls).toBeGreaterThanOrEqual(2);
      expect(lost).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await sdk.close();
    }
  });
});
