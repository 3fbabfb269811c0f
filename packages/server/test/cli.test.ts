import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { killProcessGroup } from '@switchboard/testing';
import { ResumingPeer } from './helpers/resuming-peer.js';

const bin = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));

interface Running {
  readonly child: ChildProcess;
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly exited: Promise<number | null>;
}

/** Run `switchboard serve` on a free port; resolves once it logs that it listens. */
function serve(args: string[] = []): Promise<Running> {
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--host', '127.0.0.1', '--port', '0', '--stun-port', '0', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"port":(\d+)/.exec(out);
      if (match !== null)
        resolve({
          child,
          exited,
          httpUrl: `http://127.0.0.1:${match[1]}`,
          wsUrl: `ws://127.0.0.1:${match[1]}/ws`,
        });
    });
    void exited.then((code) => reject(new Error(`switchboard exited ${code} before listening: ${err}`)));
  });
}

describe('switchboard serve', { timeout: 60_000 }, () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    // Each CLI leads its own process group (`detached`), so its server child dies with it.
    for (const child of children.splice(0)) killProcessGroup(child);
  });

  it('serves /healthz, /readyz, /metrics and the web app at /', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app shell</title>');
    const running = await serve(['--static-dir', dir]);
    children.push(running.child);
    expect(await (await fetch(`${running.httpUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${running.httpUrl}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${running.httpUrl}/metrics`)).text();
    expect(metrics).toContain('switchboard_sessions');
    expect(metrics).toContain('switchboard_signals_relayed_total');
    const root = await fetch(`${running.httpUrl}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('app shell');
    expect(await (await fetch(`${running.httpUrl}/r/some-room`)).text()).toContain('app shell');
    expect((await fetch(`${running.httpUrl}/missing.js`)).status).toBe(404);
    expect((await fetch(`${running.httpUrl}/..%2f..%2fetc%2fpasswd.txt`)).status).toBe(404);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    rmSync(dir, { recursive: true });
  });

  it('drains on SIGTERM: clients are told, signals in flight arrive, and the process exits 0', async () => {
    const running = await serve();
    children.push(running.child);
    const sender = await ResumingPeer.connect(running.wsUrl);
    const receiver = await ResumingPeer.connect(running.wsUrl);
    for (const [peer, nickname] of [
      [sender, 'S'],
      [receiver, 'R'],
    ] as const) {
      peer.request({ type: 'join', room: 'drain', metadata: { nickname } });
      await peer.client.next((f) => f.type === 'roster');
    }
    for (let i = 0; i < 40; i += 1) sender.request({ type: 'signal', to: receiver.peerId, data: i });
    running.child.kill('SIGTERM');
    for (const peer of [sender, receiver]) {
      expect(await peer.client.next((f) => f.type === 'server-going-away')).toMatchObject({
        reason: 'drain',
      });
    }
    await receiver.signalsReach(40);
    expect(receiver.signals).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect((await receiver.client.closed).code).toBe(1001);
    expect((await sender.client.closed).code).toBe(1001);
    expect(sender.unackedCount).toBe(0); // every request was acknowledged before the socket closed
    expect(await running.exited).toBe(0);
  });

  it('refuses a wrong option with one sentence naming the flag and its variable, exit code 2', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--rate', 'fast'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err.trim()).toBe('switchboard: --rate (SWITCHBOARD_RATE) must be a number, got "fast".');
  });

  it('lists every option with its default in --help', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
    expect(out).toMatch(/--port <value>.*\(default: 8080\)/);
    expect(out).toMatch(/--grace-ms <value>.*SWITCHBOARD_GRACE_MS.*\(default: 60000\)/);
  });
});
