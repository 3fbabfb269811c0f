/**
 * Authentication and authorization against a real server with JWT auth: who gets in, with which code
 * they are refused, and what they may do once inside (issue 8, "Prove it").
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SwitchboardServer } from '@switchboard/server';
import { JwtAuthenticator } from '../src/auth/jwt-authenticator.js';
import { mintToken } from '../src/auth/mint-token.js';
import { RawClient, type Frame } from './security-client.js';
import { acked } from './helpers/acked.js';

const SECRET = 'auth-integration-test-secret-32-bytes!';
const token = (sub: string, rooms: string[] | '*' = '*', ttl: string | number = '10m'): Promise<string> =>
  mintToken({ sub, rooms, ttl, secret: SECRET });
const metadata = (nickname: string) => ({ nickname });

describe('authentication against a live server', () => {
  let server: SwitchboardServer;
  let url: string;

  beforeAll(async () => {
    server = createServer({
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      authenticator: new JwtAuthenticator({ secret: SECRET }),
    });
    const { port } = await server.listen();
    url = `ws://127.0.0.1:${port}/`;
  });
  afterAll(async () => {
    await server.close();
  });

  /** The server URL with `token` in the upgrade, where a required token must come (ADR 0007). */
  const at = (tokenText: string): string => `${url}?access_token=${tokenText}`;

  async function refusal(
    hello: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<{ code: unknown; close: number }> {
    const client = await RawClient.connect(
      `${url}${typeof hello['query'] === 'string' ? hello['query'] : ''}`,
      headers,
    );
    const { query: _query, ...rest } = hello;
    client.send({ type: 'hello', v: 1, ...rest });
    const error = await client.next((f) => f.type === 'error' || f.type === 'welcome');
    const closed = await client.closed;
    return { code: error.type === 'welcome' ? 'WELCOMED' : error['code'], close: closed.code };
  }

  it('refuses a connection without a token with UNAUTHORIZED and close 4001', async () => {
    expect(await refusal({})).toEqual({ code: 'UNAUTHORIZED', close: 4001 });
  });

  it('refuses an expired token with TOKEN_EXPIRED and close 4010', async () => {
    const expired = await mintToken({
      sub: 'alice',
      ttl: 60,
      secret: SECRET,
      nowMs: Date.now() - 10 * 60_000,
    });
    expect(await refusal({ query: `?access_token=${expired}` })).toEqual({
      code: 'TOKEN_EXPIRED',
      close: 4010,
    });
  });

  it('refuses a token with a wrong signature with TOKEN_INVALID', async () => {
    const forged = await mintToken({
      sub: 'alice',
      ttl: '10m',
      secret: 'some-other-secret-that-is-32-bytes-long',
    });
    expect(await refusal({}, { authorization: `Bearer ${forged}` })).toEqual({
      code: 'TOKEN_INVALID',
      close: 4003,
    });
    const unsigned = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new Uint8Array(32));
    expect(await refusal({ query: `?access_token=${unsigned}` })).toEqual({
      code: 'TOKEN_INVALID',
      close: 4003,
    });
  });

  it('accepts the token in the Authorization header or the access_token query, with hello repeating it or not', async () => {
    const upgradeToken = await token('alice');
    const viaHello = await RawClient.hello(at(upgradeToken), { token: upgradeToken });
    expect(viaHello.welcome.type).toBe('welcome');
    const viaHeader = await RawClient.hello(url, {}, { authorization: `Bearer ${await token('alice')}` });
    expect(viaHeader.welcome.type).toBe('welcome');
    const viaQuery = await RawClient.hello(`${url}?access_token=${await token('alice')}`);
    expect(viaQuery.welcome.type).toBe('welcome');
    // One identity, several sessions (devices): each has its own peer.
    expect(
      new Set([viaHello.welcome['peerId'], viaHeader.welcome['peerId'], viaQuery.welcome['peerId']]).size,
    ).toBe(3);
    for (const { client } of [viaHello, viaHeader, viaQuery]) client.terminate();
  });

  it('refuses a join outside the token grant with ROOM_FORBIDDEN, and allows the granted room', async () => {
    const { client } = await RawClient.hello(at(await token('carol', ['standup'])));
    client.send({ type: 'join', id: 1, room: 'payroll', metadata: metadata('carol') });
    const refused = await client.next((f) => f['ref'] === 1);
    expect(refused).toMatchObject({ type: 'error', code: 'ROOM_FORBIDDEN' });
    client.send({ type: 'join', id: 2, room: 'standup', metadata: metadata('carol') });
    expect(await client.next((f) => f['ref'] === 2)).toMatchObject({ type: 'roster', room: 'standup' });
    client.terminate();
  });

  it('lets a grant narrow the room size below the server cap (ROOM_FULL)', async () => {
    const tight = (sub: string): Promise<string> =>
      mintToken({ sub, rooms: ['tiny'], maxPeers: 2, ttl: '10m', secret: SECRET });
    const peers = [];
    for (const name of ['p1', 'p2', 'p3']) {
      const { client } = await RawClient.hello(at(await tight(name)));
      client.send({ type: 'join', id: 1, room: 'tiny', metadata: metadata(name) });
      peers.push({ client, answer: await client.next((f) => f['ref'] === 1) });
    }
    expect(peers.map((p) => (p.answer['type'] === 'roster' ? 'roster' : p.answer['code']))).toEqual([
      'roster',
      'roster',
      'ROOM_FULL',
    ]);
    for (const { client } of peers) client.terminate();
  });

  it('refuses a signal to a peer outside any shared room with SIGNAL_FORBIDDEN', async () => {
    const a = await RawClient.hello(at(await token('dave')));
    const b = await RawClient.hello(at(await token('erin')));
    a.client.send({ type: 'join', id: 1, room: 'room-a', metadata: metadata('dave') });
    b.client.send({ type: 'join', id: 1, room: 'room-b', metadata: metadata('erin') });
    await a.client.next((f) => f.type === 'roster');
    await b.client.next((f) => f.type === 'roster');
    a.client.send({ type: 'signal', id: 2, to: b.welcome['peerId'], data: { sdp: 'offer' } });
    expect(await a.client.next((f) => f['ref'] === 2)).toMatchObject({
      type: 'error',
      code: 'SIGNAL_FORBIDDEN',
    });

    // Once they share a room, the same signal goes through, stamped with the sender.
    b.client.send({ type: 'join', id: 2, room: 'room-a', metadata: metadata('erin') });
    await b.client.next((f) => f.type === 'roster' && f['room'] === 'room-a');
    a.client.send({ type: 'signal', id: 3, to: b.welcome['peerId'], data: { sdp: 'offer' } });
    expect(await b.client.next((f) => f.type === 'signal')).toMatchObject({
      from: a.welcome['peerId'],
      data: { sdp: 'offer' },
    });
    a.client.terminate();
    b.client.terminate();
  });

  it("refuses to resume another identity's session, or with a wrong secret, with RESUME_FORBIDDEN", async () => {
    const alice = await RawClient.hello(at(await token('alice')));
    alice.client.terminate();
    await alice.client.closed;
    const resume = (tokenText: string, secret: unknown): Record<string, unknown> => ({
      type: 'resume',
      v: 1,
      sessionId: alice.welcome['sessionId'],
      resumeSecret: secret,
      lastSeq: 0,
      token: tokenText,
    });

    const mallory = await RawClient.connect(at(await token('mallory')));
    mallory.send(resume(await token('mallory'), alice.welcome['resumeSecret']));
    expect(await mallory.next((f) => f.type === 'error' || f.type === 'welcome')).toMatchObject({
      type: 'error',
      code: 'RESUME_FORBIDDEN',
    });
    mallory.terminate();

    const guesser = await RawClient.connect(at(await token('alice')));
    guesser.send(resume(await token('alice'), 'A'.repeat(22)));
    expect(await guesser.next((f) => f.type === 'error' || f.type === 'welcome')).toMatchObject({
      type: 'error',
      code: 'RESUME_FORBIDDEN',
    });
    guesser.terminate();

    // The rightful owner still can.
    const back = await RawClient.connect(at(await token('alice')));
    back.send(resume(await token('alice'), alice.welcome['resumeSecret']));
    expect(await back.next((f) => f.type === 'welcome')).toMatchObject({
      resumed: true,
      peerId: alice.welcome['peerId'],
    });
    back.terminate();
  });

  it('refreshes the token of a live session, and refuses a token for another identity or an expired one', async () => {
    const { client } = await RawClient.hello(at(await token('frank', ['a'], 60)));
    client.send({ type: 'token', id: 1, token: await token('frank', ['a', 'b']) });
    await acked(client, 1);
    // The new grant applies at once: room b was not in the first token.
    client.send({ type: 'join', id: 2, room: 'b', metadata: metadata('frank') });
    expect(await client.next((f) => f['ref'] === 2)).toMatchObject({ type: 'roster', room: 'b' });

    client.send({ type: 'token', id: 3, token: await token('grace') });
    const other: Frame = await client.next((f) => f['ref'] === 3);
    expect(other).toMatchObject({ type: 'error', code: 'TOKEN_INVALID' });
    const expired = await mintToken({
      sub: 'frank',
      ttl: 60,
      secret: SECRET,
      nowMs: Date.now() - 10 * 60_000,
    });
    client.send({ type: 'token', id: 4, token: expired });
    expect(await client.next((f) => f['ref'] === 4)).toMatchObject({ type: 'error', code: 'TOKEN_EXPIRED' });
    client.terminate();
  });
});

describe('when the authenticator cannot decide (identity provider down)', () => {
  let server: SwitchboardServer;
  let url: string;
  let isDown = false;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    const jwt = new JwtAuthenticator({ secret: SECRET });
    // Stands in for a JWKS endpoint that is unreachable: authenticate() rejects instead of answering.
    const flaky = {
      authenticate: (request: Parameters<JwtAuthenticator['authenticate']>[0]) =>
        isDown ? Promise.reject(new Error('JWKS fetch failed')) : jwt.authenticate(request),
    };
    server = createServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', authenticator: flaky });
    const { port } = await server.listen();
    url = `ws://127.0.0.1:${port}/`;
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await server.close();
  });
  const at = (tokenText: string): string => `${url}?access_token=${tokenText}`;

  it('refuses the upgrade with INTERNAL_ERROR (retryable), not a token error, and does not crash', async () => {
    isDown = true;
    const client = await RawClient.connect(at(await token('alice')));
    client.send({ type: 'hello', v: 1, token: await token('alice') });
    expect(await client.next((f) => f.type === 'error' || f.type === 'welcome')).toMatchObject({
      type: 'error',
      code: 'INTERNAL_ERROR',
    });
    await client.closed;
    isDown = false;
    const { welcome } = await RawClient.hello(at(await token('alice')));
    expect(welcome.type).toBe('welcome');
    expect(rejections).toEqual([]);
  });

  it('answers a token refresh with INTERNAL_ERROR while the provider is down', async () => {
    const { client } = await RawClient.hello(at(await token('bob')));
    isDown = true;
    client.send({ type: 'token', id: 1, token: await token('bob') });
    const answer = await client.next((f) => f['ref'] === 1);
    isDown = false;
    expect(answer).toMatchObject({ type: 'error', code: 'INTERNAL_ERROR' });
    expect(rejections).toEqual([]);
    client.terminate();
  });
});

describe('verifying the credentials of a connection', () => {
  let server: SwitchboardServer;
  let url: string;
  const seen: (string | undefined)[] = [];

  beforeAll(async () => {
    const jwt = new JwtAuthenticator({ secret: SECRET });
    // The real JWT authenticator, with a record of the tokens it was asked to verify.
    const recording = {
      authenticate: (request: Parameters<JwtAuthenticator['authenticate']>[0]) => {
        seen.push(request.token);
        return jwt.authenticate(request);
      },
    };
    server = createServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', authenticator: recording });
    const { port } = await server.listen();
    url = `ws://127.0.0.1:${port}/`;
  });
  afterAll(async () => {
    await server.close();
  });

  it('verifies the upgrade token once, and again only when hello brings a different one', async () => {
    const upgradeToken = await token('alice');
    const plain = await RawClient.hello(`${url}?access_token=${upgradeToken}`);
    const repeated = await RawClient.hello(`${url}?access_token=${upgradeToken}`, { token: upgradeToken });
    expect(plain.welcome.type).toBe('welcome');
    expect(repeated.welcome.type).toBe('welcome');
    expect(seen).toEqual([upgradeToken, upgradeToken]);

    const otherToken = await token('alice', ['elsewhere']);
    const switched = await RawClient.hello(`${url}?access_token=${upgradeToken}`, { token: otherToken });
    expect(switched.welcome.type).toBe('welcome');
    expect(seen).toEqual([upgradeToken, upgradeToken, upgradeToken, otherToken]);
    for (const { client } of [plain, repeated, switched]) client.terminate();
  });
});
