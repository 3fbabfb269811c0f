/**
 * `switchboard serve` with the NAT traversal flags: the embedded STUN server answers on its UDP port,
 * /metrics shows its counters, and the welcome carries our STUN URL plus TURN credentials that are
 * signed with the first `--turn-secret` and never written to the log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { PROTOCOL_VERSION, type WelcomeMessage } from '@switchboard/protocol';
import { findFreePort, killProcessGroup } from '@switchboard/testing';
import { signTurnUsername } from '../src/ice/turn-credentials.js';

const bin = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  // Each CLI leads its own process group (`detached`), so its server child dies with it.
  for (const child of children.splice(0)) killProcessGroup(child);
});

/** Start the CLI and resolve with its HTTP port and everything it logged, once it listens. */
function serve(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ httpPort: number; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    detached: true,
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*switchboard listening/.exec(output);
      if (match !== null) resolve({ httpPort: Number(match[1]), output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`switchboard exited ${String(code)}:\n${output}`)));
  });
}

function welcome(httpPort: number): Promise<WelcomeMessage> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${httpPort}/ws`);
    const timer = setTimeout(() => reject(new Error('no welcome within 5 s')), 5000);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION })));
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { type: string };
      if (frame.type !== 'welcome') return;
      clearTimeout(timer);
      ws.close();
      resolve(frame as WelcomeMessage);
    });
  });
}

describe('switchboard serve: STUN and TURN flags', () => {
  it('runs the STUN server, counts it in /metrics, and issues TURN credentials in the welcome', async () => {
    const stunPort = await findFreePort();
    const { httpPort, output } = await serve(
      [
        '--stun-port',
        String(stunPort),
        '--stun-host',
        '127.0.0.1',
        '--turn-url',
        'turn:127.0.0.1:3479?transport=udp',
        '--turn-ttl-s',
        '600',
      ],
      { SWITCHBOARD_TURN_SECRET: 'first-secret,second-secret' },
    );
    const transactionId = randomBytes(12);
    const request = Buffer.concat([Buffer.from([0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42]), transactionId]);
    const socket = createSocket('udp4');
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no STUN answer within 3 s')), 3000);
      socket.on('message', (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      socket.send(request, stunPort, '127.0.0.1');
    });
    socket.close();
    expect(answer.readUInt16BE(0)).toBe(0x0101);
    expect(answer.subarray(8, 20).equals(transactionId)).toBe(true);

    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_stun_requests_total 1\b/);
    expect(metrics).toMatch(/switchboard_stun_responses_total 1\b/);

    const message = await welcome(httpPort);
    expect(message.iceServers[0]).toEqual({ urls: [`stun:127.0.0.1:${stunPort}`] });
    const turn = message.iceServers[1]!;
    expect(turn.urls).toEqual(['turn:127.0.0.1:3479?transport=udp']);
    expect(turn.username).toMatch(new RegExp(`^\\d+:${message.peerId}$`));
    expect(turn.credential).toBe(signTurnUsername('first-secret', turn.username!));
    const expiresAt = Number(turn.username!.split(':')[0]) * 1000;
    expect(message.iceServersExpireAt).toBe(expiresAt);
    expect(expiresAt - Date.now()).toBeGreaterThan(500_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(600_000);
    expect(output()).not.toContain('first-secret');
    expect(output()).not.toContain(turn.credential!);
  });

  it('--no-stun turns the STUN server off and leaves it out of the welcome', async () => {
    const { httpPort } = await serve(['--no-stun']);
    const message = await welcome(httpPort);
    expect(message.iceServers).toEqual([]);
    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    expect(metrics).not.toContain('switchboard_stun_requests_total');
  });

  it('refuses TURN URLs without a secret, in one sentence, before listening', async () => {
    await expect(serve(['--no-stun', '--turn-url', 'turn:127.0.0.1:3479'])).rejects.toThrow(
      /TURN URLs need a TURN secret/,
    );
  });
});
