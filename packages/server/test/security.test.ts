/**
 * Transport security against a live server: WSS served directly, the Origin allow-list at upgrade, and
 * client IPs from X-Forwarded-For only when a proxy is trusted. Plus the security flags of the CLI.
 */
import { spawn } from 'node:child_process';
import { connect as connectTcp } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AnonymousAuthenticator,
  createServer,
  loadTlsMaterial,
  type ServerOptions,
  type SwitchboardServer,
  type TlsMaterial,
} from '@switchboard/server';
import { writeSelfSignedCert } from '@switchboard/testing';
import { RawClient } from './security-client.js';

let server: SwitchboardServer | undefined;
const clients: RawClient[] = [];

async function start(options: Partial<ServerOptions>): Promise<number> {
  server = createServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...options });
  return (await server.listen()).port;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await server?.close();
  server = undefined;
});

/** Try an upgrade; resolves with 'open' or the refusal's status and error code. */
async function upgrade(url: string, headers: Record<string, string>): Promise<string> {
  try {
    clients.push(await RawClient.connect(url, headers));
    return 'open';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('TLS', () => {
  let dir: string;
  let tls: TlsMaterial;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-wss-'));
    tls = loadTlsMaterial(writeSelfSignedCert(dir));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves wss:// directly, and a client that trusts the certificate gets a welcome', async () => {
    const port = await start({ tls });
    const client = await RawClient.connect(`wss://127.0.0.1:${port}/`, {}, 5000, tls.cert);
    clients.push(client);
    client.send({ type: 'hello', v: 1 });
    expect((await client.next((f) => f.type === 'welcome' || f.type === 'error')).type).toBe('welcome');
  });

  it('does not speak plain ws:// on a TLS port', async () => {
    const port = await start({ tls });
    expect(await upgrade(`ws://127.0.0.1:${port}/`, {})).not.toBe('open');
  });
});

describe('Origin allow-list', () => {
  // ADR 0007 addendum: a browser cannot read the status of a refused upgrade (it sees 1006 and retries), so
  // the refusal is an `error` frame and close 4003 on a completed upgrade, as for a refused token.
  it('refuses an unlisted Origin with an error frame and close 4003 ORIGIN_FORBIDDEN, without authenticating or making a session', async () => {
    let authentications = 0;
    const port = await start({
      allowedOrigins: ['https://app.example.com', 'https://*.example.org'],
      authenticator: {
        authenticate: () => {
          authentications += 1;
          return new AnonymousAuthenticator().authenticate();
        },
      },
    });
    const url = `ws://127.0.0.1:${port}/`;
    const refused = await RawClient.connect(url, { origin: 'https://evil.example' });
    clients.push(refused);
    refused.send({ type: 'hello', v: 1 });
    expect(await refused.next(() => true)).toMatchObject({ type: 'error', code: 'ORIGIN_FORBIDDEN' });
    expect(await refused.closed).toEqual({ code: 4003, reason: 'ORIGIN_FORBIDDEN' });
    expect(refused.frames).toHaveLength(1);
    expect(authentications).toBe(0);
    const registry = server!.metrics.registry;
    expect(await registry.getSingleMetricAsString('switchboard_sessions')).toMatch(/switchboard_sessions 0/);
    expect(await registry.getSingleMetricAsString('switchboard_errors_total')).toMatch(
      /code="ORIGIN_FORBIDDEN"} 1/,
    );

    expect(await upgrade(url, { origin: 'https://app.example.com' })).toBe('open');
    expect(await upgrade(url, { origin: 'https://eu.example.org' })).toBe('open');
    // Non-browser clients send no Origin; the list does not stop them (it is not authentication).
    expect(await upgrade(url, {})).toBe('open');
  });

  it('keeps the per-IP cap an HTTP refusal ahead of the origin check', async () => {
    const port = await start({ allowedOrigins: ['https://app.example.com'], maxConnectionsPerIp: 1 });
    const url = `ws://127.0.0.1:${port}/`;
    expect(await upgrade(url, { origin: 'https://app.example.com' })).toBe('open');
    expect(await upgrade(url, { origin: 'https://evil.example' })).toBe(
      'upgrade refused: 429 TOO_MANY_CONNECTIONS',
    );
  });

  it('allows every origin by default', async () => {
    const port = await start({});
    expect(await upgrade(`ws://127.0.0.1:${port}/`, { origin: 'https://anywhere.example' })).toBe('open');
  });
});

/** Send an upgrade request ws must reject itself (no valid Sec-WebSocket-Key); resolves with the raw reply. */
function malformedUpgrade(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => reject(new Error(`no reply to a malformed upgrade: ${reply}`)), 5000);
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(reply);
    });
    socket.write(
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: not-a-key\r\n\r\n',
    );
  });
}

describe('per-IP connection cap', () => {
  it('releases the slot of an upgrade ws rejects as malformed, so bad requests cannot lock an address out', async () => {
    const port = await start({ maxConnectionsPerIp: 2 });
    for (let attempt = 0; attempt < 5; attempt++)
      expect(await malformedUpgrade(port)).toMatch(/^HTTP\/1\.1 400/);
    expect(await upgrade(`ws://127.0.0.1:${port}/`, {})).toBe('open');
    expect(await upgrade(`ws://127.0.0.1:${port}/`, {})).toBe('open');
    expect(await upgrade(`ws://127.0.0.1:${port}/`, {})).toBe('upgrade refused: 429 TOO_MANY_CONNECTIONS');
  });
});

describe('client IP behind a proxy', () => {
  it('ignores X-Forwarded-For by default, so a client cannot dodge the per-IP cap', async () => {
    const port = await start({ maxConnectionsPerIp: 1 });
    const url = `ws://127.0.0.1:${port}/`;
    expect(await upgrade(url, { 'x-forwarded-for': '203.0.113.1' })).toBe('open');
    expect(await upgrade(url, { 'x-forwarded-for': '203.0.113.2' })).toBe(
      'upgrade refused: 429 TOO_MANY_CONNECTIONS',
    );
  });

  it('counts each forwarded client on its own with trustProxy, and still caps each one', async () => {
    const port = await start({ maxConnectionsPerIp: 1, trustProxy: true });
    const url = `ws://127.0.0.1:${port}/`;
    expect(await upgrade(url, { 'x-forwarded-for': '203.0.113.1' })).toBe('open');
    expect(await upgrade(url, { 'x-forwarded-for': '203.0.113.2' })).toBe('open');
    // A client that prepends a fake address is still counted by the entry the proxy appended.
    expect(await upgrade(url, { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' })).toBe(
      'upgrade refused: 429 TOO_MANY_CONNECTIONS',
    );
  });
});

describe('switchboard CLI security flags', () => {
  const bin = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));

  function run(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('mints a token with `switchboard token`', { timeout: 30_000 }, async () => {
    const { code, stdout } = await run('token --sub alice --room r --ttl 1h --secret S'.split(' '));
    expect(code).toBe(0);
    expect(stdout.trim().split('.')).toHaveLength(3);
  });

  it(
    'refuses to start with a weak JWT secret, or half a TLS pair, naming the flag',
    { timeout: 30_000 },
    async () => {
      const weak = await run(['serve', '--port', '0', '--jwt-secret', 'short']);
      expect(weak.code).toBe(2);
      expect(weak.stderr).toMatch(/at least 32 bytes/);
      const half = await run(['serve', '--port', '0', '--tls-cert', '/nonexistent.pem']);
      expect(half.code).toBe(2);
      expect(half.stderr).toMatch(/--tls-cert and --tls-key go together/);
    },
  );

  it('lists the security flags in serve --help', { timeout: 30_000 }, async () => {
    const { stdout } = await run(['serve', '--help']);
    for (const flag of [
      '--jwt-secret',
      '--jwt-public-key',
      '--jwks-url',
      '--require-auth',
      '--tls-cert',
      '--tls-key',
      '--trust-proxy',
      '--origin',
    ]) {
      expect(stdout).toContain(flag);
    }
  });
});
